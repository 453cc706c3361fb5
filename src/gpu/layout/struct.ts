/**
 * A uniform struct declared once in TypeScript: its WGSL declaration and the
 * host encoder both come from the one field list. Fields are 4-byte scalars
 * (u32, i32, f32), which WGSL's uniform layout packs in order with no padding;
 * the buffer is rounded up to 16 bytes, as uniform buffers must be.
 */
export type ScalarType = 'u32' | 'i32' | 'f32';

export interface StructLayout<Name extends string = string> {
  readonly name: string;
  readonly fields: readonly (readonly [Name, ScalarType])[];
  /** Byte offset of each field. */
  readonly offsets: Readonly<Record<Name, number>>;
  /** Bytes of the uniform buffer (a multiple of 16). */
  readonly size: number;
  /** `struct Name { field: type, … }` */
  readonly wgsl: string;
  /** The bytes of one value of the struct; every field must be given. */
  encode(values: Readonly<Record<Name, number>>): ArrayBuffer;
}

export function struct<const F extends readonly (readonly [string, ScalarType])[]>(
  name: string,
  fields: F,
  comments: Partial<Record<F[number][0], string>> = {},
): StructLayout<F[number][0]> {
  type Name = F[number][0];
  if (fields.length === 0) throw new RangeError(`struct ${name} needs at least one field`);
  const offsets = Object.fromEntries(fields.map(([field], i) => [field, 4 * i])) as Record<Name, number>;
  const size = Math.ceil((fields.length * 4) / 16) * 16;
  const line = ([field, type]: readonly [Name, ScalarType]) => {
    const comment = comments[field];
    return `  ${field}: ${type},${comment ? `  // ${comment}` : ''}`;
  };
  const wgsl = `struct ${name} {\n${fields.map(line).join('\n')}\n}\n`;
  return {
    name,
    fields,
    offsets,
    size,
    wgsl,
    encode(values) {
      const buffer = new ArrayBuffer(size);
      const view = new DataView(buffer);
      for (const [field, type] of fields as readonly (readonly [Name, ScalarType])[]) {
        const v = values[field];
        const at = offsets[field];
        if (type === 'f32') {
          if (typeof v !== 'number') throw new RangeError(`${name}.${field} is missing`);
          view.setFloat32(at, v, true);
        } else if (type === 'u32') {
          if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) throw new RangeError(`${name}.${field} = ${v} is not a u32`);
          view.setUint32(at, v, true);
        } else {
          if (!(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) throw new RangeError(`${name}.${field} = ${v} is not an i32`);
          view.setInt32(at, v, true);
        }
      }
      return buffer;
    },
  };
}
