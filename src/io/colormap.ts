import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

/**
 * The two colour maps of amari-ep, shared by the PNG writer and the demo's
 * render pipeline: viridis (perceptually uniform) for fields, and red–blue
 * centred on zero for signed maps such as the local entropy production.
 */
export type Palette = 'sequential' | 'diverging';

export const LUT_SIZE = 256;

function parseColour(css: string): [number, number, number] {
  if (css.startsWith('#')) return [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16)) as [number, number, number];
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (!m) throw new Error(`unexpected colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** 256 RGB triples, low to high. */
export function colourTable(palette: Palette): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    // RdBu runs red → blue; reversed, positive values are red.
    lut.set(parseColour(palette === 'sequential' ? interpolateViridis(t) : interpolateRdBu(1 - t)), i * 3);
  }
  return lut;
}

