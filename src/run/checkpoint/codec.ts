/**
 * One file holds a value made of JSON and typed arrays, every number exact:
 *
 *   16 bytes  magic "AMARI-EP-STATE01"
 *    4 bytes  header length H (uint32, little-endian)
 *    4 bytes  CRC-32 of the header
 *    H bytes  header: JSON { payloadBytes, payloadCrc, root }
 *             padding to a multiple of 8
 *             payload: the typed arrays' bytes, little-endian, each at a multiple of 8
 *
 * In `root` a typed array is { "$array": "f64" | "f32" | "i32" | "u32", offset, length }
 * into the payload, and a number JSON cannot write exactly (NaN, ±Infinity, −0)
 * is { "$number": "NaN" | "Infinity" | "-Infinity" | "-0" }; JSON writes every
 * other float64 so that it reads back bit for bit. Both CRCs and the lengths
 * are checked on reading, so a truncated or altered file is refused, never
 * half read. Universal: no Node builtins (a browser can keep a run this way too).
 */

const MAGIC = 'AMARI-EP-STATE01';
const PREFIX = MAGIC.length + 8;

/** A file that is not a whole, intact state; the message says what is wrong. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

const ARRAY_KINDS = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
} as const;
type ArrayKind = keyof typeof ARRAY_KINDS;
type Typed = Float64Array | Float32Array | Int32Array | Uint32Array;

function kindOf(value: unknown): ArrayKind | undefined {
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint32Array) return 'u32';
  return undefined;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkEndianness(): void {
  // Typed arrays use the machine's byte order; every platform amari-ep runs on is little-endian.
  if (!littleEndian) throw new StateFileError('state files are little-endian and this machine is not');
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zip and PNG), to detect a damaged file. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const table = (crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  }));
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The bytes of a state file holding `value`. */
export function encodeState(value: unknown): Uint8Array {
  checkEndianness();
  const arrays: Typed[] = [];
  let payloadBytes = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $number: 'NaN' };
      if (v === Infinity || v === -Infinity) return { $number: String(v) };
      if (Object.is(v, -0)) return { $number: '-0' };
      return v;
    }
    const kind = kindOf(v);
    if (kind) {
      const a = v as Typed;
      const ref = { $array: kind, offset: payloadBytes, length: a.length };
      arrays.push(a);
      payloadBytes += align8(a.byteLength);
      return ref;
    }
    if (ArrayBuffer.isView(v)) throw new StateFileError(`cannot save a ${v.constructor.name}`);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const root = walk(value);
  const payload = new Uint8Array(payloadBytes);
  let at = 0;
  for (const a of arrays) {
    payload.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += align8(a.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ payloadBytes, payloadCrc: crc32(payload), root }));
  const start = align8(PREFIX + header.length);
  const out = new Uint8Array(start + payloadBytes);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(MAGIC.length, header.length, true);
  view.setUint32(MAGIC.length + 4, crc32(header), true);
  out.set(header, PREFIX);
  out.set(payload, start);
  return out;
}

/** The value a state file holds; refuses (StateFileError) a file that is truncated, altered or not a state file. */
export function decodeState(bytes: Uint8Array): unknown {
  checkEndianness();
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new StateFileError('not an amari-ep state file (its first bytes are not the expected magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  if (PREFIX + headerLength > bytes.length) throw new StateFileError(`truncated: its header needs ${PREFIX + headerLength} bytes, the file has ${bytes.length}`);
  const header = bytes.subarray(PREFIX, PREFIX + headerLength);
  if (crc32(header) !== view.getUint32(MAGIC.length + 4, true)) throw new StateFileError('damaged: its header does not match its checksum');
  const { payloadBytes, payloadCrc, root } = JSON.parse(new TextDecoder().decode(header)) as { payloadBytes: number; payloadCrc: number; root: unknown };
  const start = align8(PREFIX + headerLength);
  if (bytes.length !== start + payloadBytes) {
    throw new StateFileError(`truncated or padded: it should be ${start + payloadBytes} bytes long and is ${bytes.length}`);
  }
  // A copy of its own, aligned for every array kind: the file's bytes need not be (a Node Buffer is often a view into a shared pool).
  const payload = new Uint8Array(bytes.subarray(start));
  if (crc32(payload) !== payloadCrc) throw new StateFileError('damaged: its arrays do not match their checksum');
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$number === 'string') return Number(o.$number === '-0' ? -0 : o.$number);
    if (typeof o.$array === 'string') {
      const Kind = ARRAY_KINDS[o.$array as ArrayKind];
      const offset = o.offset as number;
      const length = o.length as number;
      if (!Kind || !Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || offset + length * Kind.BYTES_PER_ELEMENT > payloadBytes) {
        throw new StateFileError('damaged: an array lies outside the file');
      }
      return new Kind(payload.buffer, offset, length).slice();
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(root);
}
