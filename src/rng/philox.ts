/**
 * Philox4x32-10 (Salmon et al., SC'11), exactly as docs/model.md §3 defines it, plus the
 * Box–Muller normal that every backend draws from it. Counter-based: the normal
 * for (cell, step, replica, stream) depends on nothing else, so the CPU and GPU
 * engines draw identical numbers in any order.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Stream 0 drives the dynamics noise, stream 1 the random initial field (docs/model.md §3). */
export const STREAM_NOISE = 0;
export const STREAM_INITIAL = 1;

/**
 * Step indices run over [0, 2⁵³): the integers a JS number holds exactly. The
 * counter scheme below has room for 2⁵⁶; the host's numbers are the bound.
 */
export const STEP_LIMIT = 2 ** 53;

/** Streams occupy the low 8 bits of the counter word c3; the step's high word sits above them. */
const STREAM_BITS = 8;

/**
 * The counter words of step n: c1 = n mod 2³², and ⌊n/2³²⌋, which goes into
 * c3 above the stream. The contract (spec §3) puts n in the 32-bit word c1
 * and says nothing of n ≥ 2³²; c3 holds the stream, only ever 0 or 1, so
 * its high bits are 0 for every draw the contract defines. Folding ⌊n/2³²⌋
 * there keeps every draw with n < 2³² bit-identical, gives each (n, stream)
 * its own counter, and leaves the key (the seed) alone (docs/model.md §3).
 * Refuses an index that is not an integer in [0, 2⁵³).
 */
export function stepWords(step: number): [lo: number, hi: number] {
  if (!(Number.isSafeInteger(step) && step >= 0)) {
    throw new RangeError(`step index ${step} is outside the Philox counter's range: it must be an integer in [0, 2⁵³)`);
  }
  return [step % 4294967296, Math.floor(step / 4294967296)];
}

/** The counter word c3: the stream (< 2⁸) with ⌊n/2³²⌋ (< 2²¹ for n < 2⁵³) above it. */
export function streamWord(stream: number, stepHi: number): number {
  return (stream | (stepHi << STREAM_BITS)) >>> 0;
}

/**
 * High 32 bits of the 64-bit product of two u32, from 16-bit limbs: every
 * partial product fits a double exactly, and no division is needed.
 */
function mulhi(a: number, b: number): number {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Writes Philox4x32-10(counter, key) into out[0..3] as u32. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number,
  k0: number, k1: number,
  out: Uint32Array,
): void {
  c0 >>>= 0; c1 >>>= 0; c2 >>>= 0; c3 >>>= 0; k0 >>>= 0; k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

/** The Philox key of a seed: (seed mod 2³², ⌊seed/2³²⌋). Seeds are integers in [0, 2⁵³). */
export function philoxKey(seed: number): [number, number] {
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

const TWO_PI = 2 * Math.PI;
const INV_2_24 = 1 / 16777216;

/** Box–Muller on the top 24 bits of two Philox words (docs/model.md §3). */
export function normalFromWords(x0: number, x1: number): number {
  const u0 = ((x0 >>> 8) + 0.5) * INV_2_24;
  const u1 = ((x1 >>> 8) + 0.5) * INV_2_24;
  return Math.sqrt(-2 * Math.log(u0)) * Math.cos(TWO_PI * (u1 - 0.5));
}

/**
 * Draws the standard normals of one (step, replica, stream) for cells 0..count-1,
 * counter (i, n mod 2³², r, stream + 2⁸·⌊n/2³²⌋).
 * The scratch word buffer is the caller's so a hot loop allocates nothing.
 */
export function fillNormals(
  out: Float64Array, step: number, replica: number, stream: number,
  key: readonly [number, number], words: Uint32Array = new Uint32Array(4),
): void {
  const [k0, k1] = key;
  const [lo, hi] = stepWords(step);
  const c3 = streamWord(stream, hi);
  for (let i = 0; i < out.length; i++) {
    philox4x32(i, lo, replica, c3, k0, k1, words);
    out[i] = normalFromWords(words[0], words[1]);
  }
}

/**
 * The same draws as fillNormals, plus a second independent normal per cell
 * from the words x2, x3 of the same Philox output (the white floor of
 * correlated noise, noise.whiteFraction > 0).
 */
export function fillNormalPairs(
  first: Float64Array, second: Float64Array, step: number, replica: number, stream: number,
  key: readonly [number, number], words: Uint32Array = new Uint32Array(4),
): void {
  const [k0, k1] = key;
  const [lo, hi] = stepWords(step);
  const c3 = streamWord(stream, hi);
  for (let i = 0; i < first.length; i++) {
    philox4x32(i, lo, replica, c3, k0, k1, words);
    first[i] = normalFromWords(words[0], words[1]);
    second[i] = normalFromWords(words[2], words[3]);
  }
}
