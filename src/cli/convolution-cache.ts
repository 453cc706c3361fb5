import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeChoice, type CachedConvolution, type ConvolutionCache } from '../gpu/convolution-choice.js';

/**
 * The CLI's folder for what it remembers between runs: $AMARI_EP_CACHE, else
 * $XDG_CACHE_HOME/amari-ep, else ~/.cache/amari-ep.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AMARI_EP_CACHE) return env.AMARI_EP_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'amari-ep');
}

/**
 * Convolution choices on disk (convolution.json: key → path, or path and
 * column shape: CachedConvolution), so a large run
 * measures the two paths once per adapter, grid and stencil. An unreadable or
 * foreign file counts as empty and is rewritten; a file that cannot be
 * written costs a measurement next time, never the run.
 */
export function diskConvolutionCache(file = join(cacheDirectory(), 'convolution.json')): ConvolutionCache & { file: string } {
  const read = (): Record<string, CachedConvolution> => {
    try {
      const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return {};
      return Object.fromEntries(Object.entries(doc).filter(([, v]) => decodeChoice(v) !== undefined)) as Record<string, CachedConvolution>;
    } catch {
      return {};
    }
  };
  return {
    file,
    load: (key) => read()[key],
    store(key, entry) {
      try {
        mkdirSync(dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify({ ...read(), [key]: entry }, null, 2)}\n`);
        renameSync(temporary, file);
      } catch {
        // Read-only home, full disk: the choice is measured again next time.
      }
    },
  };
}
