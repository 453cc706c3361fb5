import { describe, expect, it } from 'vitest';
import { configFromKnobs, knobsFromConfig } from '../demos/src/knobs.js';
import { configFromHash, configToHash } from '../demos/src/url-state.js';
import { parseConfig, presetConfig } from '../src/config/load.js';
import { presetNames } from '../src/config/presets.js';

describe('demo state', () => {
  it.each(presetNames)('preset %s survives the GUI knobs and the URL hash unchanged', (name) => {
    const config = presetConfig(name);
    expect(parseConfig(configFromKnobs(knobsFromConfig(config)))).toEqual(config);
    expect(parseConfig(configFromHash(configToHash(config)))).toEqual(config);
  });

  it('carries non-ASCII-safe JSON through base64url and rejects a broken hash', () => {
    const doc = { note: 'σ — λ', n: [1, 2] };
    expect(configFromHash(configToHash(doc as never))).toEqual(doc);
    expect(configToHash(doc as never)).toMatch(/^#config=[A-Za-z0-9_-]+$/);
    expect(configFromHash('#other')).toBeUndefined();
    expect(() => configFromHash('#config=bm90IGpzb24')).toThrow(/not valid JSON/);
  });
});
