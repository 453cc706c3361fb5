/**
 * Reading NumPy .npy files (format versions 1, 2 and 3) holding floating-point
 * arrays: float64 or float32, either byte order, C order. Pure (bytes in,
 * values out), so the config layer reads map files with it and src/io
 * re-exports it beside its writer.
 */

export interface DecodedNpy {
  data: Float64Array;
  shape: number[];
  /** The header's descr, e.g. '<f8'. */
  dtype: string;
}

/** The dtypes read: float64 and float32, little- or big-endian ('=' and '|' are not written by NumPy for floats). */
const FLOAT_DTYPES: Record<string, { bytes: 4 | 8; little: boolean }> = {
  '<f8': { bytes: 8, little: true },
  '>f8': { bytes: 8, little: false },
  '<f4': { bytes: 4, little: true },
  '>f4': { bytes: 4, little: false },
};

/** Decodes a .npy file; throws an Error naming the problem (not .npy, dtype, Fortran order, truncated). */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  if (bytes.length < 10 || bytes[0] !== 0x93 || ascii(bytes.subarray(1, 6)) !== 'NUMPY') {
    throw new Error('not a .npy file (no \\x93NUMPY magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`.npy format version ${major}.${bytes[7]} is not read (versions 1 to 3 are)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > bytes.length) throw new Error('the .npy header is truncated');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`the .npy header is not understood: ${header.trim()}`);
  }
  const dtype = FLOAT_DTYPES[descr];
  if (!dtype) throw new Error(`dtype '${descr}' is not read; allowed: float64 or float32 ('<f8', '<f4', or big-endian '>f8', '>f4')`);
  if (fortran === 'True') throw new Error("the array is in Fortran order; allowed: C order (fortran_order False: numpy.ascontiguousarray)");
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`the .npy shape (${shapeText}) is not understood`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (start + count * dtype.bytes > bytes.length) {
    throw new Error(`the .npy file is truncated: shape [${shape.join(', ')}] needs ${count * dtype.bytes} bytes of data, it has ${bytes.length - start}`);
  }
  const data = new Float64Array(count);
  if (dtype.bytes === 8) for (let i = 0; i < count; i++) data[i] = view.getFloat64(start + 8 * i, dtype.little);
  else for (let i = 0; i < count; i++) data[i] = view.getFloat32(start + 4 * i, dtype.little);
  return { data, shape, dtype: descr };
}

/** Bytes as ASCII text, one character per byte (a loop, not a spread: a header can be long). */
function ascii(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
