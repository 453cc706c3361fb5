import type { Transfer } from '../config/schema.js';

/** The slope of a linear transfer that is the same in every cell; a slope map has none (use the per-cell gain of stepCoefficients). */
function uniformSlope(t: Extract<Transfer, { type: 'linear' }>): number {
  if (typeof t.slope !== 'number') throw new Error('transfer.slope is a map: there is no single transfer function; use the per-cell gain');
  return t.slope;
}

/** f(u) of docs/model.md §1. */
export function transferFunction(t: Transfer): (u: number) => number {
  switch (t.type) {
    case 'linear': {
      const s = uniformSlope(t);
      return (u) => s * u;
    }
    case 'sigmoid': {
      const { gain, threshold } = t;
      return (u) => 1 / (1 + Math.exp(-gain * (u - threshold)));
    }
    case 'tanh': {
      const { gain, threshold } = t;
      return (u) => Math.tanh(gain * (u - threshold));
    }
  }
}

/** f′(u). */
export function transferDerivative(t: Transfer): (u: number) => number {
  switch (t.type) {
    case 'linear': {
      const s = uniformSlope(t);
      return () => s;
    }
    case 'sigmoid': {
      const f = transferFunction(t);
      return (u) => {
        const y = f(u);
        return t.gain * y * (1 - y);
      };
    }
    case 'tanh':
      return (u) => {
        const y = Math.tanh(t.gain * (u - t.threshold));
        return t.gain * (1 - y * y);
      };
  }
}

/** The largest |f′| anywhere: the steepest linearisation the dynamics can meet. */
export function maxGain(t: Transfer): number {
  switch (t.type) {
    case 'linear':
      return Math.abs(uniformSlope(t));
    case 'sigmoid':
      return t.gain / 4;
    case 'tanh':
      return t.gain;
  }
}

/**
 * Applies f to count values of u from uOffset into out from outOffset. A linear
 * transfer multiplies by its slope: `slope`, one number or one per cell (a map,
 * indexed from 0 over the count values), defaults to transfer.slope.
 */
export function applyTransfer(
  t: Transfer,
  u: Float64Array,
  out: Float64Array,
  uOffset: number,
  outOffset: number,
  count: number,
  slope?: number | Float64Array,
): void {
  if (t.type === 'linear') {
    const s = slope ?? uniformSlope(t);
    if (typeof s === 'number') for (let i = 0; i < count; i++) out[outOffset + i] = s * u[uOffset + i];
    else for (let i = 0; i < count; i++) out[outOffset + i] = s[i] * u[uOffset + i];
    return;
  }
  const f = transferFunction(t);
  for (let i = 0; i < count; i++) out[outOffset + i] = f(u[uOffset + i]);
}
