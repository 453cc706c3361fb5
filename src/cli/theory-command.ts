import type { Command } from 'commander';
import { gridOf } from '../config/geometry.js';
import { mappedFields } from '../config/maps.js';
import { densityUnit } from '../run/summary.js';
import { describeFixedPoint } from '../theory/linearisation.js';
import { LinearisationUnavailable, linearTheory, type Linearisation, type LinearTheory } from '../theory/linear.js';
import { describeSetting, resolveConfig, type ConfigSource } from './config-source.js';
import { ConfigError } from '../config/errors.js';
import { representationProblem } from '../engine/representable.js';
import { num, toJson } from './format.js';

export function registerTheory(program: Command): void {
  program
    .command('theory')
    .description(
      'closed-form stability, entropy production and variance of a linear config (docs/model.md §5, maps §8); ' +
        'for sigmoid or tanh, of its linearisation at the uniform fixed point, or about the stationary bump from initial "bump" ' +
        '(or the fixed point of a field with an input map)',
    )
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file')
    .option('--json', 'print JSON for machines')
    .action((options: ConfigSource & { json?: boolean }) => {
      const { config, label } = resolveConfig(options);
      // The theory is float64 arithmetic on the same scales a run would have: numbers a run refuses
      // (D = 1e300 overflows the balance's residual) would print NaN here.
      const unrepresentable = representationProblem(config, 'float64');
      if (unrepresentable) throw new ConfigError([unrepresentable]);
      const grid = gridOf(config);
      // One theory for every transfer (src/theory/linear.ts); a linearisation without a
      // stationary state is reported with its fixed points or its Newton solution, and no rates.
      let t: LinearTheory | undefined;
      let lin: Linearisation | undefined;
      let unavailable: string | undefined;
      try {
        t = linearTheory(config);
        lin = t.linearisation;
      } catch (e) {
        if (!(e instanceof LinearisationUnavailable)) throw e;
        lin = e.linearisation;
        unavailable = e.message;
      }
      const report = {
        source: label,
        method: t?.method ?? null,
        maps: t?.maps ?? mappedFields(config),
        ...(lin && { linearisation: { ...linearisationReport(lin), ...(unavailable && { unavailable }) } }),
        stability: t?.stability ?? null,
        eprContinuous: t?.eprContinuous ?? null,
        eprDiscrete: t?.eprDiscrete ?? null,
        densityContinuous: t?.densityContinuous ?? null,
        densityDiscrete: t?.densityDiscrete ?? null,
        cellVariance: t ? (t.cellVariance ?? (t.method === 'dense' ? t.dense.cellVariance : null)) : null,
        equilibrium: t?.equilibrium ?? null,
        equilibriumResidual: t?.equilibriumResidual ?? null,
        units: `nats per unit time (k_B = 1) for the whole field; density: ${densityUnit(grid)}; cellVariance: the mean over cells`,
      };
      if (options.json) {
        console.log(toJson(report));
        return;
      }
      // A mode (p, q) of k = 2π(p/Lx, q/Ly); a ring's modes are p alone (q = 0).
      const modeName = (mode: readonly number[]) => (grid.dimensions === 1 ? `p = ${mode[0]}` : `(${mode.join(', ')})`);
      const state = lin && lin.about !== 'uniform fixed point';
      const named = t ? `${t.maps.join(' and ')} ${t.maps.length > 1 ? 'are maps' : 'is a map'}` : '';
      const how =
        t?.method === 'dense'
          ? state
            ? '; dense theory with the gain map f′(u*(x))'
            : `; dense theory, ${named}`
          : t?.method === 'fourier-blocks'
            ? `; Fourier blocks along ${t.blocks.axis === 'x' ? 'y' : 'x'}, ${named} along ${t.blocks.axis}`
            : '';
      console.log(`amari-ep theory: ${label} (${describeSetting(config)}${how})`);
      if (lin) printLinearisation(lin);
      if (t) {
        console.log(lin ? 'stability of the linearisation' : 'stability');
        if (t.method === 'fourier') {
          const { continuous: c, discrete: d } = t.stability;
          console.log(`  continuous time   ${c.stable ? 'stable  ' : 'UNSTABLE'}  worst mode ${modeName(c.worst.mode)}: Re a_k = ${num(c.worst.margin)}`);
          console.log(
            `  Euler–Maruyama    ${d.stable ? 'stable  ' : 'UNSTABLE'}  worst mode ${modeName(d.worst.mode)}: Re a_k − dt|a_k|²/2 = ${num(d.worst.margin)}; stable for dt < ${num(d.dtMax)}`,
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
        console.log(`entropy production rate${lin ? ' of the linearisation' : ''} (nats per unit time)`);
        console.log(`  continuous time   σ    = ${num(t.eprContinuous)}   (${num(t.densityContinuous)} ${densityUnit(grid)})`);
        console.log(`  Euler–Maruyama    σ_dt = ${num(t.eprDiscrete)}   (${num(t.densityDiscrete)} ${densityUnit(grid)})`);
        const where = state && !t.equilibrium ? ': K·diag(f′(u*)) is not symmetric where f′ varies, at the bump’s edge' : '';
        console.log(`equilibrium         ${t.equilibrium ? 'yes' : 'no '}   ‖A𝒟 − 𝒟Aᵀ‖/‖A𝒟‖ = ${num(t.equilibriumResidual, 3)}${where}`);
        if (state) {
          console.log(
            `stationary variance per cell = ${num(report.cellVariance)} (mean over cells, about u*(x); a run's pooled variance also holds the profile of u*(x), so it is not compared)`,
          );
        } else {
          console.log(`stationary variance per cell = ${num(t.cellVariance)}${t.method === 'fourier' ? '' : ' (mean over cells)'}`);
        }
      }
      if (unavailable) console.log(`no rates: ${unavailable}`);
    });
}

/** The linearisation for --json: its fixed points, or its Newton solution and lowest eigenvalues. */
function linearisationReport(lin: Linearisation) {
  if (lin.about === 'uniform fixed point') {
    return { about: lin.about, fixedPoint: lin.fixedPoint, slope: lin.slope, fixedPoints: lin.fixedPoints };
  }
  const { state, stability: st } = lin;
  return {
    about: lin.about,
    converged: state.converged,
    residual: state.residual,
    iterations: state.iterations,
    ...(st && {
      stability: {
        stable: st.stable,
        neutral: st.neutral,
        smallest: st.smallest,
        largest: st.largest,
        lowest: Array.from(st.re.slice(0, 6), (re, k) => ({ re, im: st.im[k] })),
      },
    }),
  };
}

function printLinearisation(lin: Linearisation): void {
  if (lin.about === 'uniform fixed point') {
    console.log(
      `linearisation at the uniform fixed point u* = ${num(lin.fixedPoint)} (slope f′(u*) = ${num(lin.slope)}): ` +
        `the numbers below are those of the linear field f(u*) + f′(u*)·(u − u*), not of the nonlinear model`,
    );
    console.log(`uniform fixed points (${lin.fixedPoints.length}, lowest first)`);
    for (const p of lin.fixedPoints) console.log(`  ${describeFixedPoint(p)}${p.u === lin.fixedPoint ? '   ← chosen' : ''}`);
    return;
  }
  const { state, stability: st } = lin;
  console.log(
    lin.about === 'stationary bump'
      ? `linearisation about the stationary bump u*(x) that Newton's method reaches from initial "bump": ` +
          `the numbers below are those of the linear field with the gain map f′(u*(x)), not of the nonlinear model`
      : `linearisation about the fixed point u*(x) of the field with its input map (Newton's method from the uniform fixed point ` +
          `of the mean input, where initial "fixed-point" starts): the numbers below are those of the linear field with the gain map f′(u*(x)), not of the nonlinear model`,
  );
  console.log(
    `  Newton             ${state.converged ? 'converged' : 'NOT converged'} in ${state.iterations} iterations, max|−u* + K f(u*) + h| = ${num(state.residual)}`,
  );
  if (st) {
    const verdict = st.neutral ? 'NEUTRAL ' : st.stable ? 'stable  ' : 'UNSTABLE';
    console.log(
      `  stability          ${verdict}  eigenvalues of A = (I − K·diag(f′(u*)))/τ: smallest Re λ = ${num(st.re[0])}, ` +
        `|λ| from ${num(st.smallest)} to ${num(st.largest)}`,
    );
  }
}
