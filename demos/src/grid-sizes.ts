import { largestGrid, type BufferLimits } from '../../src/gpu/footprint.js';

const SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

/**
 * The grid sizes the page offers: those whose field (n² float32 cells, one
 * replica) fits both buffer limits of the adapter, as src/gpu/footprint.ts
 * checks them when an engine is made. A config naming a larger grid (a link)
 * is still refused there, before anything is allocated, with the limit named.
 */
export function gridSizesFor(limits: BufferLimits): number[] {
  const largest = largestGrid(limits);
  return SIZES.filter((n) => n <= largest);
}
