import type { Config } from '../config/schema.js';
import type { Engine, EngineState } from '../engine/engine.js';
import { ensembleEntropy, jackknifeError } from '../estimators/ensemble-entropy/index.js';
import { entropyProduction, type EntropyProductionState } from '../estimators/entropy-production/index.js';
import { relaxationTheory } from '../theory/relaxation.js';
import { TheoryNotApplicable } from '../theory/modes.js';
import { DivergenceGuard } from './divergence.js';
import { assertRunnable } from './preflight.js';

export interface RelaxOptions extends RelaxCheckpointing {
  steps: number;
  /** Steps between records of the ensemble's entropy; the balance is taken over each interval. */
  recordEvery: number;
}

/** A relaxation resumed from a snapshot (RelaxState) on a fresh engine of the same config, replicas and kind: the plan is the snapshot's. */
export interface RelaxResumeOptions extends RelaxCheckpointing {
  resume: RelaxState;
}

interface RelaxCheckpointing {
  onProgress?: (done: number, total: number) => void;
  /**
   * Steps between checkpoints: `onCheckpoint` is called at the first record
   * past each multiple of it, the last excepted. The relaxation advances one
   * record interval at a time whatever the cadence, so checkpoints change no number.
   */
  checkpointEvery?: number;
  /** Given the relaxation's whole state at a record (between two intervals). */
  onCheckpoint?: (state: RelaxState) => Promise<void> | void;
}

/**
 * Everything a relaxation is at a record, to go on from there bit for bit
 * (a relax checkpoint holds it: src/run/checkpoint/relax-checkpoint.ts): the
 * plan, the steps done, the engine's state, the entropy estimator's block
 * sums and map, and the ensemble entropies recorded so far. The records keep
 * S from all replicas and leaving each one out (R + 1 numbers), not the
 * fields' spectra they came from (R·N numbers each): the balance needs no more.
 */
export interface RelaxState {
  plan: { steps: number; recordEvery: number };
  done: number;
  engine: EngineState;
  entropy: EntropyProductionState;
  /** Per record so far, oldest first: [S, S leaving out replica 0, …, leaving out replica R − 1]. */
  records: Float64Array[];
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
export async function relax(engine: Engine, options: RelaxOptions | RelaxResumeOptions): Promise<RelaxResult> {
  const { config, replicas: R } = engine;
  const resume = 'resume' in options ? options.resume : undefined;
  const { steps, recordEvery: m } = resume?.plan ?? (options as RelaxOptions);
  if (!(Number.isInteger(m) && m >= 1 && steps >= 2 * m && steps % m === 0)) {
    throw new RangeError(`steps (${steps}) must be a multiple of record-every (${m}), at least twice it`);
  }
  if (R < 4) throw new RangeError(`replicas must be at least 4 for ensemble entropies and jackknife errors (got ${R})`);
  const every = options.checkpointEvery;
  if (every !== undefined && !(Number.isInteger(every) && every >= 1)) throw new RangeError(`checkpoints: every must be an integer ≥ 1 (got ${every})`);
  if (resume && !(resume.done % m === 0 && resume.done >= 0 && resume.done <= steps && resume.records.length === resume.done / m && resume.records.every((r) => r.length === R + 1))) {
    throw new RangeError(`the saved relaxation is not at a record of its own plan (${resume.done} steps done, ${resume.records.length} records of ${R + 1} values, every ${m} steps)`);
  }
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
  if (resume) await engine.restoreState(resume.engine);
  // The ensemble's entropy reads every replica's field each record: the guard checks those fields as they pass (divergence.ts).
  const guard = new DivergenceGuard(config, R);
  await guard.begin(engine);
  // Attached at a record (the start, or a resumed one): the block and record boundaries fall where they did.
  const estimator = await engine.observe(entropyProduction(m, resume?.entropy));
  const observed = await engine.observe(guard.watchSamples(ensembleEntropy(m)));
  // Each record's entropies as it arrives: S from all replicas, then leaving each out.
  const records = resume ? resume.records.slice() : [];
  const takeRecords = () => {
    for (const s of observed.spectra.splice(0)) records.push(Float64Array.from({ length: R + 1 }, (_, i) => s.entropy(i - 1)));
  };
  for (let done = resume?.done ?? 0; done < steps; ) {
    await engine.advance(m);
    await guard.check(engine);
    takeRecords();
    const before = done;
    done += m;
    options.onProgress?.(done, steps);
    if (every && options.onCheckpoint && done < steps && Math.floor(done / every) > Math.floor(before / every)) {
      const state: RelaxState = {
        plan: { steps, recordEvery: m },
        done,
        engine: await engine.saveState(),
        entropy: await estimator.snapshot(),
        records: records.map((r) => r.slice()),
      };
      await options.onCheckpoint(state);
    }
  }
  estimator.detach();
  observed.detach();
  const blocks = estimator.blocks();

  const entropyOut = records.map((r) => r.subarray(1));
  const entropyAll = records.map((r) => r[0]);
  const rows: BalanceRow[] = [];
  for (let j = 0; j < records.length; j++) {
    const step = (j + 1) * m;
    const row: BalanceRow = {
      step,
      time: step * dt,
      entropy: { value: entropyAll[j], stderr: jackknifeError(entropyOut[j]), theory: theory ? theory.entropy[step] : null },
    };
    if (j + 1 < records.length) {
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
