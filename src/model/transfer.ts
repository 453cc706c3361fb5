import type { Transfer } from '../config/schema.js';

/** f(u) of docs/model.md §1. */
export function transferFunction(t: Transfer): (u: number) => number {
  switch (t.type) {
    case 'linear': {
      const s = t.slope;
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
    case 'linear':
      return () => t.slope;
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
      return Math.abs(t.slope);
    case 'sigmoid':
      return t.gain / 4;
    case 'tanh':
      return t.gain;
  }
}

/** Applies f to count values of u from uOffset into out from outOffset. */
export function applyTransfer(t: Transfer, u: Float64Array, out: Float64Array, uOffset: number, outOffset: number, count: number): void {
  if (t.type === 'linear') {
    const s = t.slope;
    for (let i = 0; i < count; i++) out[outOffset + i] = s * u[uOffset + i];
    return;
  }
  const f = transferFunction(t);
  for (let i = 0; i < count; i++) out[outOffset + i] = f(u[uOffset + i]);
}
