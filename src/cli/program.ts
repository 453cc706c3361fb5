import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { DeviceLostError, GpuError } from '../gpu/errors.js';
import { StateFileError } from '../run/checkpoint/codec.js';
import { DivergenceError } from '../run/divergence.js';
import { TheoryNotApplicable } from '../theory/modes.js';
import { registerPresets } from './presets-command.js';
import { registerRelax } from './relax-command.js';
import { registerReport } from './report-command.js';
import { registerRun } from './run-command.js';
import { registerSweep } from './sweep-command.js';
import { registerTheory } from './theory-command.js';
import { registerValidate } from './validate-command.js';

/** amari-ep: one clear line on stderr and a non-zero exit for anything refused. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('amari-ep')
    .description('Stochastic Amari neural field: simulation and entropy production')
    .exitOverride()
    // Options after a subcommand's name are that subcommand's: `sweep merge DIR... --out X` is merge's --out, not sweep's.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => console.log(text.trimEnd()),
      writeErr: (text) => console.error(text.trimEnd()),
    });
  registerTheory(program);
  registerRun(program);
  registerRelax(program);
  registerPresets(program);
  registerValidate(program);
  registerSweep(program);
  registerReport(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof DeviceLostError) {
      // A GPU device lost beyond recovery (recovery.ts): the run failed, it was not refused (2); nothing final was written.
      console.error(`amari-ep: ${e.message}`);
      return 1;
    }
    if (e instanceof ConfigError || e instanceof TheoryNotApplicable || e instanceof RangeError || e instanceof GpuError || e instanceof StateFileError) {
      console.error(`amari-ep: ${e.message}`);
      return 2;
    }
    if (e instanceof DivergenceError) {
      // The run started and failed: not a refused input (2), and nothing of it was written.
      console.error(`amari-ep: ${e.message}`);
      return 1;
    }
    console.error(`amari-ep: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

