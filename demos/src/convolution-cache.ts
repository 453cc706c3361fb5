import { decodeChoice, type CachedConvolution, type ConvolutionCache } from '../../src/gpu/convolution-choice.js';

const PREFIX = 'amari-ep:convolution:';

/**
 * Convolution choices kept in the browser's storage (localStorage), so a
 * returning visitor's page skips timing the two paths. Keys come from
 * chooseConvolution (adapter, grid, stencil radius). Storage is a nicety:
 * one that is missing, full, disabled or throws (private browsing, a sandboxed
 * frame) only means measuring again, never a broken page, and a stored value
 * that is not a choice (a path, or "stencil 16×8/8") is ignored.
 */
export class StorageConvolutionCache implements ConvolutionCache {
  constructor(private readonly storage: () => Storage | undefined = () => globalThis.localStorage) {}

  load(key: string): CachedConvolution | undefined {
    try {
      const value = this.storage()?.getItem(PREFIX + key);
      return decodeChoice(value) ? (value as CachedConvolution) : undefined;
    } catch {
      return undefined;
    }
  }

  store(key: string, entry: CachedConvolution): void {
    try {
      this.storage()?.setItem(PREFIX + key, entry);
    } catch {
      // Full or forbidden: the choice is measured again next time.
    }
  }
}
