import { describe, expect, it } from 'vitest';
import { LastGoodState, LossBudget, MIN_SAVE_INTERVAL_MS, SAVE_COST_FACTOR } from '../../demos/src/device-recovery.js';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import type { EngineState } from '../../src/engine/engine.js';

const state = (field: number[], stepIndex = 10): EngineState => ({ stepIndex, replicas: 1, shape: [field.length], field: Float64Array.from(field) });

describe('the loss budget', () => {
  it('allows two recoveries within a minute and refuses the third loss', () => {
    const budget = new LossBudget(3, 60_000);
    expect(budget.record(0)).toBe(true);
    expect(budget.record(30_000)).toBe(true);
    expect(budget.record(59_000)).toBe(false);
    expect(budget.recent).toBe(3);
  });

  it('forgets losses older than the window', () => {
    const budget = new LossBudget(3, 60_000);
    budget.record(0);
    budget.record(1_000);
    // The first two are more than a minute old: this is the only recent one.
    expect(budget.record(62_000)).toBe(true);
    expect(budget.recent).toBe(1);
  });
});

describe('the last good state', () => {
  const config = parseConfig(presets.irreversible);

  it('is due at once, then after 2 s, or after 50 times a slow save', () => {
    const kept = new LastGoodState();
    expect(kept.due(0)).toBe(true);
    kept.offer(config, state([1, 2]), 5, 1_000);
    expect(kept.intervalMs).toBe(MIN_SAVE_INTERVAL_MS);
    expect(kept.due(1_000 + MIN_SAVE_INTERVAL_MS - 1)).toBe(false);
    expect(kept.due(1_000 + MIN_SAVE_INTERVAL_MS)).toBe(true);
    // A 400 ms save (a 4096² field on a slow bus): the next one 20 s later.
    kept.offer(config, state([1, 2]), 400, 10_000);
    expect(kept.intervalMs).toBe(400 * SAVE_COST_FACTOR);
    expect(kept.due(10_000 + 19_999)).toBe(false);
    expect(kept.due(30_000)).toBe(true);
  });

  it('keeps only finite fields, and only for the config that made them', () => {
    const kept = new LastGoodState();
    const good = state([0.5, -0.25], 40);
    expect(kept.offer(config, good, 1, 0)).toBe(true);
    expect(kept.offer(config, state([0.5, Number.NaN], 60), 1, 2_000)).toBe(false);
    expect(kept.offer(config, state([Infinity, 0], 80), 1, 4_000)).toBe(false);
    expect(kept.stateFor(config)).toBe(good);
    // Another config object (the page replaces it on every change, reset included): nothing kept for it.
    expect(kept.stateFor(parseConfig(presets.irreversible))).toBeUndefined();
    kept.clear();
    expect(kept.stateFor(config)).toBeUndefined();
    expect(kept.due(4_001)).toBe(true);
  });
});
