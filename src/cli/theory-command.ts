import type { Command } from 'commander';
import { linearTheory } from '../theory/linear.js';
import { describeGrid, resolveConfig, type ConfigSource } from './config-source.js';
import { num, toJson } from './format.js';

export function registerTheory(program: Command): void {
  program
    .command('theory')
    .description('closed-form stability, entropy production and variance of a linear config (docs/model.md §5, maps §8)')
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file')
    .option('--json', 'print JSON for machines')
    .action((options: ConfigSource & { json?: boolean }) => {
      const { config, label } = resolveConfig(options);
      const t = linearTheory(config);
      const report = {
        source: label,
        method: t.method,
        maps: t.maps,
        stability: t.stability,
        eprContinuous: t.eprContinuous,
        eprDiscrete: t.eprDiscrete,
        densityContinuous: t.densityContinuous,
        densityDiscrete: t.densityDiscrete,
        cellVariance: t.cellVariance,
        equilibrium: t.equilibrium,
        equilibriumResidual: t.equilibriumResidual,
        units: 'nats per unit time (k_B = 1) for the whole field; density: per unit area; cellVariance: the mean over cells',
      };
      if (options.json) {
        console.log(toJson(report));
        return;
      }
      const named = `${t.maps.join(' and ')} ${t.maps.length > 1 ? 'are maps' : 'is a map'}`;
      const how =
        t.method === 'dense'
          ? `; dense theory, ${named}`
          : t.method === 'fourier-blocks'
            ? `; Fourier blocks along ${t.blocks.axis === 'x' ? 'y' : 'x'}, ${named} along ${t.blocks.axis}`
            : '';
      console.log(`amari-ep theory: ${label} (${describeGrid(config)}${how})`);
      console.log('stability');
      if (t.method === 'fourier') {
        const { continuous: c, discrete: d } = t.stability;
        console.log(`  continuous time   ${c.stable ? 'stable  ' : 'UNSTABLE'}  worst mode (${c.worst.mode.join(', ')}): Re a_k = ${num(c.worst.margin)}`);
        console.log(
          `  Euler–Maruyama    ${d.stable ? 'stable  ' : 'UNSTABLE'}  worst mode (${d.worst.mode.join(', ')}): Re a_k − dt|a_k|²/2 = ${num(d.worst.margin)}; stable for dt < ${num(d.dtMax)}`,
        );
      } else {
        const { continuous: c, discrete: d } = t.stability;
        const blocks = t.method === 'fourier-blocks';
        const cayley = blocks ? 'Cayley transforms (I + h A_q)⁻¹(I − h A_q) of the blocks' : 'Cayley transform (I + hA)⁻¹(I − hA)';
        console.log(
          `  continuous time   ${c.stable ? 'stable  ' : 'UNSTABLE'}  ${cayley}, h = ${num(c.cayleyStep, 4)}: spectral radius ≈ ${num(c.cayleyRadius, 3)} (stable iff < 1)`,
        );
        console.log(`  Euler–Maruyama    ${d.stable ? 'stable  ' : 'UNSTABLE'}  M = I − dt·A: spectral radius ≈ ${num(d.spectralRadius, 3)} (stable iff < 1)`);
        if (t.method === 'fourier-blocks') {
          console.log(
            `                    its Möbius transforms (I + h A_q)⁻¹(I − (h + dt)A_q): spectral radius ≈ ${num(t.stability.discrete.transformedRadius, 3)} (stable iff < 1)`,
          );
        }
      }
      console.log('entropy production rate (nats per unit time)');
      console.log(`  continuous time   σ    = ${num(t.eprContinuous)}   (${num(t.densityContinuous)} per unit area)`);
      console.log(`  Euler–Maruyama    σ_dt = ${num(t.eprDiscrete)}   (${num(t.densityDiscrete)} per unit area)`);
      console.log(`equilibrium         ${t.equilibrium ? 'yes' : 'no '}   ‖A𝒟 − 𝒟Aᵀ‖/‖A𝒟‖ = ${num(t.equilibriumResidual, 3)}`);
      console.log(`stationary variance per cell = ${num(t.cellVariance)}${t.method === 'fourier' ? '' : ' (mean over cells)'}`);
    });
}
