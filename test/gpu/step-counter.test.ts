import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine, EngineState } from '../../src/engine/engine.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { encodeStepSlots, STEP_SLOT_BYTES, StepParams } from '../../src/gpu/layout/structs.js';
import { useGpuDevice } from './device-fixture.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';
import { statisticsBase } from '../helpers.js';

/**
 * The Philox step counter beyond 2³² on the GPU (docs/model.md §3): the step
 * slots carry both words of n, and every kernel that draws noise (the white
 * update, the separable noise filter with its white floor, spectral shaping)
 * agrees with the CPU reference across n = 2³². A kernel that dropped the high
 * word would draw step k's noise at 2³² + k and leave the CPU by far more
 * than float32 rounding.
 */
describe('step slots', () => {
  it('carry n mod 2³² and ⌊n/2³²⌋ across the boundary', () => {
    const first = 2 ** 32 - 1;
    const slots = encodeStepSlots(first, 3);
    const word = (s: number, field: 'step' | 'stepHi' | 'slot') => slots[(s * STEP_SLOT_BYTES + StepParams.offsets[field]) / 4];
    expect([0, 1, 2].map((s) => [word(s, 'step'), word(s, 'stepHi'), word(s, 'slot')])).toEqual([[2 ** 32 - 1, 0, 0], [0, 1, 1], [1, 1, 2]]);
    expect(() => encodeStepSlots(2 ** 53 - 1, 2)).toThrow(/step index 9007199254740992 is outside the Philox counter's range/);
  });
});

const gpu = useGpuDevice();

const START = 2 ** 32 - 2;
const STEPS = 4;
const small: ConfigInput = { ...statisticsBase, grid: { n: 16, length: 16 } };

async function gpuEngine(over: Partial<ConfigInput>, options = {}) {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig({ ...small, ...over }), 2, options);
  gpu.keep(engine);
  return engine;
}

async function from(engine: Engine, state: EngineState, stepIndex: number): Promise<Float64Array> {
  await engine.restoreState({ ...state, stepIndex });
  await engine.advance(STEPS);
  expect(engine.stepIndex).toBe(stepIndex + STEPS);
  return engine.readField();
}

describe('GPU and CPU across step 2³²', () => {
  it.each<[string, Partial<ConfigInput>, object]>([
    ['white noise (update pass)', {}, {}],
    ['correlated noise with a white floor (separable noise filter)', { noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } }, { noiseShaping: 'stencil' }],
    ['correlated noise shaped by FFT (spectral pass)', { noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } }, { noiseShaping: 'fft' }],
  ])('%s: steps 2³² − 2 .. 2³² + 1 agree to float32 rounding', async (_name, over, options) => {
    const g = await gpuEngine(over, options);
    const c = new CpuEngine(g.config, 2);
    // Both start from the GPU's float32 field, so they differ only by arithmetic.
    const state = await g.saveState();
    const late = await from(g, state, START);
    expect(relativeFieldDifference(late, await from(c, state, START))).toBeLessThan(1e-5);
    // A 32-bit counter would draw steps 2³², 2³² + 1 as 0, 1: far off.
    await c.restoreState({ ...state, stepIndex: START });
    await c.advance(2);
    await c.restoreState({ ...(await c.saveState()), stepIndex: 0 });
    await c.advance(2);
    expect(relativeFieldDifference(late, await c.readField())).toBeGreaterThan(1e-3);
  });

  it('a state beyond the counter is refused before anything changes', async () => {
    const g = await gpuEngine({});
    const state = await g.saveState();
    await expect(g.restoreState({ ...state, stepIndex: 2 ** 53 })).rejects.toThrow(/must be an integer in \[0, 2⁵³\)/);
    expect(g.stepIndex).toBe(state.stepIndex);
  });
});
