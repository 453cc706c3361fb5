import type { Config } from '../config/schema.js';
import { MAPPED_FIELDS, fieldSpec } from '../config/maps.js';
import { kernelRadiusCells } from '../model/kernels.js';

/** How the engine convolves: the tiled (or, past MAX_TILED_RADIUS, direct) stencil, or the FFT. */
export type ConvolutionPath = 'stencil' | 'fft';

/**
 * Milliseconds per step of a path on a throwaway engine of `config` (the
 * engine supplies it: no import cycle). It may stop timing, returning what it
 * has, once a step is known to cost more than `limitMs`.
 */
export type TimeConvolution = (path: ConvolutionPath, config: Config, limitMs?: number) => Promise<number>;

/**
 * Where choices outlive the process: the browser's localStorage, a file on
 * disk for the CLI. Keys name the adapter, the grid and the stencil radius.
 */
export interface ConvolutionCache {
  load(key: string): ConvolutionPath | undefined;
  store(key: string, path: ConvolutionPath): void;
}

/** The path, and how it was decided (for the start-up status and the CLI's note). */
export interface ConvolutionChoice {
  path: ConvolutionPath;
  how: string;
}

/**
 * Side of the grid the two paths are timed on. Timing them at full size cost
 * about a minute at 4096² on a software adapter; at 512² a step of either
 * path takes milliseconds on a GPU and a fraction of a second on llvmpipe.
 */
export const TIMING_N = 512;

/** Radii up to this never lose to the FFT's two transforms per step: not measured. */
const SMALL_RADIUS = 2;

const choices = new Map<string, Promise<ConvolutionChoice>>();

/**
 * The faster convolution for an adapter, grid size and stencil radius: from
 * the process's memory, else the cache, else measured. Both paths are timed
 * on a grid of at most TIMING_N² with the same cell size (the same stencil
 * in cells) and extrapolated: the stencil's work grows as n², the FFT's as
 * n² log n, so the FFT's time is scaled by log(n)/log(m) more. A stencil
 * reaching half the timing grid is wider than any stencil worth running:
 * the FFT, unmeasured.
 */
export function chooseConvolution(
  description: string, config: Config, time: TimeConvolution, cache?: ConvolutionCache,
): Promise<ConvolutionChoice> {
  const radius = kernelRadiusCells(config);
  const n = config.grid.n;
  if (radius <= SMALL_RADIUS) return Promise.resolve({ path: 'stencil', how: `stencil radius ${radius}: not measured` });
  const m = Math.min(n, TIMING_N);
  if (2 * radius + 1 > m) return Promise.resolve({ path: 'fft', how: `stencil radius ${radius} cells: wider than any stencil worth timing` });
  const key = `${description}|n=${n}|r=${radius}`;
  let choice = choices.get(key);
  if (!choice) {
    const cached = cache?.load(key);
    choice = cached ? Promise.resolve({ path: cached, how: 'cached for this adapter' }) : measure(config, m, time).then((c) => (cache?.store(key, c.path), c));
    choices.set(key, choice);
    choice.catch(() => choices.delete(key));
  }
  return choice;
}

async function measure(config: Config, m: number, time: TimeConvolution): Promise<ConvolutionChoice> {
  const small = timingConfig(config, m);
  const n = config.grid.n;
  const growth = Math.log(n) / Math.log(m);
  const stencil = await time('stencil', small);
  // The FFT loses once its step at m², scaled to n², costs more than the stencil's.
  const fftAtN = (await time('fft', small, stencil / growth)) * growth;
  const path = fftAtN < stencil ? 'fft' : 'stencil';
  const where = m === n ? `${n}²` : `${m}², extrapolated to ${n}²`;
  return { path, how: `measured on ${where}: stencil ${stencil.toPrecision(3)} ms, FFT ${fftAtN.toPrecision(3)} ms per step` };
}

/**
 * The config on an m×m grid with the same cell size. Maps become uniform:
 * both paths read them the same way, and a map file has the full grid's
 * shape. Only the convolution's cost is compared; the values need not be the run's.
 */
export function timingConfig(config: Config, m: number): Config {
  const { n, length } = config.grid;
  // The run's own config on its own grid: the spectra cached for it serve the timed engines too.
  if (m === n) return config;
  const uniform = (field: (typeof MAPPED_FIELDS)[number], fallback: number) => {
    const v = fieldSpec(config, field);
    return typeof v === 'number' ? v : fallback;
  };
  const transfer = config.transfer.type === 'linear' ? { ...config.transfer, slope: uniform('transfer.slope', 0.5) } : config.transfer;
  return {
    ...config,
    grid: { ...config.grid, n: m, length: (length * m) / n },
    noise: { ...config.noise, amplitude: uniform('noise.amplitude', 0.01) },
    input: uniform('input', 0),
    transfer,
  } as Config;
}

/** Forgets the choices made in this process (tests measure afresh). */
export function forgetConvolutionChoices(): void {
  choices.clear();
}
