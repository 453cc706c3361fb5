import type { DriftVariant } from '../../src/gpu/gpu-engine.js';
import type { Roofline } from './roofline.js';
import type { GpuRequest, GridSize, BenchMode } from './plan.js';
import type { StepCost } from './step-model.js';
import type { Spread } from './stats.js';

/**
 * One engine at one size and radius: the step of a run with the estimators
 * attached (`estimator: true`: what a user's run pays), or the pure step
 * (noise, convolution, update) with nothing observing it.
 */
export interface EngineRow extends GridSize {
  engine: 'gpu' | 'cpu';
  estimator: boolean;
  /** GPU rows: the convolution asked for, and the drift kernel that ran it (GpuEngine.driftVariant). */
  request?: GpuRequest;
  driftVariant?: DriftVariant;
  /** GPU rows: whether the update ran inside the separable row pass (GpuEngine.updateFused). */
  updateFused?: boolean;
  /** GPU rows: the separable column pass's workgroup that ran, "32×4/8" (layout/tiles.ts shapeLabel). */
  separableShape?: string;
  /** GPU rows: steps per dispatch where nothing observes (GpuEngine.blockedSteps: temporal blocking), 1 or absent: one. */
  blockedSteps?: number;
  radius: number;
  steps: number;
  cellStepsPerSecond: Spread;
  secondsPerStep: Spread;
  /** GPU time per step from timestamp queries, when the device has them. */
  gpuSecondsPerStep?: Spread;
  timing: 'gpu-timestamps' | 'wall';
  /** What the row checked of its own output, in words (the table prints it). */
  check: string;
}

export type GpuRow = EngineRow & { cost: StepCost; bandwidthFraction: number; flopsFraction: number };

/** A Python peer's row: NumPy/SciPy on the CPU, PyTorch on a CUDA GPU. */
export interface PeerRow extends GridSize {
  engine: 'numpy-fft' | 'numpy-direct' | 'torch-fft';
  /** What ran, in a few words: the library, device and precision ("scipy.fft, float64"). */
  method: string;
  /** The libraries' versions, for the report's notes. */
  versions: string;
  estimator: boolean;
  radius: number;
  cellStepsPerSecond: Spread;
  /** The faster of a peer's convolutions with the estimator (NumPy: FFT or direct); false on no-estimator rows. */
  fastest: boolean;
  check: string;
}

export interface SkippedRow extends GridSize {
  engine: string;
  radius: number;
  skipped: string;
}

export type Row = GpuRow | EngineRow | PeerRow | SkippedRow;

/** The convolution `auto` would take for a grid and radius, and how it was decided (GpuEngine.convolutionNote). */
export interface AutoChoice extends GridSize {
  radius: number;
  convolution: 'stencil' | 'fft';
  driftVariant: DriftVariant;
  how: string;
}

export interface BenchReport {
  version: 2;
  mode: BenchMode;
  date: string;
  environment: Record<string, string | number>;
  adapter: string | null;
  roofline: Roofline | null;
  rows: Row[];
  choices: AutoChoice[];
  notes: string[];
}

export const isSkipped = (row: Row): row is SkippedRow => 'skipped' in row;
export const isPeerRow = (row: Row): row is PeerRow => !isSkipped(row) && 'method' in row;
export const isGpuRow = (row: Row): row is GpuRow => !isSkipped(row) && !isPeerRow(row) && row.engine === 'gpu';
