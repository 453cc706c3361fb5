import { GpuError } from './errors.js';

/**
 * How many bytes of buffers an engine may allocate, and where that number
 * came from (named in a refusal). WebGPU does not report an adapter's memory;
 * Dawn may, as memory heaps (feature 'adapter-properties-memory-heaps'), and
 * where it does not the user says (AMARI_EP_GPU_MEMORY), else the host's
 * memory stands in (the ceiling for software and unified-memory adapters; a
 * discrete GPU usually has less, which the refusal's wording says).
 */
export interface MemoryBudget {
  bytes: number;
  source: string;
}

/** The environment variable that sets the GPU memory budget: bytes, or a number with KiB, MiB, GiB, TiB (or K, M, G, T, KB, MB, GB, TB: binary too). */
export const GPU_MEMORY_VARIABLE = 'AMARI_EP_GPU_MEMORY';

const UNITS: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** "24GiB", "24 G", "8192MiB", "25769803776" → bytes; undefined for anything else. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2].toUpperCase()]);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** Dawn's memory heap, where its JS binding reports one: size in bytes and HeapProperty flags (1: device-local). */
interface MemoryHeap {
  size: number | bigint;
  properties: number;
}
const DEVICE_LOCAL = 0x1;

/** The device-local memory the adapter reports (summed over heaps), or undefined where it reports none. */
export function adapterMemory(info: unknown): number | undefined {
  const heaps = (info as { memoryHeaps?: MemoryHeap[] } | undefined)?.memoryHeaps;
  if (!Array.isArray(heaps) || heaps.length === 0) return undefined;
  const local = heaps.filter((h) => (h.properties & DEVICE_LOCAL) !== 0);
  const bytes = (local.length ? local : heaps).reduce((s, h) => s + Number(h.size), 0);
  return bytes > 0 ? bytes : undefined;
}

/**
 * The budget for a GPU engine: AMARI_EP_GPU_MEMORY when set (it overrides
 * all: the user knows best), else the adapter's memory heaps, else the host's
 * memory. A malformed variable is refused by name.
 */
export function gpuMemoryBudget(adapterInfo: unknown, env: Record<string, string | undefined>, hostBytes: number): MemoryBudget {
  const given = env[GPU_MEMORY_VARIABLE];
  if (given !== undefined && given.trim() !== '') {
    const bytes = parseMemorySize(given);
    if (bytes === undefined) throw new GpuError(`${GPU_MEMORY_VARIABLE}="${given}" is not a memory size; allowed: bytes, or a number with KiB, MiB, GiB or TiB (e.g. 24GiB)`);
    return { bytes, source: `${GPU_MEMORY_VARIABLE}` };
  }
  const heaps = adapterMemory(adapterInfo);
  if (heaps !== undefined) return { bytes: heaps, source: "the adapter's memory heaps" };
  return { bytes: hostBytes, source: `the host's memory: the adapter reports none; set ${GPU_MEMORY_VARIABLE} to the GPU's` };
}

/** The largest integer in [1, hi] where `fits` holds, 0 where it holds nowhere (`fits` turns false as its argument grows, and stays so): a bisection, for the largest grid or replica count within a budget. */
export function largestFitting(hi: number, fits: (n: number) => boolean): number {
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bytes as the messages write them: MiB below a GiB, else GiB. */
export function formatBytes(bytes: number): string {
  return bytes < 2 ** 30 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}
