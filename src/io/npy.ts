/**
 * NumPy .npy (format 1.0) for float64 arrays in C order: the magic, a
 * little-endian header dict padded so the data starts on a 64-byte boundary,
 * then the raw values.
 */
export function encodeNpy(data: Float64Array, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = 10;
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header.padEnd(total - preamble - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 8);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, total);
  for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  return out;
}

/** Reads back what encodeNpy writes (little-endian float64, C order). */
export function decodeNpy(bytes: Uint8Array): { data: Float64Array; shape: number[] } {
  const magic = ascii(bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== 'NUMPY') throw new Error('npy: not a .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint16(8, true);
  const header = ascii(bytes.subarray(10, 10 + headerLength));
  if (!header.includes("'descr': '<f8'") || !header.includes("'fortran_order': False")) {
    throw new Error(`npy: only little-endian float64 in C order is read (header ${header.trim()})`);
  }
  const shapeMatch = /'shape': \(([^)]*)\)/.exec(header);
  const shape = (shapeMatch?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const start = 10 + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat64(start + i * 8, true);
  return { data, shape };
}

/** Bytes as ASCII text, one character per byte (a loop: the header can be long). */
function ascii(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
