/**
 * How the GPU transforms lines of a given length, decided on the host with no
 * GPU (tests assert which path a length takes):
 *
 * - `identity`: length 1.
 * - `radix2-shared`: a power of two up to MAX_SHARED_FFT, one workgroup per
 *   line in workgroup memory (fft.wgsl fft_shared), the fastest path.
 * - `mixed-shared`: any other length up to MAX_MIXED_SHARED_FFT whose prime
 *   factors are 2, 3, 5 and 7: Stockham stages of radix 4, 2, 3, 5, 7 in
 *   workgroup memory (fft_shared_mixed).
 * - `stages`: the same factors, longer lines: one dispatch per Stockham stage
 *   between the data and a scratch buffer (fft_stage), an even number of
 *   stages (a radix-1 copy is added to an odd count) so the result ends in data.
 * - `bluestein`: a prime factor above 7 (13, 127, 1009 …): the chirp-z
 *   transform, a cyclic convolution of a power-of-two length ≥ 2n − 1 done
 *   by that length's plan (bluestein.ts).
 */
export type LinePlan =
  | { kind: 'identity'; n: number }
  | { kind: 'radix2-shared'; n: number; log2n: number }
  | { kind: 'mixed-shared'; n: number; radices: number[] }
  | { kind: 'stages'; n: number; radices: number[] }
  | { kind: 'bluestein'; n: number; padded: number; inner: LinePlan };

/** Lines up to this length are transformed in workgroup memory (2048 complex floats: 16 KiB). */
export const MAX_SHARED_FFT = 2048;
/**
 * Mixed-radix lines up to this length stay in workgroup memory: each stage
 * goes from one half of it to the other (fft.wgsl fft_shared_mixed).
 */
export const MAX_MIXED_SHARED_FFT = MAX_SHARED_FFT / 2;
/** Threads of every FFT workgroup. */
export const FFT_THREADS = 256;
/** Stages fft_shared_mixed takes: their radices are packed 4 bits each into one u32. */
const MAX_PACKED_STAGES = 8;
/** The radices fft.wgsl has butterflies for. */
const PRIMES = [2, 3, 5, 7];

export interface PlanOptions {
  /** Use the global `stages` path even where a line fits workgroup memory (to test it). */
  forceGlobal?: boolean;
}

export function planLine(n: number, options: PlanOptions = {}): LinePlan {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`an FFT length is a positive integer (got ${n})`);
  if (n === 1) return { kind: 'identity', n };
  const radices = smoothRadices(n);
  if (!radices) {
    const padded = 2 ** Math.ceil(Math.log2(2 * n - 1));
    return { kind: 'bluestein', n, padded, inner: planLine(padded, options) };
  }
  const shared = !options.forceGlobal;
  if (shared && n <= MAX_SHARED_FFT && (n & (n - 1)) === 0) return { kind: 'radix2-shared', n, log2n: Math.log2(n) };
  if (shared && n <= MAX_MIXED_SHARED_FFT && radices.length <= MAX_PACKED_STAGES) return { kind: 'mixed-shared', n, radices };
  return { kind: 'stages', n, radices: radices.length % 2 === 0 ? radices : [...radices, 1] };
}

/**
 * The radices of n's Stockham stages, 4s first (half the stages of 2s), then
 * a 2, 3s, 5s and 7s; undefined when n has a prime factor above 7.
 */
export function smoothRadices(n: number): number[] | undefined {
  const counts = PRIMES.map((p) => {
    let count = 0;
    while (n % p === 0) {
      n /= p;
      count++;
    }
    return count;
  });
  if (n !== 1) return undefined;
  const [twos, threes, fives, sevens] = counts;
  return [
    ...Array<number>(Math.floor(twos / 2)).fill(4),
    ...Array<number>(twos % 2).fill(2),
    ...Array<number>(threes).fill(3),
    ...Array<number>(fives).fill(5),
    ...Array<number>(sevens).fill(7),
  ];
}

/** fft_shared_mixed's radices, 4 bits each, first stage lowest. */
export function packRadices(radices: number[]): number {
  if (radices.length > MAX_PACKED_STAGES) throw new RangeError(`${radices.length} stages do not pack into one u32`);
  return radices.reduce((packed, r, s) => packed + r * 16 ** s, 0);
}
