import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { npyHeader } from './npy.js';

/** Values per write: 8 MiB at a time, whatever the field's size. */
const CHUNK = 1 << 20;

/**
 * Writes a float64 .npy straight to a file: at 4096² a field is 128 MiB, and
 * encoding it whole (encodeNpy) would hold a second copy of it in memory.
 * On a little-endian host the array's own bytes are written; otherwise
 * chunks are byte-swapped through one small buffer. The bytes are encodeNpy's.
 */
export function writeNpyFile(path: string, data: Float64Array, shape: readonly number[]): void {
  const header = npyHeader(data, shape);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    const swap = endianness() === 'BE' ? new DataView(new ArrayBuffer(8 * Math.min(CHUNK, data.length))) : undefined;
    for (let start = 0; start < data.length; start += CHUNK) {
      const count = Math.min(CHUNK, data.length - start);
      if (!swap) {
        writeSync(fd, new Uint8Array(data.buffer, data.byteOffset + 8 * start, 8 * count));
        continue;
      }
      for (let i = 0; i < count; i++) swap.setFloat64(8 * i, data[start + i], true);
      writeSync(fd, new Uint8Array(swap.buffer, 0, 8 * count));
    }
  } finally {
    closeSync(fd);
  }
}
