import type { Command } from 'commander';
import { fourierTheory } from '../theory/fourier.js';
import { describeFixedPoint, isNonlinear, uniformLinearisation } from '../theory/linearisation.js';
import { printBumpTheory } from './bump-theory.js';
import { describeGrid, resolveConfig, type ConfigSource } from './config-source.js';
import { num, toJson } from './format.js';

export function registerTheory(program: Command): void {
  program
    .command('theory')
    .description(
      'closed-form stability, entropy production and variance of a linear config (docs/model.md §5); ' +
        'for sigmoid or tanh, of its linearisation at the uniform fixed point, or about the stationary bump from initial "bump"',
    )
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file')
    .option('--json', 'print JSON for machines')
    .action((options: ConfigSource & { json?: boolean }) => {
      const { config, label } = resolveConfig(options);
      // A sigmoid or tanh field started from a bump: the linearisation about the stationary bump.
      if (isNonlinear(config) && config.initial.type === 'bump') return printBumpTheory(config, label, options.json === true);
      // Otherwise a sigmoid or tanh field: the theory of its linearisation at the chosen uniform fixed point.
      const lin = isNonlinear(config) ? uniformLinearisation(config) : undefined;
      const t = lin ? lin.theory : fourierTheory(config);
      const report = {
        source: label,
        ...(lin && {
          linearisation: {
            fixedPoint: lin.fixedPoint,
            slope: lin.slope,
            fixedPoints: lin.fixedPoints,
            ...(lin.unstable && { unstable: lin.unstable }),
          },
        }),
        stability: t.stability,
        eprContinuous: t.eprContinuous,
        eprDiscrete: t.eprDiscrete,
        densityContinuous: t.densityContinuous,
        densityDiscrete: t.densityDiscrete,
        cellVariance: t.cellVariance,
        units: 'nats per unit time (k_B = 1) for the whole field; density: per unit area',
      };
      if (options.json) {
        console.log(toJson(report));
        return;
      }
      const { continuous: c, discrete: d } = t.stability;
      console.log(`amari-ep theory: ${label} (${describeGrid(config)})`);
      if (lin) {
        console.log(
          `linearisation at the uniform fixed point u* = ${num(lin.fixedPoint)} (slope f′(u*) = ${num(lin.slope)}): ` +
            `the numbers below are those of the linear field f(u*) + f′(u*)·(u − u*), not of the nonlinear model`,
        );
        console.log(`uniform fixed points (${lin.fixedPoints.length}, lowest first)`);
        for (const p of lin.fixedPoints) console.log(`  ${describeFixedPoint(p)}${p.u === lin.fixedPoint ? '   ← chosen' : ''}`);
      }
      console.log('stability');
      console.log(`  continuous time   ${c.stable ? 'stable  ' : 'UNSTABLE'}  worst mode (${c.worst.mode.join(', ')}): Re a_k = ${num(c.worst.margin)}`);
      console.log(
        `  Euler–Maruyama    ${d.stable ? 'stable  ' : 'UNSTABLE'}  worst mode (${d.worst.mode.join(', ')}): Re a_k − dt|a_k|²/2 = ${num(d.worst.margin)}; stable for dt < ${num(d.dtMax)}`,
      );
      console.log('entropy production rate (nats per unit time)');
      console.log(`  continuous time   σ    = ${num(t.eprContinuous)}   (${num(t.densityContinuous)} per unit area)`);
      console.log(`  Euler–Maruyama    σ_dt = ${num(t.eprDiscrete)}   (${num(t.densityDiscrete)} per unit area)`);
      console.log(`stationary variance per cell = ${num(t.cellVariance)}`);
      if (lin?.unstable) console.log(lin.unstable);
    });
}
