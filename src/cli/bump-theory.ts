import type { Config } from '../config/schema.js';
import { bumpLinearisation } from '../theory/bump.js';
import { describeGrid } from './config-source.js';
import { num, toJson } from './format.js';

/**
 * `amari-ep theory` on a sigmoid or tanh field started from a bump: the
 * stationary bump that Newton's method reaches from it, its stability, and
 * the theory of its linearisation (a linear field with the gain map f′(u*(x)),
 * docs/model.md §8).
 */
export function printBumpTheory(config: Config, label: string, json: boolean): void {
  const lin = bumpLinearisation(config);
  const { state, stability: st, theory: t } = lin;
  const area = config.grid.length ** 2;
  if (json) {
    console.log(
      toJson({
        source: label,
        linearisation: {
          about: 'stationary bump',
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
          ...(lin.unavailable && { unavailable: lin.unavailable }),
        },
        eprContinuous: t?.eprContinuous ?? null,
        eprDiscrete: t?.eprDiscrete ?? null,
        densityContinuous: t ? t.eprContinuous / area : null,
        densityDiscrete: t ? t.eprDiscrete / area : null,
        equilibrium: t?.equilibrium ?? null,
        cellVariance: t?.cellVariance ?? null,
        units: 'nats per unit time (k_B = 1) for the whole field; density: per unit area',
      }),
    );
    return;
  }
  console.log(`amari-ep theory: ${label} (${describeGrid(config)})`);
  console.log(
    `linearisation about the stationary bump u*(x) that Newton's method reaches from initial "bump": ` +
      `the numbers below are those of the linear field with the gain map f′(u*(x)), not of the nonlinear model`,
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
  if (t) {
    console.log('entropy production rate of the linearisation (nats per unit time)');
    console.log(`  continuous time   σ    = ${num(t.eprContinuous)}   (${num(t.eprContinuous / area)} per unit area)`);
    console.log(`  Euler–Maruyama    σ_dt = ${num(t.eprDiscrete)}   (${num(t.eprDiscrete / area)} per unit area)`);
    console.log(
      `  detailed balance  ${t.equilibrium ? 'holds' : 'broken'}${t.equilibrium ? '' : ': K·diag(f′(u*)) is not symmetric where f′ varies, at the bump\u2019s edge'}`,
    );
    console.log(`stationary variance per cell (mean over cells) = ${num(t.cellVariance)}`);
  }
  if (lin.unavailable) console.log(`no rates: ${lin.unavailable}`);
}
