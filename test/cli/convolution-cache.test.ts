import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirectory, diskConvolutionCache } from '../../src/cli/convolution-cache.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'amari-cache-')), 'sub', 'convolution.json');

describe('the CLI\'s convolution cache', () => {
  it('stores choices in a JSON file that a later cache reads', () => {
    const file = fresh();
    const cache = diskConvolutionCache(file);
    expect(cache.load('a|n=4096|r=8')).toBeUndefined();
    cache.store('a|n=4096|r=8', 'fft');
    cache.store('a|n=1024|r=8', 'stencil');
    expect(diskConvolutionCache(file).load('a|n=4096|r=8')).toBe('fft');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'a|n=4096|r=8': 'fft', 'a|n=1024|r=8': 'stencil' });
  });

  it('reads a damaged or foreign file as empty, keeps only known paths, and rewrites it', () => {
    const file = fresh();
    const cache = diskConvolutionCache(file);
    cache.store('x', 'fft');
    writeFileSync(file, '{ not json');
    expect(cache.load('x')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ x: 'fft', y: 'teleport', z: 3 }));
    expect([cache.load('x'), cache.load('y'), cache.load('z')]).toEqual(['fft', undefined, undefined]);
    cache.store('w', 'stencil');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 'fft', w: 'stencil' });
  });

  it('never fails the run when the file cannot be written', () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'amari-cache-')), 'a-file');
    writeFileSync(blocker, '');
    const cache = diskConvolutionCache(join(blocker, 'convolution.json'));
    expect(() => cache.store('k', 'fft')).not.toThrow();
    expect(cache.load('k')).toBeUndefined();
  });

  it('lives in $AMARI_EP_CACHE, else $XDG_CACHE_HOME/amari-ep, else ~/.cache/amari-ep', () => {
    expect(cacheDirectory({ AMARI_EP_CACHE: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x' })).toBe('/x/amari-ep');
    expect(cacheDirectory({})).toMatch(/\.cache\/amari-ep$/);
  });
});
