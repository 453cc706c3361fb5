import type { ConfigInput } from './schema.js';

/**
 * Named starting points shipped with the package. `amari-ep config --preset NAME`
 * prints one as a file to edit.
 */
export const presets = {
  /** Linear field, symmetric Gaussian kernel: detailed balance holds, σ = 0. */
  equilibrium: {
    grid: { n: 64, length: 64 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
    input: 0.1,
    noise: { amplitude: 0.02, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
  /** The same field with the kernel shifted by 1.5 cells: a steady probability current, σ > 0. */
  irreversible: {
    grid: { n: 64, length: 64 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
    input: 0.1,
    noise: { amplitude: 0.02, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
  /** Sigmoid field with lateral inhibition: activity bumps form and drift along the shift. */
  bump: {
    grid: { n: 64, length: 64 },
    tau: 1,
    transfer: { type: 'sigmoid', gain: 6, threshold: 0.5 },
    kernel: {
      type: 'mexican-hat',
      excitation: { amplitude: 12, sigma: 2 },
      inhibition: { amplitude: 12, sigma: 4 },
      shift: [0.5, 0],
      radius: 12,
    },
    input: 0.2,
    noise: { amplitude: 0.002, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'random', std: 0.3 },
  },
  /**
   * Symmetric kernel, uniform gain, and a stripe of strong noise (D = 0.2 on 6 ≤ x < 10,
   * 0.01 elsewhere): out of equilibrium although K is symmetric; the entropy is
   * produced at the stripe's edges (docs/model.md §8).
   */
  'noise-stripe': {
    grid: { n: 16, length: 16 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
    input: 0.1,
    noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 }, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
  /**
   * Symmetric kernel, a gain map g (0.9 on a disc, 0.5 outside) and noise D = 0.01/g:
   * A𝒟 = (diag(1/g) − K)/(100τ) is symmetric, so the field is at equilibrium (σ = 0)
   * although its coupling K·diag(g) is not symmetric (docs/model.md §8).
   */
  'gain-balanced': {
    grid: { n: 16, length: 16 },
    tau: 1,
    transfer: { type: 'linear', slope: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.9, outside: 0.5 } },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
    input: 0,
    noise: { amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.01 / 0.9, outside: 0.01 / 0.5 }, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
  /**
   * A sigmoid field with a symmetric mexican hat holds one bump, started from
   * `initial: bump`; the input map (h = −1 plus a bump of 0.5 at the centre) pins
   * it where the torus would let it drift. Linearised about the stationary bump
   * u*(x) (a gain map f′(u*(x)) under a symmetric kernel), it is out of
   * equilibrium, and the entropy is produced at the bump's edge (docs/model.md §9.13).
   */
  'pinned-bump': {
    grid: { n: 16, length: 16 },
    tau: 1,
    transfer: { type: 'sigmoid', gain: 3, threshold: 0.5 },
    kernel: {
      type: 'mexican-hat',
      excitation: { amplitude: 8, sigma: 1.5 },
      inhibition: { amplitude: 6.4, sigma: 3 },
      shift: [0, 0],
      radius: 7,
    },
    input: { pattern: 'bump', center: [8, 8], sigma: 2, base: -1, peak: -0.5 },
    noise: { amplitude: 0.05, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'bump', center: [8, 8], width: 2, amplitude: 3, base: -1 },
  },
  /** Amari's original geometry: a ring of 256 cells, the kernel shifted along it, so activity circulates: σ > 0. */
  ring: {
    grid: { n: 256, length: 128, dimensions: 1 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: 1.5 },
    input: 0.1,
    noise: { amplitude: 0.02, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
  /** A strip of cortex: a 256 × 64 rectangle with the kernel shifted along its length. */
  strip: {
    grid: { n: [256, 64], length: [128, 32] },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
    input: 0.1,
    noise: { amplitude: 0.02, correlationLength: 0 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  },
} satisfies Record<string, ConfigInput>;

export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as PresetName[];
export const DEFAULT_PRESET: PresetName = 'irreversible';
