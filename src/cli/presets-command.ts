import type { Command } from 'commander';
import { presetConfig } from '../config/load.js';
import { presetNames } from '../config/presets.js';
import { toJson } from './format.js';

export function registerPresets(program: Command): void {
  program
    .command('presets')
    .description('list the named presets, or print one as a config file to edit')
    .argument('[name]', 'the preset to print')
    .action((name?: string) => {
      if (name) console.log(toJson(presetConfig(name)));
      else for (const p of presetNames) console.log(p);
    });
}
