import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The library's entry points, walked statically through their runtime
 * imports (static and dynamic; `import type` left out, as tsc erases it):
 * "amari-ep" (src/index.ts) must load in a browser, so no Node builtin and no
 * `webgpu` package (Dawn) may be reachable from it; "amari-ep/node" and the
 * CLI may use anything, but only packages that are runtime dependencies.
 */
const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** Packages known to run in browsers; a new one reachable from src/index.ts must be checked and added here. */
// ndarray-fft: src/numeric uses only its lib/fft-matrix.js, whose one import (bit-twiddle) is plain arithmetic; the demo's Vite build bundles it.
const UNIVERSAL_PACKAGES = ['zod', 'fft.js', 'ndarray-fft', 'ml-matrix', '@stdlib/math-base-special-digamma', 'd3-scale-chromatic'];

interface Reached {
  /** A bare specifier (package or builtin). */
  specifier: string;
  /** The chain of source files from the entry to the importing file. */
  chain: string[];
}

function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const allTypes = (elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]) =>
    elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly = clause?.isTypeOnly || (!clause?.name && bindings && ts.isNamedImports(bindings) && allTypes(bindings.elements));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause && ts.isNamedExports(clause) && allTypes(clause.elements));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
      else throw new Error(`${relative(root, file)}: import() of a computed specifier cannot be checked`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every bare specifier reachable from the entry through relative imports. */
function reachable(entry: string): Reached[] {
  const seen = new Set<string>();
  const reached: Reached[] = [];
  const walk = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, relative(root, file)];
    for (const specifier of runtimeSpecifiers(file)) {
      if (!specifier.startsWith('.')) {
        reached.push({ specifier, chain: here });
        continue;
      }
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!existsSync(target)) throw new Error(`${relative(root, file)} imports ${specifier}: no ${relative(root, target)}`);
      walk(target, here);
    }
  };
  walk(resolve(root, entry), []);
  return reached;
}

const packageName = (specifier: string) =>
  specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
const describeReach = (r: Reached) => `${r.specifier} (via ${r.chain.join(' > ')})`;

describe('entry points', () => {
  it('src/index.ts reaches no Node builtin and not the webgpu package', () => {
    const nodeOnly = reachable('src/index.ts').filter((r) => isBuiltin(r.specifier) || packageName(r.specifier) === 'webgpu');
    expect(nodeOnly.map(describeReach)).toEqual([]);
  });

  it('src/index.ts reaches only packages known to run in browsers', () => {
    const unknown = reachable('src/index.ts').filter((r) => !isBuiltin(r.specifier) && !UNIVERSAL_PACKAGES.includes(packageName(r.specifier)));
    expect(unknown.map(describeReach)).toEqual([]);
  });

  it('the Node entry and the CLI use only runtime dependencies', () => {
    const dependencies = Object.keys(pkg.dependencies ?? {});
    for (const entry of ['src/node.ts', 'src/cli/main.ts']) {
      const missing = reachable(entry).filter((r) => !isBuiltin(r.specifier) && !dependencies.includes(packageName(r.specifier)));
      expect(missing.map(describeReach), entry).toEqual([]);
    }
  });

  it('package.json exports "." and "./node" from the built entries', () => {
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./node']).toEqual({ types: './dist/node.d.ts', default: './dist/node.js' });
    for (const entry of ['src/index.ts', 'src/node.ts']) expect(existsSync(resolve(root, entry)), entry).toBe(true);
  });

  it('the walk sees what it should: the Node entry reaches Dawn and node:fs', () => {
    const specifiers = reachable('src/node.ts').map((r) => r.specifier);
    expect(specifiers).toContain('webgpu');
    expect(specifiers).toContain('node:fs');
  });
});
