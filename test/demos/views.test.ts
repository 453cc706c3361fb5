import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { presetAvailability } from '../../demos/src/preset-links.js';
import { defaultStepsPerFrame, MAP_VIEWS, mapField, mapViewFor, mapViewOf, panelsOf, VIEW_MODES } from '../../demos/src/views.js';
import { presetConfig } from '../../src/config/load.js';
import { MAPPED_FIELDS } from '../../src/config/maps.js';
import { presetNames } from '../../src/config/presets.js';

describe('the field view', () => {
  it('shows the field, the measured and the theory density, and a map, alone or side by side', () => {
    expect(panelsOf('side by side')).toEqual(['field', 'density']);
    expect(panelsOf('density and theory')).toEqual(['density', 'theory']);
    expect(panelsOf('all')).toEqual(['field', 'density', 'theory', 'map']);
    expect(panelsOf('no such view')).toEqual(['field', 'density']);
    expect(new Set(VIEW_MODES.flatMap((m) => panelsOf(m)))).toEqual(new Set(['field', 'density', 'theory', 'map']));
  });

  it('takes fewer steps per frame on larger grids, about the same cell-steps per frame, and at least one', () => {
    expect([16, 64, 256, 512, 1024, 4096].map((n) => defaultStepsPerFrame(n * n))).toEqual([20, 20, 20, 5, 1, 1]);
    // A rectangle or a ring counts its cells: 4096 × 256 is 1024² cells; a ring of 4096 is tiny.
    expect([defaultStepsPerFrame(4096 * 256), defaultStepsPerFrame(4096)]).toEqual([1, 20]);
  });

  it('has a map view for every mappable field, chosen by a query parameter or by the config', () => {
    expect(MAP_VIEWS.map(mapField)).toEqual([...MAPPED_FIELDS]);
    expect(mapViewOf('slope')).toBe('slope g(x)');
    expect(mapViewOf('input h(x)')).toBe('input h(x)');
    expect(mapViewOf('gain')).toBeUndefined();
    expect(mapViewOf(null)).toBeUndefined();
    // A new config shows its first map unless the one shown is a map too.
    expect(mapViewFor(presetConfig('noise-stripe'), 'input h(x)')).toBe('noise D(x)');
    expect(mapViewFor(presetConfig('gain-balanced'), 'input h(x)')).toBe('noise D(x)');
    expect(mapViewFor(presetConfig('gain-balanced'), 'slope g(x)')).toBe('slope g(x)');
    expect(mapViewFor(presetConfig('irreversible'), 'input h(x)')).toBe('input h(x)');
  });
});

describe('the front page', () => {
  const html = readFileSync('demos/index.html', 'utf8');
  const listed = [...html.matchAll(/<li data-preset="([^"]+)">(.*?)<\/li>/g)].map((m) => ({ name: m[1], text: m[2] }));

  it('lists the five presets that show the physics, each with what to look for', () => {
    expect(listed.map((l) => l.name)).toEqual(['equilibrium', 'irreversible', 'noise-stripe', 'gain-balanced', 'pinned-bump']);
    for (const { name, text } of listed) {
      expect(text, name).toMatch(new RegExp(`^<a href="\\./main\\.html\\?preset=${name}(&amp;[^"]*)?">${name}</a>: .{40,}`));
    }
    // The theory line does not move with D (irreversible); the density sits at the stripe's edges (noise-stripe).
    expect(listed[1].text).toMatch(/noise amplitude D.*theory line does not move/);
    expect(listed[2].text).toMatch(/outside the stripe's edges/);
  });

  it('disables the presets this build does not have and adds the ones it does not list', () => {
    const { missing, unlisted } = presetAvailability(listed.map((l) => l.name), presetNames, ['bump']);
    expect(missing).toEqual(listed.map((l) => l.name).filter((n) => !(presetNames as string[]).includes(n)));
    for (const name of ['equilibrium', 'irreversible', 'noise-stripe', 'gain-balanced']) expect(missing).not.toContain(name);
    expect(unlisted).toEqual(presetNames.filter((n) => n !== 'bump' && !listed.some((l) => l.name === n)));
    expect(presetAvailability(['a', 'b'], ['b', 'c'])).toEqual({ missing: ['a'], unlisted: ['c'] });
  });
});
