import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { makeManifest, type SweepOptions } from '../../src/sweep/manifest.js';
import { parseParam } from '../../src/sweep/params.js';
import { sweepPoints } from '../../src/sweep/points.js';
import { theoryCurves } from '../../src/sweep/theory-curves.js';
import { theoryFor } from '../../src/run/simulate.js';

const options: SweepOptions = {
  steps: 100, burnIn: 0, replicas: 1, blocks: 10, backend: 'cpu', convolution: 'auto', noiseShaping: 'stencil', spectrumSamples: 0, curvePoints: 5,
};
const base = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 } });

describe('theory curves along a sweep', () => {
  it('the seed, which the theory ignores: no curve per seed along dt, and a flat curve between its ends along its own axis', () => {
    const params = ['dt=0.02:0.04:3', 'seed=1,2,7'].map((p) => parseParam(p));
    const curves = theoryCurves(makeManifest(base, params, options, sweepPoints(params)));
    const along = (axis: string) => curves.filter((c) => c.axis === axis);
    // Along dt: one curve, held at no seed; dense (5 values) between the ends.
    expect(along('dt')).toHaveLength(1);
    expect(along('dt')[0].fixed).toEqual({});
    expect(along('dt')[0].x).toEqual([0.02, 0.025, 0.03, 0.035, 0.04]);
    for (const [i, dt] of along('dt')[0].x.entries()) {
      const theory = theoryFor({ ...base, dt });
      expect('unavailable' in theory ? null : theory.eprDiscrete).toBe(along('dt')[0].discrete[i]);
    }
    // Along the seed: one curve per dt, at its two ends (integers), flat.
    expect(along('seed').map((c) => c.fixed)).toEqual([{ dt: 0.02 }, { dt: 0.03 }, { dt: 0.04 }]);
    for (const c of along('seed')) {
      expect(c.x).toEqual([1, 7]);
      expect(c.discrete[0]).not.toBeNull();
      expect(c.discrete[1]).toBe(c.discrete[0]);
    }
  });
});
