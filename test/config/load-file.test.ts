import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile } from '../../src/config/load-file.js';
import { parseConfig } from '../../src/config/load.js';
import { MAX_NESTING, nestingProblem } from '../../src/config/nesting.js';
import { presets } from '../../src/config/presets.js';

/** Config files as editors and mistakes leave them (issue 14): a byte-order mark, deep nesting, a folder. */

const text = JSON.stringify({ ...presets.irreversible, grid: { n: 16, length: 16 } });

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'amari-load-')), 'config.json');
  writeFileSync(path, content);
  return path;
}

/** dt nested `depth` arrays deep, as text (JSON.parse reads it; anything recursive on it would overflow the stack). */
const deepText = (depth: number) => text.replace(/"dt":[^,}]*/, `"dt":${'['.repeat(depth)}0.05${']'.repeat(depth)}`);

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('loading a config file', () => {
  it('accepts a UTF-8 byte-order mark at the start, reading the same config as without it', () => {
    expect(loadConfigFile(file(`\uFEFF${text}`))).toEqual(loadConfigFile(file(text)));
    // Only at the start: elsewhere it is not JSON whitespace.
    expect(refusal(() => loadConfigFile(file(`${text.slice(0, 1)}\uFEFF${text.slice(1)}`)))).toMatch(/is not valid JSON/);
  });

  it('refuses nesting deeper than the limit with a message naming where, not a stack overflow', () => {
    for (const depth of [MAX_NESTING + 1, 100_000]) {
      expect(refusal(() => loadConfigFile(file(deepText(depth))))).toBe(
        `invalid configuration: dt.0.0.0.…: arrays and objects nested more than ${MAX_NESTING} levels deep; allowed: at most ${MAX_NESTING} (a configuration nests 4)`,
      );
    }
    // Within the limit, dt is refused for what it is: not a number.
    expect(refusal(() => loadConfigFile(file(deepText(MAX_NESTING - 1))))).toMatch(/^invalid configuration: dt: got \[\[\[.*; allowed: a finite number > 0$/);
  });

  it('counts the levels of objects and arrays alike, from the top', () => {
    expect(nestingProblem({ a: { b: [1, { c: 2 }] } }, 4)).toBeUndefined();
    expect(nestingProblem({ a: { b: [1, { c: {} }] } }, 4)).toBe('a.b.1.c: arrays and objects nested more than 4 levels deep; allowed: at most 4 (a configuration nests 4)');
    expect(nestingProblem([[[[[]]]]], 4)).toMatch(/^0\.0\.0\.0: /);
    expect(nestingProblem(1, 0)).toBeUndefined();
    // The library refuses a deep object the same way (and every preset is within the limit).
    let deep: unknown = 0.05;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(refusal(() => parseConfig({ ...presets.irreversible, dt: deep }))).toMatch(/^invalid configuration: dt\.0\.0\.0\.…: arrays and objects nested more than 16/);
    for (const preset of Object.values(presets)) expect(nestingProblem(preset, 4)).toBeUndefined();
  });

  it('refuses a folder or a missing file in one line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'amari-load-'));
    mkdirSync(join(folder, 'config.json'));
    expect(refusal(() => loadConfigFile(join(folder, 'config.json')))).toMatch(/^invalid configuration: cannot read config file .*config\.json: EISDIR/);
    expect(refusal(() => loadConfigFile(join(folder, 'absent.json')))).toMatch(/^invalid configuration: cannot read config file .*absent\.json: ENOENT/);
  });

  it('in the real command line: a byte-order mark runs, 100,000 levels of nesting are refused in one line (exit 2)', () => {
    const cli = (config: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'theory', '--config', config], { encoding: 'utf8', timeout: 60_000 });
    const bom = cli(file(`\uFEFF${text}`));
    expect(bom.stderr).toBe('');
    expect(bom.status).toBe(0);
    expect(bom.stdout).toMatch(/^amari-ep theory: .*config\.json \(16² cells/);
    const deep = cli(file(deepText(100_000)));
    expect(deep.status).toBe(2);
    expect(deep.stdout).toBe('');
    expect(deep.stderr).toBe(`amari-ep: invalid configuration: dt.0.0.0.…: arrays and objects nested more than ${MAX_NESTING} levels deep; allowed: at most ${MAX_NESTING} (a configuration nests 4)\n`);
  });
});
