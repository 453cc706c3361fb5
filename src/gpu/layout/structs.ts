import { struct } from './struct.js';
import { bindings, uniform } from './bindings.js';
import { stepWords } from '../../rng/philox.js';

/**
 * The one uniform every pass reads. Coefficients that a later map may vary per
 * cell (input, gain, noise scale, entropy weight) are read through the
 * accessors of src/gpu/coefficients.ts, never as `params.<field>` directly.
 */
export const SimParams = struct('SimParams', [
  ['nx', 'u32'],
  ['ny', 'u32'],
  ['radiusX', 'u32'],
  ['radiusY', 'u32'],
  ['noiseRadiusX', 'u32'],
  ['noiseRadiusY', 'u32'],
  ['seedLo', 'u32'],
  ['seedHi', 'u32'],
  ['dt', 'f32'],
  ['invTau', 'f32'],
  ['h', 'f32'],
  ['gain', 'f32'],
  ['threshold', 'f32'],
  ['noiseScale', 'f32'],
  ['epWeight', 'f32'],
  ['halfDt', 'f32'],
  ['shapedWeight', 'f32'],
  ['floorWeight', 'f32'],
] as const, {
  nx: 'cells along x (a row)',
  ny: 'cells along y (rows; 1 on a ring)',
  radiusX: 'kernel stencil radius along x (cells)',
  radiusY: 'kernel stencil radius along y (cells; 0 on a ring)',
  noiseRadiusX: 'noise filter radius along x (cells), 0 for white noise',
  noiseRadiusY: 'noise filter radius along y (cells), 0 for white noise and on a ring',
  h: 'input (uniform config): read input_at(cell)',
  gain: 'transfer gain (uniform config): read gain_at(cell)',
  noiseScale: '√(2D dt/a) (uniform config): read noise_scale(cell)',
  epWeight: 'a/(2D), a the cell area (uniform config): read entropy_weight(cell)',
});
export type SimParamValues = Record<(typeof SimParams.fields)[number][0], number>;

/** Each step's StepParams slot: the minimum dynamic uniform offset alignment. */
export const STEP_SLOT_BYTES = 256;

/**
 * The per-step uniform, bound with a dynamic offset: one 256-byte slot per step
 * of a window, written once per window, so that no step needs a host round trip.
 */
export const StepParams = struct('StepParams', [
  ['step', 'u32'],
  ['slot', 'u32'],
  ['stepHi', 'u32'],
] as const, {
  step: 'n mod 2³²: the Philox counter word c1 of this step\'s noise',
  slot: 'this step\'s row in the window\'s totals',
  stepHi: '⌊n/2³²⌋: goes into the counter word c3 above the stream (philox_counter)',
});

/** Group 1 of every engine pipeline: the step's slot. */
export const stepBindings = bindings(1, { stepParams: uniform('StepParams', { dynamicSize: StepParams.size }) }, 'step params');

/**
 * Encodes the step slots of a window: steps first .. first + count − 1, each
 * index split into its two counter words (src/rng/philox.ts stepWords, which
 * refuses an index beyond 2⁵³).
 */
export function encodeStepSlots(first: number, count: number): Uint32Array<ArrayBuffer> {
  const slots = new Uint32Array((count * STEP_SLOT_BYTES) / 4);
  for (let s = 0; s < count; s++) {
    const at = (s * STEP_SLOT_BYTES) / 4;
    const [lo, hi] = stepWords(first + s);
    slots[at + StepParams.offsets.step / 4] = lo;
    slots[at + StepParams.offsets.stepHi / 4] = hi;
    slots[at + StepParams.offsets.slot / 4] = s;
  }
  return slots;
}

/** The reduce pass's uniform: how many workgroup partials each replica's row sums. */
export const ReduceParams = struct('ReduceParams', [['partialsPerReplica', 'u32']] as const, {
  partialsPerReplica: 'workgroups of the observing kernel per replica',
});

/**
 * The FFT's uniform: one per dispatch of a different shape (a Stockham stage,
 * a Bluestein step). Lines are addressed as replica·block + line·pitch +
 * i·stride in the buffer bound as `data` (a row: stride 1, pitch nx; a
 * column: stride nx, pitch 1); Bluestein's work buffer holds `padded` values
 * per line, line after line.
 */
export const FftParams = struct('FftParams', [
  ['n', 'u32'],
  ['log2n', 'u32'],
  ['span', 'u32'],
  ['radix', 'u32'],
  ['lines', 'u32'],
  ['stride', 'u32'],
  ['pitch', 'u32'],
  ['block', 'u32'],
  ['radices', 'u32'],
  ['stages', 'u32'],
  ['padded', 'u32'],
] as const, {
  n: 'the transform length of a line',
  log2n: 'fft_shared: log2(n)',
  span: 'fft_stage: Ns, the product of the radices of the stages before',
  radix: 'fft_stage: this stage\'s radix (1: a copy)',
  lines: 'lines per replica',
  stride: 'between the values of a line',
  pitch: 'between lines',
  block: 'between replicas',
  radices: 'fft_shared_mixed: the radices, 4 bits each, first stage lowest',
  stages: 'fft_shared_mixed: how many',
  padded: 'Bluestein: the convolution length',
});
export type FftParamValues = Record<(typeof FftParams.fields)[number][0], number>;
