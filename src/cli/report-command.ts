import type { Command } from 'commander';
import { writeReport } from '../report/write-report.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write DIR/report.html: one self-contained page of a run or sweep folder (config, figures, numbers against theory, throughput, adapter)')
    .argument('<dir>', 'a folder amari-ep run or sweep wrote')
    .action(async (dir: string) => {
      console.log(await writeReport(dir));
    });
}
