import type { Config } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { ensembleEntropy, jackknifeError } from '../estimators/ensemble-entropy/index.js';
import { entropyProduction } from '../estimators/entropy-production/index.js';
import { relaxationTheory } from '../theory/relaxation.js';
import { TheoryNotApplicable } from '../theory/modes.js';
import { DivergenceGuard } from './divergence.js';
import { assertRunnable } from './preflight.js';

export interface RelaxOptions {
  steps: number;
  /** Steps between records of the ensemble's entropy; the balance is taken over each interval. */
  recordEvery: number;
  onProgress?: (done: number, total: number) => void;
}

/** A value with its jackknife standard error, and the theory's value where there is one. */
export interface Measured {
  value: number;
  stderr: number;
  theory: number | null;
}

/**
 * One record of the balance σ = dS/dt + Φ (docs/model.md §6). S is the ensemble's
 * Shannon entropy at step n; dS/dt, Φ and σ are averages over the interval
 * from n to the next record (absent on the last record).
 */
export interface BalanceRow {
  step: number;
  time: number;
  entropy: Measured;
  interval?: { entropyRate: Measured; flow: Measured; production: Measured };
}

export interface RelaxResult {
  config: Config;
  replicas: number;
  rows: BalanceRow[];
  theoryNote: string | null;
  /** What S is for this field: null when it is the ensemble's Shannon entropy (linear), else why it is only a bound. */
  entropyNote: string | null;
}

/**
 * S_n is ½ Σ_k ln(2πe ĉ_k): the entropy of the Gaussian with the ensemble's
 * mode variances. A linear field driven by Gaussian noise from a Gaussian (or
 * fixed) start stays Gaussian, and S is its Shannon entropy. A nonlinear field
 * is not Gaussian; for a given covariance the Gaussian has the largest entropy,
 * and keeping only the diagonal of the covariance in Fourier space raises it
 * further (Hadamard's inequality), so S is an upper bound. A linear field with
 * a noise or gain map stays Gaussian but is not translation-invariant: its
 * Fourier modes are correlated and the same inequality makes S an upper
 * bound. dS/dt and σ, made of differences of such bounds, bound nothing.
 */
export function entropyNoteFor(config: Config): string | null {
  const type = config.transfer.type;
  const mapped = [
    typeof config.noise.amplitude !== 'number' && 'noise.amplitude',
    type === 'linear' && typeof config.transfer.slope !== 'number' && 'transfer.slope',
  ].filter((k): k is string => typeof k === 'string');
  if (type === 'linear' && mapped.length) {
    // Gaussian, but its covariance is not diagonal in Fourier space.
    return (
      `S is ½ Σ_k ln(2πe ĉ_k) from the ensemble's Fourier mode variances; with a map of ${mapped.join(' and ')} ` +
      `the field is not translation-invariant, its modes are correlated, and S is an upper bound on the Shannon entropy ` +
      `(Hadamard's inequality), so dS/dt and σ = dS/dt + Φ built from it are not bounds (Φ does not depend on it)`
    );
  }
  if (type === 'linear') return null;
  return (
    `S is the Gaussian entropy ½ Σ_k ln(2πe ĉ_k) of the ensemble's mode variances; with transfer.type = "${type}" ` +
    `the ensemble is not Gaussian and S is an upper bound on its Shannon entropy (a Gaussian has the largest entropy ` +
    `for a given covariance), so dS/dt and σ = dS/dt + Φ built from it are not bounds (Φ does not depend on it)`
  );
}

/**
 * Relaxation of an ensemble from the config's initial condition: R replicas
 * run together; every `recordEvery` steps their fields give S_n, and the
 * entropy estimator's per-replica sums give Φ over each interval. All errors
 * are jackknife errors over replicas, so the correlation between S at the two
 * ends of an interval and Φ inside it is accounted for. The first record is
 * at n = recordEvery: a zero field has S_0 = −∞.
 */
export async function relax(engine: Engine, options: RelaxOptions): Promise<RelaxResult> {
  const { config, replicas: R } = engine;
  const { steps, recordEvery: m } = options;
  if (!(Number.isInteger(m) && m >= 1 && steps >= 2 * m && steps % m === 0)) {
    throw new RangeError(`steps (${steps}) must be a multiple of record-every (${m}), at least twice it`);
  }
  if (R < 4) throw new RangeError(`replicas must be at least 4 for ensemble entropies and jackknife errors (got ${R})`);
  assertRunnable(config);
  let theory: ReturnType<typeof relaxationTheory> | null = null;
  let theoryNote: string | null = null;
  try {
    theory = relaxationTheory(config, steps);
  } catch (e) {
    if (!(e instanceof TheoryNotApplicable)) throw e;
    theoryNote = e.message;
  }
  const dt = config.dt;
  // The ensemble's entropy reads every replica's field each record: the guard checks those fields as they pass (divergence.ts).
  const guard = new DivergenceGuard(config, R);
  await guard.begin(engine);
  const estimator = await engine.observe(entropyProduction(m));
  const records = await engine.observe(guard.watchSamples(ensembleEntropy(m)));
  for (let done = 0; done < steps; ) {
    await engine.advance(m);
    await guard.check(engine);
    done += m;
    options.onProgress?.(done, steps);
  }
  estimator.detach();
  records.detach();
  const blocks = estimator.blocks();
  const spectra = records.spectra;

  const entropyOut = spectra.map((s) => Float64Array.from({ length: R }, (_, r) => s.entropy(r)));
  const entropyAll = spectra.map((s) => s.entropy());
  const rows: BalanceRow[] = [];
  for (let j = 0; j < spectra.length; j++) {
    const step = (j + 1) * m;
    const row: BalanceRow = {
      step,
      time: step * dt,
      entropy: { value: entropyAll[j], stderr: jackknifeError(entropyOut[j]), theory: theory ? theory.entropy[step] : null },
    };
    if (j + 1 < spectra.length) {
      // Block j + 1 of the estimator holds steps [step, step + m).
      const perReplica = blocks.replicaSums![j + 1];
      const total = perReplica.reduce((a, b) => a + b, 0);
      const flowOut = perReplica.map((x) => (total - x) / (R - 1) / (m * dt));
      const rateOut = entropyOut[j + 1].map((s1, r) => (s1 - entropyOut[j][r]) / (m * dt));
      const productionOut = rateOut.map((x, r) => x + flowOut[r]);
      const rate = (entropyAll[j + 1] - entropyAll[j]) / (m * dt);
      const flow = total / R / (m * dt);
      let flowTheory: number | null = null;
      let rateTheory: number | null = null;
      if (theory) {
        flowTheory = 0;
        for (let k = step; k < step + m; k++) flowTheory += theory.flow[k] / m;
        rateTheory = (theory.entropy[step + m] - theory.entropy[step]) / (m * dt);
      }
      row.interval = {
        entropyRate: { value: rate, stderr: jackknifeError(rateOut), theory: rateTheory },
        flow: { value: flow, stderr: jackknifeError(flowOut), theory: flowTheory },
        production: {
          value: rate + flow,
          stderr: jackknifeError(productionOut),
          theory: rateTheory === null || flowTheory === null ? null : rateTheory + flowTheory,
        },
      };
    }
    rows.push(row);
  }
  return { config, replicas: R, rows, theoryNote, entropyNote: entropyNoteFor(config) };
}
