import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { captureConsole } from '../cli/console.js';
import { configDoc, damage, npyBytes, npySpec, smallDoc, textDamage, toText, type Doc } from './arbitraries.js';
import { outcomeProblem } from './outcome.js';

/**
 * Issue 14: generated configs, config files, .npy map files and command-line
 * arguments fed to the CLI in-process (src/cli/program.ts's main, as a shell
 * would call it). Each must be refused with one clear message or run to finite
 * numbers, leaving complete outputs or none. Seeds are fixed: a failure names
 * its input and reproduces. Whatever validates runs on the CPU engine on at
 * most 8² cells for a few steps.
 */

const printed = captureConsole();
const root = mkdtempSync(join(tmpdir(), 'amari-fuzz-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Exit codes seen by the current property: the generators must reach both refusals and runs. */
const seen = { ran: 0, refused: 0 };
beforeEach(() => void (seen.ran = seen.refused = 0));

function expectBoth(least: number): void {
  expect(seen.ran, 'inputs that ran to exit 0').toBeGreaterThanOrEqual(least);
  expect(seen.refused, 'inputs refused').toBeGreaterThanOrEqual(least);
}

/** Runs the CLI and returns what is wrong with its outcome, if anything. */
async function cli(args: string[], outDir?: string): Promise<string | undefined> {
  printed.out.length = 0;
  printed.err.length = 0;
  const code = await main(args);
  if (code === 0) seen.ran++;
  else seen.refused++;
  const problem = outcomeProblem({ code, out: [...printed.out], err: [...printed.err], outDir });
  return problem && `${problem}\n  args: ${args.join(' ').slice(0, 300)}`;
}

/** A fresh folder holding config.json (and map.npy when given), and the --out path inside it (not yet made). */
function workspace(text: string, npy?: Uint8Array): { config: string; out: string; folder: string; done: () => void } {
  const folder = mkdtempSync(join(root, 'case-'));
  writeFileSync(join(folder, 'config.json'), text);
  if (npy) writeFileSync(join(folder, 'map.npy'), npy);
  return { config: join(folder, 'config.json'), out: join(folder, 'out'), folder, done: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Small, valid run options: a handful of steps, a few blocks. */
const smallRun = fc.record({
  command: fc.constantFrom('run', 'run', 'run', 'relax', 'theory'),
  steps: fc.integer({ min: 2, max: 12 }),
  burnIn: fc.integer({ min: 0, max: 4 }),
  blocks: fc.integer({ min: 2, max: 4 }),
  replicas: fc.integer({ min: 1, max: 2 }),
  json: fc.boolean(),
  // One run in four writes its files (and so its figures: the costliest part of a small run).
  out: fc.constantFrom(false, false, false, true),
});

type RunChoice = { command: string; steps: number; burnIn: number; blocks: number; replicas: number; json: boolean; out: boolean };

function argsFor(o: RunChoice, config: string, out: string): string[] {
  const tail = [...(o.json ? ['--json'] : []), ...(o.out && o.command !== 'theory' ? ['--out', out] : [])];
  if (o.command === 'theory') return ['theory', '--config', config, ...tail];
  if (o.command === 'relax') {
    // relax wants ≥ 4 replicas and steps a multiple of --record-every.
    return ['relax', '--config', config, '--backend', 'cpu', '--replicas', String(4 + o.replicas), '--steps', String(2 * o.steps), '--record-every', '2', ...tail];
  }
  return ['run', '--config', config, '--backend', 'cpu', '--steps', String(o.steps), '--burn-in', String(o.burnIn), '--blocks', String(o.blocks), '--replicas', String(o.replicas), ...tail];
}

/** The four cases of issue 14, as the generator's first examples. */
const issueCases: Doc[] = [
  { ...smallDoc(8), initial: { type: 'random', std: 1e300 } },
  { ...smallDoc(8), dt: 1e-300 },
  { ...smallDoc(8), noise: { amplitude: 1e300 } },
  { ...smallDoc(8), tau: 1e308 },
];

describe('fuzz: the CLI refuses hostile input with one message or runs it to finite numbers', () => {
  it('the four cases of issue 14 (std 1e300, dt 1e-300, D 1e300, τ 1e308) are refused naming the field, and nothing is written', async () => {
    const fields = [/initial\.std = 1e\+300/, /dt = 1e-300 with tau = 1:/, /noise\.amplitude: D = 1e\+300/, /dt = 0\.05 with tau = 1e\+308:/];
    for (const [i, doc] of issueCases.entries()) {
      const w = workspace(JSON.stringify(doc));
      printed.err.length = 0;
      expect(await main(['run', '--config', w.config, '--backend', 'cpu', '--steps', '20', '--out', w.out])).toBe(2);
      expect(printed.err).toHaveLength(1);
      expect(printed.err[0]).toMatch(fields[i]);
      expect(printed.err[0]).toMatch(/; allowed: /);
      expect(outcomeProblem({ code: 2, out: printed.out, err: printed.err, outDir: w.out })).toBeUndefined();
    }
  });

  it('1,000 generated config files (mutated fields, maps, byte-order marks, cuts, deep nesting) through run, relax and theory', async () => {
    await fc.assert(
      fc.asyncProperty(configDoc, textDamage, smallRun, async (doc, harm, options) => {
        const w = workspace(damage(toText(doc), harm), npyBytes({ magic: true, version: 1, descr: '<f8', fortran: false, shape: 'right', values: [0.05, 0.1], cut: 'none' }, gridSide(doc)));
        const problem = await cli(argsFor(options, w.config, w.out), options.out && options.command !== 'theory' ? w.out : undefined);
        w.done();
        if (problem) throw new Error(`${problem}\n  config: ${toText(doc).slice(0, 400)}`);
      }),
      { seed: 14, numRuns: 1000, examples: issueCases.map((doc) => [doc, { kind: 'none' }, { command: 'run', steps: 10, burnIn: 0, blocks: 2, replicas: 1, json: false, out: true }]) },
    );
    expectBoth(150);
  });

  it('600 generated .npy map files (shape, dtype, byte order, Fortran order, truncation, NaN, D ≤ 0) as noise, input and slope maps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 4, max: 8 }),
        npySpec,
        fc.constantFrom('noise', 'input', 'slope'),
        fc.constantFrom('file', 'file', 'file', 'file', 'directory', 'missing'),
        async (n, spec, field, kind) => {
          const doc = smallDoc(n) as Doc & { noise: Doc; transfer: Doc };
          if (field === 'noise') doc.noise.amplitude = { file: 'map.npy' };
          else if (field === 'input') doc.input = { file: 'map.npy' };
          else doc.transfer.slope = { file: 'map.npy' };
          const w = workspace(JSON.stringify(doc), kind === 'file' ? npyBytes(spec, n) : undefined);
          if (kind === 'directory') mkdirSync(join(w.folder, 'map.npy'));
          const problem = await cli(['run', '--config', w.config, '--backend', 'cpu', '--steps', '6', '--burn-in', '0', '--blocks', '2', '--spectrum-samples', '0', '--out', w.out], w.out);
          w.done();
          if (problem) throw new Error(`${problem}\n  npy: ${JSON.stringify(spec)} as ${field} (${kind})`);
        },
      ),
      { seed: 1400, numRuns: 600 },
    );
    expectBoth(50);
  });

  it('600 generated command lines (hostile option values, unknown options and commands, missing or directory configs)', async () => {
    const value = fc.constantFrom('-1', '0', '1', '2', '3', ' 4', 'abc', '1e3', '', '2.5', '99999999999999999999', '0x10', 'NaN', 'Infinity', '４', '--json');
    const option = fc.oneof(
      fc.tuple(fc.constantFrom('--steps', '--burn-in', '--blocks', '--replicas', '--spectrum-samples', '--record-every', '-n', '-b', '-r'), value),
      fc.tuple(fc.constantFrom('--backend'), fc.constantFrom('cpu', 'CPU', '', 'metal', 'cpu ')),
      fc.tuple(fc.constantFrom('--convolution', '--noise-shaping'), fc.constantFrom('fft', 'stencil', 'auto', 'spectral', '')),
      fc.tuple(fc.constantFrom('--preset'), fc.constantFrom('nope', '', 'Irreversible', '../etc/passwd')),
      fc.constantFrom(['--json'], ['--stpes', '3'], ['-x'], ['extra-argument'], ['--config']),
    );
    // What keeps a valid run small (the last of a repeated option wins), and an --out with no folder last.
    const tails: Record<string, string[]> = {
      run: ['--steps', '3', '--burn-in', '0', '--backend', 'cpu'],
      relax: ['--steps', '4', '--record-every', '2', '--replicas', '4', '--backend', 'cpu'],
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('run', 'run', 'relax', 'theory', 'presets', 'frobnicate', ''),
        fc.constantFrom('good', 'good', 'missing', 'directory', 'binary', 'none'),
        fc.array(option, { maxLength: 4 }),
        fc.boolean(),
        async (command, configKind, options, outLast) => {
          const w = workspace(configKind === 'binary' ? '\u0093NUMPY\u0001\u0000garbage' : JSON.stringify(smallDoc(4)));
          const config = { good: w.config, binary: w.config, missing: join(w.folder, 'absent.json'), directory: w.folder, none: undefined }[configKind];
          const args = [command, ...(config ? ['--config', config] : []), ...options.flat(), ...(tails[command] ?? []), ...(outLast ? ['--out'] : [])];
          const problem = await cli(args);
          w.done();
          if (problem) throw new Error(problem);
        },
      ),
      { seed: 140, numRuns: 600 },
    );
    expectBoth(20);
  });
});

/** n of the document's grid, when it is a small square's, else 8 (the map file's shape is then wrong, as it may be). */
function gridSide(doc: Doc): number {
  const n = (doc.grid as { n?: unknown } | undefined)?.n;
  return typeof n === 'number' && Number.isInteger(n) && n >= 4 && n <= 8 ? n : 8;
}
