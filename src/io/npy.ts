/**
 * NumPy .npy (format 1.0) for float64 arrays in C order: the magic, a
 * little-endian header dict padded so the data starts on a 64-byte boundary,
 * then the raw values.
 */
export function encodeNpy(data: Float64Array, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const header = npyHeader(data, shape);
  const out = new Uint8Array(header.length + data.length * 8);
  out.set(header, 0);
  const view = new DataView(out.buffer, header.length);
  for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  return out;
}

/** The magic, version and header of a float64 .npy of this shape, padded to 64 bytes; checks the shape holds the data. */
export function npyHeader(data: Float64Array, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = 10;
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header.padEnd(total - preamble - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  return out;
}

/** Reads .npy files (float64 and float32, either byte order, C order): the decoder lives in the config layer, which reads map files. */
export { decodeNpy, type DecodedNpy } from '../config/npy.js';
