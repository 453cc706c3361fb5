import type { Command } from 'commander';
import { BACKENDS, createEngine, type Backend } from '../run/create-engine.js';
import { writeBalance } from '../io/write-balance.js';
import { relax } from '../run/relax.js';
import { describeSetting, resolveConfig, type ConfigSource } from './config-source.js';
import { num, toJson } from './format.js';
import { integerAtLeast, oneOf } from './parse.js';
import { progressReporter } from './progress.js';

interface RelaxOptions extends ConfigSource {
  replicas: number;
  steps: number;
  recordEvery: number;
  backend: Backend;
  out?: string;
  json?: boolean;
}

export function registerRelax(program: Command): void {
  program
    .command('relax')
    .description('relax an ensemble from the initial condition and measure the balance σ = dS/dt + Φ (docs/model.md §6)')
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file')
    .option('-r, --replicas <R>', 'ensemble size', integerAtLeast(4), 64)
    .option('-n, --steps <N>', 'steps of relaxation (a multiple of --record-every)', integerAtLeast(2), 400)
    .option('--record-every <M>', 'steps between records of the ensemble entropy', integerAtLeast(1), 10)
    .option('--backend <name>', `engine: ${BACKENDS.join(', ')}`, oneOf(BACKENDS), 'auto')
    .option('-o, --out <dir>', 'write balance.csv and balance.svg here')
    .option('--json', 'print the rows as JSON')
    .action(async (options: RelaxOptions) => {
      const { config, label } = resolveConfig(options);
      const { engine, note } = await createEngine(config, options.backend, options.replicas);
      const progress = progressReporter('amari-ep relax');
      let result;
      try {
        result = await relax(engine, { steps: options.steps, recordEvery: options.recordEvery, onProgress: progress.update });
      } finally {
        progress.stop();
        engine.dispose();
      }
      const files = options.out ? writeBalance(result, options.out) : [];
      if (options.json) {
        console.log(
          toJson({
            source: label,
            backend: note,
            replicas: result.replicas,
            theoryNote: result.theoryNote,
            entropyNote: result.entropyNote,
            rows: result.rows,
            files,
          }),
        );
        return;
      }
      console.log(`amari-ep relax: ${label}; ${describeSetting(config)}; ${result.replicas} replicas; initial ${config.initial.type}`);
      console.log(`  backend ${note}`);
      if (result.theoryNote) console.log(`  theory: none (${result.theoryNote})`);
      if (result.entropyNote) console.log(`  entropy: ${result.entropyNote}`);
      const m = (q: { value: number; stderr: number; theory: number | null }) =>
        `${num(q.value, 4)} ± ${num(q.stderr, 2)}${q.theory === null ? '' : ` (${num(q.theory, 4)})`}`;
      console.log('  step      S                       dS/dt                   Φ                       σ          [estimate ± s.e. (theory)]');
      for (const r of result.rows) {
        const i = r.interval;
        console.log(`  ${String(r.step).padEnd(8)}  ${m(r.entropy).padEnd(22)}  ${i ? `${m(i.entropyRate).padEnd(22)}  ${m(i.flow).padEnd(22)}  ${m(i.production)}` : ''}`);
      }
      if (files.length) console.log(`  wrote ${files.join(', ')}`);
    });
}
