import { describe, expect, it } from 'vitest';
import { configDifferences } from '../../bench/demo/config-differences.js';
import { demoTable } from '../../bench/demo/demo-table.js';
import type { DemoRow } from '../../bench/demo/measure-demo.js';
import { parseGridList, sizeName, unitGrid } from '../../bench/demo/grid-list.js';
import { rowProblems } from '../../bench/demo/row-checks.js';
import { presetConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';

describe('bench:demo compares the config it asked for with the one the page runs', () => {
  const asked = { ...presets.irreversible, grid: { n: 1024, length: 1024 } };

  it('finds no difference where only defaults were left out of the link', () => {
    // The page runs the parsed config, with every default filled in (noise.whiteFraction here).
    const running = JSON.parse(JSON.stringify(presetConfig('irreversible')));
    expect(presets.irreversible.noise).not.toHaveProperty('whiteFraction');
    expect(running.noise).toHaveProperty('whiteFraction', 0);
    expect(configDifferences(presets.irreversible, running)).toEqual([]);
  });

  it('names each differing field with both values: the 64² fallback of a refused 1024² link', () => {
    expect(configDifferences(asked, presetConfig('irreversible'))).toEqual(['grid.n: asked 1024, runs 64', 'grid.length: asked 1024, runs 64']);
  });

  it('sees a difference beyond the grid', () => {
    const other = { ...asked, kernel: { ...presets.irreversible.kernel, shift: [1, 0] } };
    expect(configDifferences(asked, other)).toEqual(['kernel.shift.0: asked 1.5, runs 1']);
  });
});

describe('bench:demo checks that a row agrees with itself', () => {
  const row: DemoRow = {
    grid: '256²',
    cells: 256 ** 2,
    stepsPerFrame: 2,
    startSeconds: 5,
    seconds: 20,
    framesPerSecond: 10,
    stepsPerSecond: 20.5,
    cellStepsPerSecond: 20.5 * 256 ** 2,
    steppingCellStepsPerSecond: 2e6,
    adapter: 'google / swiftshader',
  };

  it('accepts a row whose stepping-only rate is above the overall one and whose frames make the steps', () => {
    expect(rowProblems(row)).toEqual([]);
  });

  it('refuses a stepping-only readout well below the overall rate', () => {
    expect(rowProblems({ ...row, steppingCellStepsPerSecond: 0.5e6 })).toEqual([expect.stringMatching(/^stepping-only 0\.500 M .* below 0\.8 × the overall 1\.34 M/)]);
  });

  it('refuses frames that did not make the steps per frame asked', () => {
    expect(rowProblems({ ...row, framesPerSecond: 20.5 })).toEqual([expect.stringMatching(/^1\.00 steps per frame, asked 2/)]);
  });

  it('writes a failed size as a row that says why', () => {
    const table = demoTable([row, { grid: '4096 × 256', failed: 'asked for 4096 × 256, but the page runs 64²' }]);
    expect(table.split('\n')).toEqual([
      expect.stringMatching(/^\| grid \| first step after \| steps\/frame \| frames\/s \| steps\/s \| M cell-steps\/s \(overall\) \|/),
      '|---|---|---|---|---|---|---|---|',
      '| 256² | 5 s | 2 | 10.0 | 20.5 | 1.34 | 2.00 | google / swiftshader |',
      '| 4096 × 256 | failed: asked for 4096 × 256, but the page runs 64² | | | | | | |',
      '',
    ]);
  });
});

describe('bench:demo reads grids from its command line', () => {
  it('takes sides and rectangles, and refuses anything else naming it', () => {
    expect(parseGridList('256,1000, 4096x256,24×10')).toEqual([
      { nx: 256, ny: 256 },
      { nx: 1000, ny: 1000 },
      { nx: 4096, ny: 256 },
      { nx: 24, ny: 10 },
    ]);
    expect(parseGridList('4096x256').map(sizeName)).toEqual(['4096 × 256']);
    expect(unitGrid({ nx: 4096, ny: 256 })).toEqual({ n: [4096, 256], length: [4096, 256] });
    expect(unitGrid({ nx: 100, ny: 100 })).toEqual({ n: 100, length: 100 });
    expect(() => parseGridList('1024,3')).toThrow(/"3" is not a grid/);
    expect(() => parseGridList('10x10x10')).toThrow(/not a grid/);
  });
});
