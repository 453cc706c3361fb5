import type { ConvolutionCache, ConvolutionPath } from '../../src/gpu/convolution-choice.js';

const PREFIX = 'amari-ep:convolution:';
const PATHS: readonly ConvolutionPath[] = ['stencil', 'fft'];

/**
 * Convolution choices kept in the browser's storage (localStorage), so a
 * returning visitor's page skips timing the two paths. Keys come from
 * chooseConvolution (adapter, grid, stencil radius). Storage is a nicety:
 * one that is missing, full, disabled or throws (private browsing, a sandboxed
 * frame) only means measuring again, never a broken page, and a stored value
 * that is not a path is ignored.
 */
export class StorageConvolutionCache implements ConvolutionCache {
  constructor(private readonly storage: () => Storage | undefined = () => globalThis.localStorage) {}

  load(key: string): ConvolutionPath | undefined {
    try {
      const value = this.storage()?.getItem(PREFIX + key);
      return PATHS.find((p) => p === value);
    } catch {
      return undefined;
    }
  }

  store(key: string, path: ConvolutionPath): void {
    try {
      this.storage()?.setItem(PREFIX + key, path);
    } catch {
      // Full or forbidden: the choice is measured again next time.
    }
  }
}
