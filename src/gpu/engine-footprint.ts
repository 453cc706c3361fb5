import { gridOf, kernelRadii, noiseRadii } from '../config/geometry.js';
import { mappedFields } from '../config/maps.js';
import type { Config } from '../config/schema.js';
import type { BufferLimits } from './buffer-limits.js';
import { SimParams, STEP_SLOT_BYTES } from './layout/structs.js';
import { directDispatch } from './layout/tiles.js';
import { driftVariant } from './passes/drift/drift.js';
import { separableTaps } from './passes/drift/separable-taps.js';
import { GpuFft2 } from './passes/fft/fft.js';
import { modeSpectrumBuffers } from './passes/mode-spectrum/mode-spectrum.js';

/** The convolution path the engine runs (after `auto` has chosen). */
export type FootprintPath = 'fft' | 'stencil' | 'stencil-2d';

export interface FootprintOptions {
  path: FootprintPath;
  noiseShaping: 'stencil' | 'fft';
  /** Steps per window: the step slots and the observers' window totals. */
  windowSteps: number;
  /**
   * `run`: also what `amari-ep run` attaches and reads (the entropy map, the
   * observation's partials and window totals, σ(k) with its FFT, a field's
   * read-back), counted as an upper bound; `none`: the engine as created.
   */
  observers: 'run' | 'none';
}

export interface Footprint {
  /** Bytes of all buffers together. */
  bytes: number;
  /** The same by what they hold, largest first. */
  parts: [what: string, bytes: number][];
}

/**
 * Uniforms, FFT parameter blocks, tables and placeholders: a bound, not a
 * count. The FFT's twiddles and Bluestein's chirp and kernel spectrum are at
 * most 48 bytes per point of an axis (8n, 8n and 8·padded ≤ 32n); its
 * parameter blocks a few dozen per axis of FftParams.size.
 */
const SMALL_FIXED = 64 * 1024;
const FFT_TABLE_BYTES_PER_POINT = 64;

/** The run's observer rows: at most 8 floats per replica (entropy 1, variance 2, spatial mean 1, …), in chunks of 4. */
const RUN_OBSERVER_CHUNKS = 2;

/**
 * Every buffer the GPU engine allocates for `config` × `replicas` on the
 * given path, from the same sizes the engine uses (context.ts, gpu-engine.ts,
 * the passes): exact for everything that grows with the grid, a stated bound
 * for the small rest. test/gpu/engine-footprint.test.ts sums the buffers a
 * created engine made against it.
 */
export function engineFootprint(config: Config, replicas: number, options: FootprintOptions, limits: BufferLimits): Footprint {
  const grid = gridOf(config);
  const { nx, ny, cells } = grid;
  const field = replicas * cells * 4;
  const correlated = config.noise.correlationLength > 0;
  const parts: Record<string, number> = {};
  const add = (what: string, bytes: number) => (parts[what] = (parts[what] ?? 0) + bytes);

  add('fields u_n, u_{n+1}', 2 * field);
  add('drifts F(u_n), F(u_{n+1})', 2 * field);
  add('coefficient maps', mappedFields(config).length * cells * 4);
  add('step slots', options.windowSteps * STEP_SLOT_BYTES);
  let small = SMALL_FIXED + SimParams.size;

  // One complex buffer, a multiplier and an FFT per spectral filter (passes/spectral/spectral.ts).
  const spectral = (what: string, count: number) => {
    if (count === 0) return;
    add(what, count * (2 * field + 8 * cells + GpuFft2.scratchBytes([nx, ny], replicas)));
    small += count * FFT_TABLE_BYTES_PER_POINT * (nx + ny);
  };
  if (correlated && options.noiseShaping === 'stencil') {
    add('noise filter (two fields)', 2 * field);
    const r = noiseRadii(config);
    small += 4 * (2 * r.x + 1 + 2 * r.y + 1);
  }
  spectral('noise shaping by FFT', correlated && options.noiseShaping === 'fft' ? 1 : 0);
  spectral('FFT convolution', options.path === 'fft' ? 1 : 0);
  spectral('inverse noise covariance (two filters)', correlated ? 2 : 0);

  const variant = driftVariant(options.path, config, replicas, limits);
  if (variant === 'separable') {
    const taps = separableTaps(config)!;
    if (!taps.ring) add('separable row pass', taps.terms * field);
    small += taps.data.byteLength;
  } else if (variant !== 'spectral') {
    const r = kernelRadii(config);
    add('2-D stencil weights', 4 * (2 * r.x + 1) * (2 * r.y + 1));
  }

  if (options.observers === 'run') {
    add('entropy map', field);
    add('read-back of a field', field);
    const workgroups = directDispatch(grid, replicas).reduce((a, b) => a * b, 1);
    add('observation partials and window totals', workgroups * RUN_OBSERVER_CHUNKS * 16 + 2 * options.windowSteps * replicas * RUN_OBSERVER_CHUNKS * 16);
    const shells = Math.ceil(Math.hypot(nx, ny) / 2) + 1;
    const spectrum = modeSpectrumBuffers({ nx, ny, shells, capacity: options.windowSteps, correlated });
    add('σ(k) from data', Object.values(spectrum).reduce((a, b) => a + b, 0) + options.windowSteps * STEP_SLOT_BYTES);
    small += FFT_TABLE_BYTES_PER_POINT * (nx + ny);
  }
  add('uniforms, taps and tables (bound)', small);

  const list = Object.entries(parts).filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]);
  return { bytes: list.reduce((s, [, b]) => s + b, 0), parts: list };
}
