import type { Command } from 'commander';
import { presetConfig } from '../config/load.js';
import { presetNames } from '../config/presets.js';
import type { Config } from '../config/schema.js';
import { CpuEngine } from '../cpu/cpu-engine.js';
import { gpuUnsupported } from '../gpu/capabilities.js';
import { GpuEngine } from '../gpu/gpu-engine.js';
import { requestNodeDevice } from '../gpu/node-device.js';
import { relativeFieldDifference } from '../numeric/compare.js';
import { simulate } from '../run/simulate.js';
import { resolveConfig } from './config-source.js';
import { num, toJson } from './format.js';
import { integerAtLeast } from './parse.js';

/** float32 against float64 after a few hundred steps of a linear, stable field. */
export const FIELD_TOLERANCE = 1e-4;

interface ValidateOptions {
  config?: string;
  steps: number;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('run the GPU and CPU engines on the same configs and seeds, and compare fields and estimates')
    .option('-c, --config <file>', 'validate this config instead of the presets')
    .option('-n, --steps <N>', 'steps for each engine', integerAtLeast(2), 500)
    .option('--json', 'print JSON for machines')
    .action(async (options: ValidateOptions) => {
      const cases: [string, Config][] = options.config
        ? [[options.config, resolveConfig({ config: options.config }).config]]
        : presetNames.map((name) => [name, presetConfig(name)]);
      const { device, description } = await requestNodeDevice();
      const rows = [];
      try {
        for (const [name, config] of cases) {
          const skip = gpuUnsupported(config);
          if (skip) {
            rows.push({ name, skipped: skip });
            continue;
          }
          const gpu = await GpuEngine.create(device, description, config, 1);
          const cpu = new CpuEngine(config, 1);
          try {
            const run = { steps: options.steps, burnIn: 0, blocks: 10 };
            const [g, c] = [await simulate(gpu, run), await simulate(cpu, run)];
            const difference = relativeFieldDifference(g.field, c.field);
            const linear = config.transfer.type === 'linear';
            rows.push({
              name,
              fieldDifference: difference,
              checked: linear,
              pass: !linear || difference <= FIELD_TOLERANCE,
              eprGpu: { estimate: g.epr.estimate, stderr: g.epr.stderr },
              eprCpu: { estimate: c.epr.estimate, stderr: c.epr.stderr },
            });
          } finally {
            gpu.dispose();
          }
        }
      } finally {
        device.destroy();
      }
      const failed = rows.some((r) => 'pass' in r && !r.pass);
      if (options.json) {
        console.log(toJson({ adapter: description, steps: options.steps, tolerance: FIELD_TOLERANCE, rows }));
      } else {
        console.log(`amari-ep validate: GPU (${description}) against the CPU reference, ${options.steps} steps, same seeds`);
        for (const r of rows) {
          if ('skipped' in r) {
            console.log(`  ${r.name.padEnd(14)} skipped: ${r.skipped}`);
            continue;
          }
          const verdict = r.checked ? (r.pass ? 'ok' : `FAIL (> ${FIELD_TOLERANCE})`) : 'not checked: nonlinear fields amplify rounding';
          console.log(
            `  ${r.name.padEnd(14)} max |Δu|/max|u| = ${num(r.fieldDifference, 3)} ${verdict}; ` +
              `EPR gpu ${num(r.eprGpu.estimate)} ± ${num(r.eprGpu.stderr, 2)}, cpu ${num(r.eprCpu.estimate)} ± ${num(r.eprCpu.stderr, 2)}`,
          );
        }
      }
      if (failed) process.exitCode = 1;
    });
}
