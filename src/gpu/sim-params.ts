/**
 * The one uniform every kernel reads, SimParams. Its layout lives here only:
 * the WGSL struct is generated from this list, and the host writes each field
 * at the offset the list implies (all fields are 4-byte scalars, so WGSL's
 * uniform layout packs them in order with no padding).
 */
const FIELDS = [
  ['n', 'u32'],
  ['radius', 'u32'],
  ['noiseRadius', 'u32'],
  ['seedLo', 'u32'],
  ['seedHi', 'u32'],
  ['partialsPerReplica', 'u32'],
  ['dt', 'f32'],
  ['invTau', 'f32'],
  ['h', 'f32'],
  ['gain', 'f32'],
  ['threshold', 'f32'],
  ['noiseScale', 'f32'],
  ['epWeight', 'f32'],
  ['halfDt', 'f32'],
  ['reference', 'f32'],
  ['shapedWeight', 'f32'],
  ['floorWeight', 'f32'],
] as const;

export type SimParams = { [K in (typeof FIELDS)[number][0]]: number };

/** Uniform buffers are sized in multiples of 16 bytes. */
export const SIM_PARAMS_BYTES = Math.ceil((FIELDS.length * 4) / 16) * 16;

export const simParamsWgsl = `struct SimParams {\n${FIELDS.map(([name, type]) => `  ${name}: ${type},`).join('\n')}\n}\n`;

export function encodeSimParams(values: SimParams): ArrayBuffer {
  const buffer = new ArrayBuffer(SIM_PARAMS_BYTES);
  const view = new DataView(buffer);
  FIELDS.forEach(([name, type], i) => {
    const v = values[name];
    if (type === 'u32') {
      if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) throw new RangeError(`SimParams.${name} = ${v} is not a u32`);
      view.setUint32(i * 4, v, true);
    } else {
      view.setFloat32(i * 4, v, true);
    }
  });
  return buffer;
}
