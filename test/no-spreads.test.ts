import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Spreading an array into a call passes every element as an argument: past
 * about 10⁵ elements (a 362² field) it throws "Maximum call stack size
 * exceeded". Fields reach 4096²; these call forms are kept out of the code
 * entirely, whatever the array's size today. Use loops (src/numeric/extent.ts).
 */
const FORBIDDEN: [RegExp, string][] = [
  [/Math\.(min|max)\(\s*\.\.\./, 'Math.min/max(...array)'],
  [/fromCharCode\(\s*\.\.\./, 'String.fromCharCode(...bytes)'],
  [/\.push\(\s*\.\.\./, 'array.push(...other)'],
  [/\.(unshift|splice)\([^)]*\.\.\./, 'unshift/splice(...array)'],
  [/\.apply\(\s*(null|undefined|Math)\s*,/, 'fn.apply(null, array)'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.wgsl.ts') && !name.endsWith('.generated.ts') ? [path] : [];
  });
}

/** Every forbidden call form in `text`, as "file:line: form". */
export function spreadCalls(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [pattern, form] of FORBIDDEN) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${form}`);
  });
  return found;
}

describe('no spreads of arrays into calls', () => {
  it('the rule catches each forbidden form', () => {
    const planted = ['Math.min(...values)', 'Math.max( ...xs)', 'String.fromCharCode(...bytes)', 'rows.push(...peer)', 'Math.max.apply(Math, xs)'];
    for (const line of planted) expect(spreadCalls('planted.ts', line)).toHaveLength(1);
    expect(spreadCalls('fine.ts', 'const copy = [...values]; f({ ...options }); Math.min(a, b)')).toEqual([]);
  });

  it('src/, demos/, bench/ and scripts/ have none', () => {
    const root = join(import.meta.dirname, '..');
    const found = ['src', 'demos', 'bench', 'scripts'].flatMap((d) => sources(join(root, d))).flatMap((f) => spreadCalls(f.slice(root.length + 1), readFileSync(f, 'utf8')));
    expect(found, found.join('\n')).toEqual([]);
  });
});
