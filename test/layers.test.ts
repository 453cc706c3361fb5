import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of docs/layers.md, as written in .dependency-cruiser.cjs, run
 * through dependency-cruiser's API. `npm run deps` prints the same report.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/layers/', import.meta.url));
const tsConfigFile = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

/** Cruises `paths` (relative to `baseDir`) with the project's rules. */
async function cruiseWithRules(paths: string[], baseDir: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = await extractDepcruiseOptions(fileURLToPath(new URL('../.dependency-cruiser.cjs', import.meta.url)));
  expect(options.tsConfig?.fileName, '.dependency-cruiser.cjs resolves through tsconfig.json').toBe('tsconfig.json');
  const reporting = await cruise(
    paths,
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  return reporting.output as ICruiseResult;
}

/** One readable line per violation: severity, rule, from → to (or the whole circle). */
function describeViolation(v: IViolation): string {
  const path = v.cycle?.length ? [v.from, ...v.cycle.map((step) => step.name)].join(' → ') : `${v.from} → ${v.to}`;
  return `${v.rule.severity} ${v.rule.name}: ${path}`;
}

function report(result: ICruiseResult, severity: string): { lines: string[]; explained: string } {
  const violations = result.summary.violations.filter((v) => v.rule.severity === severity);
  const lines = violations.map(describeViolation).sort();
  const comments = new Map((result.summary.ruleSetUsed?.forbidden ?? []).map((rule) => [rule.name, rule.comment]));
  const rules = [...new Set(violations.map((v) => v.rule.name))].sort();
  const explained = [
    `${violations.length} ${severity}(s) against the layer rules (docs/layers.md, .dependency-cruiser.cjs):`,
    ...lines.map((line) => `  ${line}`),
    'The rules broken:',
    ...rules.map((name) => `  ${name}: ${comments.get(name) ?? ''}`),
  ].join('\n');
  return { lines, explained };
}

beforeAll(() => {
  // npm test generates it first; a lone `vitest run test/layers.test.ts` may not have.
  if (!existsSync(fileURLToPath(new URL('../src/gpu/wgsl.generated.ts', import.meta.url)))) {
    execFileSync(process.execPath, ['scripts/embed-shaders.mjs'], { cwd: root, stdio: 'inherit' });
  }
});

describe('layers', () => {
  it('the rules catch a planted upward import, a backend-to-backend import and a circle (test/fixtures/layers)', async () => {
    const result = await cruiseWithRules(['src'], fixture);
    // Every fixture module was found, and `./x.js` resolved to x.ts (else the rules would see nothing).
    expect(result.modules.map((m) => m.source).sort()).toEqual([
      'src/config/limits.ts',
      'src/config/settings.ts',
      'src/cpu/step.ts',
      'src/gpu/step.ts',
      'src/run/loop-a.ts',
      'src/run/loop-b.ts',
      'src/run/runner.ts',
    ]);
    const { lines } = report(result, 'error');
    expect(lines).toContain('error upward-from-config: src/config/settings.ts → src/run/runner.ts');
    expect(lines).toContain('error sibling-from-cpu: src/cpu/step.ts → src/gpu/step.ts');
    expect(lines.filter((line) => line.startsWith('error no-circular: '))).not.toEqual([]);
    for (const line of lines.filter((l) => l.startsWith('error no-circular: '))) {
      expect(line).toMatch(/^error no-circular: src\/run\/loop-[ab]\.ts → src\/run\/loop-[ab]\.ts → src\/run\/loop-[ab]\.ts$/);
    }
    // And nothing else: run → config, cpu → config (type-only) are allowed.
    expect(lines.filter((l) => !l.startsWith('error no-circular: '))).toEqual([
      'error sibling-from-cpu: src/cpu/step.ts → src/gpu/step.ts',
      'error upward-from-config: src/config/settings.ts → src/run/runner.ts',
    ]);
  });

  it('src/, demos/src and bench/ keep the layers: no upward imports, no circles', async () => {
    const result = await cruiseWithRules(['src', 'demos/src', 'bench'], root);
    expect(result.summary.totalCruised).toBeGreaterThan(50);
    const warnings = report(result, 'warn');
    if (warnings.lines.length > 0) console.warn(warnings.explained);
    const errors = report(result, 'error');
    expect(errors.lines.length, errors.explained).toBe(0);
  });
});
