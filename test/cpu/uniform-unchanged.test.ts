import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';

/** Two 32-bit FNV-style hashes of the bytes: any change of any bit shows. */
function fingerprint(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0xcbf29ce4 >>> 0;
  let h2 = 0x84222325 >>> 0;
  for (let i = 0; i < b.length; i++) {
    h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ b[i], 0x5bd1e995) >>> 0;
  }
  return h.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

const base = (over: object) => parseConfig({ ...structuredClone(presetConfig('irreversible')), grid: { n: 16, length: 16 }, ...over });

/**
 * Recorded with the engine as it was before maps (docs/model.md §8) existed:
 * a uniform config keeps the scalar path, so its field, its entropy sums and its
 * density map stay bit for bit what they were.
 */
const recorded: [string, () => Config, { field: string; sums: number[]; density: string }][] = [
  [
    'white noise',
    () => base({}),
    { field: '3c35c1763dce55d7', sums: [45.25296018385069, 4.193071569959665, 79.2841539235195, 80.14756674101415], density: '0b8d98ae2545addd' },
  ],
  [
    'correlated noise with a white floor',
    () => base({ noise: { amplitude: 0.02, correlationLength: 1.5, whiteFraction: 0.1 } }),
    { field: 'b332034b15259a70', sums: [57.06482735735345, 25.760131902523895, 57.533481121553336, 13.076120100103767], density: '7d0ce8233d963118' },
  ],
  [
    'sigmoid transfer',
    () =>
      parseConfig({
        ...structuredClone(presetConfig('bump')),
        grid: { n: 32, length: 32 },
        kernel: { type: 'mexican-hat', excitation: { amplitude: 12, sigma: 2 }, inhibition: { amplitude: 12, sigma: 4 }, shift: [0.5, 0], radius: 12 },
      }),
    { field: 'f89d52c5c0134902', sums: [344921.84092383576, 312798.62334891706, 311016.49997131195, 311952.34499473183], density: '0644816e5b283bd3' },
  ],
];

describe('uniform configs are unchanged by maps', () => {
  it.each(recorded)('%s: the CPU field after 300 steps, the entropy sums and the density map are bit-identical', async (_name, make, expected) => {
    const engine = new CpuEngine(make(), 2);
    await engine.advance(100);
    const entropy = await engine.observe(entropyProduction(50));
    await engine.advance(200);
    expect(fingerprint(await engine.readField())).toBe(expected.field);
    expect(Array.from(entropy.blocks().sums)).toEqual(expected.sums);
    expect(fingerprint(await entropy.density())).toBe(expected.density);
  });
});
