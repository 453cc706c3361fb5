import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeNpy } from '../../src/io/npy.js';

/**
 * What every input must come to (issue 14): a refusal with one clear message,
 * or a run to finite numbers; never a crash, a stack trace, or a partial file.
 * Returns what is wrong, or undefined, so that fast-check can report the input.
 */
export interface Outcome {
  code: number;
  out: string[];
  err: string[];
  /** The --out folder, when one was asked for. */
  outDir?: string;
}

/** Text that means something broke inside rather than a refusal. */
const BROKEN = /^\s+at |Maximum call stack|TypeError|ReferenceError|SyntaxError: Unexpected|Cannot read prop|is not a function|\[object Object\]|\bundefined\b/m;

/**
 * A refusal is one line; or ConfigError's heading followed by one "  - problem" line per problem;
 * or commander's line followed by its "(Did you mean --steps?)".
 */
function refusalProblem(err: string[]): string | undefined {
  const text = err.join('\n');
  if (!text.trim()) return 'exit 2 with nothing on stderr';
  if (BROKEN.test(text)) return `stderr shows a crash: ${text.slice(0, 400)}`;
  const lines = text.split('\n');
  if (!/^(amari-ep: |error: )\S/.test(lines[0])) return `the refusal does not start with "amari-ep: " or "error: ": ${lines[0].slice(0, 200)}`;
  const suggestion = lines.length === 2 && lines[0].startsWith('error: ') && /^\(Did you mean .*\?\)$/.test(lines[1]);
  const problems = /:$/.test(lines[0]) && lines.slice(1).every((l) => l.startsWith('  - '));
  if (lines.length > 1 && !suggestion && !problems) {
    return `the refusal is not one message: ${text.slice(0, 400)}`;
  }
  return undefined;
}

/** Files left behind by an interrupted all-or-nothing write (src/io/atomic-write.ts). */
function partials(outDir: string): string[] {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return [];
  return readdirSync(parent).filter((name) => name.startsWith(`${basename(outDir)}.partial-`));
}

function nonFinite(text: string): boolean {
  return /\bNaN\b|Infinity/.test(text);
}

/** Every written file complete and its numbers finite: summary.json parses, .npy files decode to finite values, .csv cells are numbers. */
function writtenProblem(outDir: string): string | undefined {
  for (const name of readdirSync(outDir)) {
    const path = join(outDir, name);
    if (statSync(path).size === 0) return `${name} is empty`;
    if (name.endsWith('.json')) {
      const text = readFileSync(path, 'utf8');
      JSON.parse(text);
      if (nonFinite(text)) return `${name} holds a non-finite number`;
    } else if (name.endsWith('.npy')) {
      const { data } = decodeNpy(readFileSync(path));
      if (!data.every(Number.isFinite)) return `${name} holds a non-finite value`;
    } else if (name.endsWith('.csv')) {
      const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1);
      if (rows.some((row) => row.split(',').some((cell) => cell !== '' && !Number.isFinite(Number(cell))))) return `${name} holds a non-finite value`;
    }
  }
  return undefined;
}

export function outcomeProblem({ code, out, err, outDir }: Outcome): string | undefined {
  if (code !== 0 && code !== 2) return `exit code ${code}: ${err.join('\n').slice(0, 400)}`;
  if (outDir && partials(outDir).length) return `partial files left: ${partials(outDir).join(', ')}`;
  if (code === 2) {
    if (outDir && existsSync(outDir)) return `refused but wrote ${outDir}`;
    return refusalProblem(err);
  }
  const text = out.join('\n');
  if (BROKEN.test(err.join('\n'))) return `stderr shows a crash: ${err.join('\n').slice(0, 400)}`;
  if (nonFinite(text)) return `exit 0 printing a non-finite number: ${text.split('\n').find((l) => nonFinite(l))}`;
  if (outDir && existsSync(outDir)) return writtenProblem(outDir);
  return undefined;
}
