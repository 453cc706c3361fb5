import type { Config } from '../../src/config/schema.js';
import type { FourierTheory } from '../../src/theory/fourier.js';
import { linearisationNote, type LinearisationNote, type LinearTheory } from '../../src/theory/linear.js';

/**
 * What the page shows of a config's theory (src/theory/linear.ts linearTheory:
 * Fourier for uniform configs, dense for noise or slope maps up to 32²; for
 * sigmoid or tanh that of a linearisation), in a form that crosses a worker's
 * postMessage: numbers, one Float64Array and the linearisation's note.
 */
export interface TheorySummary {
  method: LinearTheory['method'];
  eprDiscrete: number | null;
  eprContinuous: number | null;
  equilibrium: boolean;
  equilibriumResidual: number;
  /** The maps that made it dense (noise.amplitude, transfer.slope). */
  maps: string[];
  /** Per cell (iy·n + ix), the theory's local density per unit area and time (docs/model.md §8); uniform σ_dt/L² for Fourier. */
  localDensity: Float64Array | null;
  /** For a sigmoid or tanh field: what the theory was linearised about. */
  linearisation?: LinearisationNote;
  /** The Fourier theory itself (σ(k) by shell, the relaxation time); main thread only. */
  fourier?: FourierTheory;
}

export function summarizeTheory(t: LinearTheory): TheorySummary {
  return {
    method: t.method,
    eprDiscrete: t.eprDiscrete,
    eprContinuous: t.eprContinuous,
    equilibrium: t.equilibrium,
    equilibriumResidual: t.equilibriumResidual,
    maps: t.maps,
    localDensity: t.localDensity(),
    ...(t.linearisation && { linearisation: linearisationNote(t.linearisation) }),
  };
}

/** A request to the theory worker (demos/src/theory-worker.ts). */
export interface WorkerRequest {
  id: number;
  /** preflight: assertRunnable (src/run/preflight.ts); theory: linearTheory. */
  kind: 'preflight' | 'theory';
  config: Config;
}

export type WorkerReply =
  | { id: number; ok: true; value: TheorySummary | null }
  | { id: number; ok: false; error: { name: string; message: string; problems?: string[] } };
