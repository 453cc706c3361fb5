import { largestGrid, type BufferLimits } from '../../src/gpu/footprint.js';

/**
 * Sides the size list offers: powers of two (the FFT's fastest sizes) and
 * round numbers beside them (any integer runs, docs/model.md §7), so that
 * 1000² next to 1024² is one click.
 */
const SIZES = [16, 32, 64, 100, 128, 200, 256, 500, 512, 1000, 1024, 2000, 2048, 4000, 4096, 8000, 8192, 10000, 16384];

/** The smallest side the free entry takes: the schema's least grid.n (src/config/schema.ts). */
export const MIN_SIDE = 4;

/**
 * The grid sizes the page's list offers: those whose field (n² float32 cells,
 * one replica) fits both buffer limits of the adapter, as src/gpu/footprint.ts
 * checks them when an engine is made. The free entry beside the list takes any
 * side ≥ MIN_SIDE, and the config editor any rectangle or ring; a grid too
 * large (typed, or from a link) is refused there, before anything is
 * allocated, with the limit named.
 */
export function gridSizesFor(limits: BufferLimits): number[] {
  const largest = largestGrid(limits);
  return SIZES.filter((n) => n <= largest);
}
