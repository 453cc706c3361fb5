import { ConfigError, sig6 as fmt } from '../config/errors.js';
import { gridOf } from '../config/geometry.js';
import { fieldValues } from '../config/maps.js';
import type { Config } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import type { Observer } from '../engine/observer.js';
import { kernelStencil } from '../model/kernels.js';
import { noisePower } from '../model/noise-spectrum.js';
import { maxGain } from '../model/transfer.js';
import { DENSE_MAX_CELLS } from '../theory/dense.js';
import { modesForSlope } from '../theory/modes.js';
import { instabilityReason, nonlinearStepLimit, stabilityOf } from '../theory/stability.js';
import { assertRunnable } from './preflight.js';

/**
 * Divergence caught during a run (issue 14): a NaN or Inf anywhere in the
 * field, or a field grown far beyond the spread the dynamics allow, stops the
 * run at the first window that shows it, before anything of that window is
 * used or written, with where and the likely cause.
 *
 * What it costs. Measured steps: nothing on the device. The cell-variance
 * observer already hands the host Σ(u − ref) and Σ(u − ref)² of every replica
 * on every step; `watch` passes them through a check of 2R numbers per step,
 * and a NaN or Inf in any cell makes them non-finite on that very step (an
 * overflow of the float32 sums on the GPU does too, past any ceiling). The
 * field is read only once it has failed, to name the cell.
 *
 * Burn-in steps have no observers (the GPU engine then skips its reduction
 * passes). The guard reads the field instead at BURN_IN_CHECKS points spread
 * over the burn-in, the last at its end, before the estimators attach: a few
 * reads of the field per run (each about the cost of a window's totals on a
 * software adapter, and a bounded few on hardware), where an observer during
 * the burn-in would add its passes to every step. A divergence in the burn-in
 * is then named between the last good read and the first bad one.
 *
 * The ceiling. A stable run's per-replica RMS of u stays below
 * scale = initial + centre + noise, each a bound from the config:
 * - initial: max|u_0| at the run's start. For a uniform linear field
 *   M = I − dt·A is circulant, hence normal, and damps the deviation from the
 *   fixed point in the 2-norm, so its RMS never exceeds its start;
 * - centre: the noiseless fixed point's RMS. Linear: RMS(u*) ≤ max|h| /
 *   min_k |1 − s·Ŵ_k| (the 2-norm of (I − sK)⁻¹), at each end of a slope map.
 *   Sigmoid or tanh: |f| ≤ 1, so with z the leak-only Ornstein–Uhlenbeck part
 *   (below), y = u − z obeys y' = (1 − dt/τ)y + (dt/τ)(K f(u) + h) and stays
 *   within c·(Σ|W| + max|h|), c = 1 for dt ≤ τ, (dt/τ)/(2 − dt/τ) above;
 * - noise: the per-step noise √(2 D_max dt/a)·√max P_k amplified by the
 *   slowest damping of the chain, 1/√(1 − ρ²): ρ = max |1 − dt·a_k| over the
 *   modes the chain damps (linear; its mode variances average to the cell
 *   variance, so their largest bounds it), ρ = |1 − dt/τ| for the leak-only z.
 * A replica whose RMS about the sums' reference c exceeds CEILING_FACTOR·scale
 * + |c| has diverged: a Gaussian fluctuation of CEILING_FACTOR standard
 * deviations has probability below e^(−500000), and the factor also absorbs
 * what the bounds leave out for maps (non-normal transients; a slope map's
 * modes between its two ends).
 */

/** What the guard reads of an engine: a batch member's view reads only its replicas (src/run/batch/). */
export type FieldReader = Pick<Engine, 'readField' | 'stepIndex'>;

/** How many standard scales a replica's RMS may reach before the run is stopped. */
export const CEILING_FACTOR = 1000;

/** Field reads spread over the burn-in (the last one at its end). */
export const BURN_IN_CHECKS = 8;

/** What went wrong, where and why: the parts of the message. */
export interface DivergenceReport {
  /** The first step n known bad: u_n (after n steps; the engine's step index) held it. */
  step: number;
  /** The last step known good, when the first bad step is known only to lie after it (burn-in reads). */
  lastGood?: number;
  /** The step at which the field was read to name the cell (the end of the window). */
  readAt: number;
  replica: number;
  /** (x, y) of the first non-finite cell, else of the largest |u|; (x) on a ring. */
  cell: number[];
  value: number;
  /** Non-finite cells in that replica at `readAt`, of `cells`. */
  nonFinite: number;
  cells: number;
  /** When the field was finite but too large: its RMS and the ceiling it passed. */
  ceiling?: { rms: number; limit: number };
  cause: string;
  advice: string;
}

/** A run stopped because its field diverged: one line, nothing of the bad window written. */
export class DivergenceError extends Error {
  constructor(readonly report: DivergenceReport) {
    super(divergenceMessage(report));
    this.name = 'DivergenceError';
  }
}

export function divergenceMessage(r: DivergenceReport): string {
  const when = r.lastGood === undefined ? `at step ${r.step}` : `between steps ${r.lastGood} and ${r.step}`;
  const where = `cell (${r.cell.join(', ')}), replica ${r.replica}: u = ${number(r.value)}`;
  const extra = [
    r.readAt !== r.step ? `read at step ${r.readAt}` : '',
    r.nonFinite > 1 ? `${r.nonFinite} of ${r.cells} cells not finite` : '',
    r.ceiling ? `RMS of u ${number(r.ceiling.rms)} past the ceiling ${number(r.ceiling.limit)}` : '',
  ].filter(Boolean);
  return `the field diverged ${when} (${where}${extra.length ? `; ${extra.join('; ')}` : ''}): likely cause: ${r.cause}; what to try: ${r.advice}`;
}

/** A value of u: six digits, in exponent form when large or small. */
function number(v: number): string {
  return Number.isFinite(v) && v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4) ? v.toExponential(4) : fmt(v);
}

/** The parts of a stable run's spread (see the file's comment); Infinity where the chain damps nothing. */
export interface SpreadScale {
  initial: number;
  centre: number;
  noise: number;
}

/** centre and noise of the ceiling's scale: one O(N) pass over the modes (the kernel spectrum is cached per config). */
export function spreadScale(config: Config, initial: number): SpreadScale {
  const grid = gridOf(config);
  const D = fieldValues(config, 'noise.amplitude');
  const dMax = typeof D === 'number' ? D : D.reduce((m, d) => Math.max(m, d), 0);
  const power = config.noise.correlationLength > 0 ? noisePower(config).reduce((m, p) => Math.max(m, p), 0) : 1;
  const step = Math.sqrt((2 * dMax * config.dt * power) / grid.area);
  const h = fieldValues(config, 'input');
  const hMax = typeof h === 'number' ? Math.abs(h) : h.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const t = config.transfer;
  const dtTau = config.dt / config.tau;
  if (t.type !== 'linear') {
    const wSum = kernelStencil(config).weights.reduce((s, w) => s + Math.abs(w), 0);
    const c = dtTau <= 1 ? 1 : dtTau < 2 ? dtTau / (2 - dtTau) : Infinity;
    const rho = Math.abs(1 - dtTau);
    return { initial, centre: c * (wSum + hMax), noise: rho < 1 ? step / Math.sqrt(1 - rho * rho) : Infinity };
  }
  let rho = 0;
  let gap = Infinity;
  for (const s of slopeEnds(config)) {
    const { aRe, aIm } = modesForSlope(config, s);
    for (let k = 0; k < aRe.length; k++) {
      const r2 = (1 - config.dt * aRe[k]) ** 2 + (config.dt * aIm[k]) ** 2;
      if (r2 < 1) rho = Math.max(rho, r2);
      gap = Math.min(gap, config.tau * Math.hypot(aRe[k], aIm[k]));
    }
  }
  return { initial, centre: hMax === 0 ? 0 : hMax / gap, noise: step / Math.sqrt(1 - rho) };
}

/** A uniform slope, or a slope map's smallest and largest. */
function slopeEnds(config: Config): number[] {
  const s = fieldValues(config, 'transfer.slope');
  if (typeof s === 'number') return [s];
  return [s.reduce((m, v) => Math.min(m, v), Infinity), s.reduce((m, v) => Math.max(m, v), -Infinity)];
}

/**
 * The likely cause and what to try, from the stability checks (docs/model.md §5,
 * §9.5) where they say something, else from the initial field and the transfer.
 * Runs only after a failure: a slope map's check takes seconds at 32².
 */
export function likelyCause(config: Config, initialMax: number): { cause: string; advice: string } {
  const t = config.transfer;
  const dt = config.dt;
  // The checks before a run (preflight.ts), which a run may have skipped (RunPlan.checked): their refusal is the cause.
  const refusal = typeof fieldValues(config, 'transfer.slope') === 'number' ? instabilityReason(config) : slopeMapRefusal(config);
  if (refusal) return { cause: refusal, advice: refusal.startsWith('dt = ') ? 'a smaller dt, below the limit the cause names' : 'a lower transfer.slope or kernel amplitude' };
  // A field whose square overflows (float64 past 1.3e154; the GPU's float32 sums past 1.8e19).
  if (initialMax > 1e15) {
    return { cause: `the initial field (max |u_0| = ${fmt(initialMax)}), beyond what the engine's arithmetic carries through a step`, advice: 'a smaller initial field (initial.std, amplitude or base)' };
  }
  if (t.type === 'linear' && typeof t.slope === 'number') {
    const s = stabilityOf(modesForSlope(config, t.slope), dt).discrete;
    if (dt > 0.8 * s.dtMax) {
      return {
        cause: `dt = ${fmt(dt)} is close to the Euler–Maruyama stability limit dt < ${fmt(s.dtMax)} (mode (p, q) = (${s.worst.mode.join(', ')}))`,
        advice: `a smaller dt, e.g. ${fmt(s.dtMax / 2)}`,
      };
    }
  } else if (t.type === 'linear') {
    if (gridOf(config).cells > DENSE_MAX_CELLS) {
      return {
        cause: `the transfer.slope map: past ${DENSE_MAX_CELLS} cells only the uniform fields at its smallest and largest slopes are checked for stability, not the map itself`,
        advice: 'a lower peak of the slope map, or a smaller dt',
      };
    }
  } else {
    const limit = nonlinearStepLimit(config);
    if (dt > 0.8 * limit.dtMax) {
      return {
        cause: `dt = ${fmt(dt)} is close to the nonlinear field's step limit ${fmt(limit.dtMax)} (mode (p, q) = (${limit.mode.join(', ')}) at gain f′ = ${fmt(limit.gain)})`,
        advice: `a smaller dt, e.g. ${fmt(limit.dtMax / 2)}`,
      };
    }
  }
  if (t.type !== 'linear') {
    return {
      cause: `the ${t.type} transfer's steep branch (max f′ = ${fmt(maxGain(t))}) with this kernel, although the stability checks pass`,
      advice: 'a lower transfer.gain or a smaller dt',
    };
  }
  return { cause: 'none the stability checks know of (they pass for this config)', advice: 'a smaller dt; please report the config' };
}

/** assertRunnable's refusal of a slope map (the dense or Fourier-block stability), if any. */
function slopeMapRefusal(config: Config): string | undefined {
  try {
    assertRunnable(config);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('; ');
    throw e;
  }
}

/** The first bad step a window showed, until `check` reports it. */
interface BadStep {
  step: number;
  lastGood?: number;
  replica: number;
  /** The RMS of u − reference (NaN when not finite). */
  rms: number;
  reference: number;
  /** The bad field itself, and the step it is of: the bad step's for reads and samples; `check` reads it at the window's end for sums. */
  field?: Float64Array;
  readAt?: number;
}

/**
 * The run's divergence check. `begin` once before the first step (reads
 * u_0), `burnIn` after each burn-in piece, `watch` around the cell-variance
 * observer (or `watchSamples` around an observer sampling whole fields),
 * `check` once per window of steps, before its results are used or written:
 * each throws DivergenceError on a bad field.
 */
export class DivergenceGuard {
  private initialMax: number | undefined;
  private scale: number | undefined;
  private bad: BadStep | undefined;
  private lastRead = -1;
  private burnInChecks = 0;
  private readonly cells: number;

  constructor(
    readonly config: Config,
    readonly replicas: number,
  ) {
    this.cells = gridOf(config).cells;
  }

  /** Reads the field at the run's start (the initial term of the ceiling) and checks it. Once. */
  async begin(engine: FieldReader): Promise<void> {
    if (this.initialMax !== undefined) return;
    const field = await engine.readField();
    let max = 0;
    for (const v of field) max = Math.max(max, Math.abs(v));
    this.initialMax = Number.isFinite(max) ? max : Infinity;
    this.inspectField(engine.stepIndex, field);
    this.throwIfBad();
  }

  /** Steps from `done` to the burn-in's next field read (BURN_IN_CHECKS of them, the last at its end): the run advances no further in one piece. */
  burnInPiece(done: number, burnIn: number): number {
    return Math.max(1, Math.min(burnIn, Math.ceil(((this.burnInChecks + 1) * burnIn) / BURN_IN_CHECKS)) - done);
  }

  /** After a piece of the burn-in (`done` of `burnIn` steps): reads and checks the field when a read is due. */
  async burnIn(engine: FieldReader, done: number, burnIn: number): Promise<void> {
    const due = Math.ceil(((this.burnInChecks + 1) * burnIn) / BURN_IN_CHECKS);
    if (done < burnIn && done < due) return;
    this.burnInChecks = Math.floor((done * BURN_IN_CHECKS) / burnIn);
    this.inspectField(engine.stepIndex, await engine.readField());
    this.throwIfBad();
  }

  /** The cell-variance observer, its sums (Σ(u − ref), Σ(u − ref)² per replica, ref its params[0]) checked on every step too. */
  watch<H>(observer: Observer<H>): Observer<H> {
    return {
      ...observer,
      start: async (link) => {
        const session = await observer.start(link);
        const reference = session.params?.[0] ?? 0;
        return {
          ...session,
          add: (step, sums) => {
            session.add?.(step, sums);
            if (!this.bad) this.inspectSums(step + 1, sums, reference);
          },
        };
      },
    };
  }

  /** An observer that samples whole fields (the ensemble's entropy): each u_{n+1} it receives checked too. */
  watchSamples<H>(observer: Observer<H>): Observer<H> {
    return {
      ...observer,
      start: async (link) => {
        const session = await observer.start(link);
        const sample = session.sample;
        if (!sample) return session;
        return {
          ...session,
          sample: {
            wants: (step) => sample.wants(step),
            add: (step, u, uNext) => {
              sample.add(step, u, uNext);
              if (!this.bad) this.inspectField(step + 1, uNext);
            },
          },
        };
      },
    };
  }

  /** After a window: throws for the first bad step it showed (reading the field to name the cell when it has none). */
  async check(engine: FieldReader): Promise<void> {
    if (!this.bad) return;
    if (!this.bad.field) Object.assign(this.bad, { field: await engine.readField(), readAt: engine.stepIndex });
    this.throwIfBad();
  }

  private inspectSums(step: number, sums: Float64Array, reference: number): void {
    for (let r = 0; r < this.replicas; r++) {
      const [s1, s2] = [sums[2 * r], sums[2 * r + 1]];
      const rms = Number.isFinite(s1) && Number.isFinite(s2) ? Math.sqrt(Math.max(s2, 0) / this.cells) : NaN;
      if (this.exceeds(rms, reference)) {
        this.bad = { step, replica: r, rms, reference };
        return;
      }
    }
  }

  /** A whole field at `step` (u_step, replica-major): its RMS per replica against the ceiling about 0. */
  private inspectField(step: number, field: Float64Array): void {
    const N = this.cells;
    for (let r = 0; r < this.replicas && !this.bad; r++) {
      let s2 = 0;
      for (let i = r * N; i < (r + 1) * N; i++) s2 += field[i] * field[i];
      const rms = Math.sqrt(s2 / N);
      if (this.exceeds(rms, 0)) {
        const lastGood = this.lastRead >= 0 && this.lastRead < step - 1 ? this.lastRead : undefined;
        this.bad = { step, ...(lastGood !== undefined && { lastGood }), replica: r, rms, reference: 0, field: field.slice(), readAt: step };
      }
    }
    if (!this.bad) this.lastRead = step;
  }

  /** Not finite, or past the ceiling; the scale (one pass over the modes) computed only when the initial term alone would not do. */
  private exceeds(rms: number, reference: number): boolean {
    const cheap = CEILING_FACTOR * (this.initialMax ?? 0) + Math.abs(reference);
    return !(rms <= cheap) && !(rms <= this.ceiling(reference));
  }

  /** CEILING_FACTOR·scale + |c| for an RMS about c. */
  private ceiling(reference: number): number {
    if (this.scale === undefined) {
      const s = spreadScale(this.config, this.initialMax ?? 0);
      this.scale = s.initial + s.centre + s.noise;
    }
    return CEILING_FACTOR * this.scale + Math.abs(reference);
  }

  private throwIfBad(): void {
    const bad = this.bad;
    if (!bad?.field) return;
    const { field, replica } = bad;
    const grid = gridOf(this.config);
    const N = this.cells;
    let at = 0;
    let nonFinite = 0;
    let largest = -1;
    for (let i = 0; i < N; i++) {
      const v = field[replica * N + i];
      if (!Number.isFinite(v)) {
        if (nonFinite++ === 0) at = i;
      } else if (nonFinite === 0 && Math.abs(v) > largest) {
        at = i;
        largest = Math.abs(v);
      }
    }
    const { cause, advice } = likelyCause(this.config, this.initialMax ?? 0);
    throw new DivergenceError({
      step: bad.step,
      ...(bad.lastGood !== undefined && { lastGood: bad.lastGood }),
      readAt: bad.readAt ?? bad.step,
      replica,
      cell: grid.dimensions === 1 ? [at] : [at % grid.nx, Math.floor(at / grid.nx)],
      value: field[replica * N + at],
      nonFinite,
      cells: N,
      ...(Number.isFinite(bad.rms) && { ceiling: { rms: bad.rms, limit: this.ceiling(bad.reference) } }),
      cause,
      advice,
    });
  }
}
