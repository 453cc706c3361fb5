import type { CellCoefficient, StepCoefficients } from '../model/coefficients.js';
import { bindings, storage, type BindingSet, type BufferBinding } from './layout/bindings.js';
import type { SimParamValues } from './layout/structs.js';

/**
 * The step coefficients that a map may vary per cell, as the kernels read
 * them: through a generated accessor `fn <accessor>(cell: u32, replica: u32) -> f32`
 * (cell = iy·nx + ix, replica the z index). For a uniform config the accessor
 * returns the SimParams field; for a map (a Float64Array from
 * stepCoefficients) it reads `coef_<name>[cell]`, a storage buffer in bind
 * group 2. No kernel reads these SimParams fields directly, so a map changes
 * only this generated text.
 *
 * A batch (several configs, each with the same number of replicas, along z:
 * gpuBatchCoefficients) reads a coefficient that differs between its members
 * per replica: `coef_<name>[replica]` for numbers, `coef_<name>[replica·cells + cell]`
 * for maps; one that all members share is read as for one config. The Philox
 * counter's replica word goes through `noise_replica(replica)`: a member's
 * replica index, so each member draws the noise of its solo run.
 */
const ACCESSORS = [
  { accessor: 'input_at', coefficient: 'input', field: 'h' },
  { accessor: 'gain_at', coefficient: 'gain', field: 'gain' },
  { accessor: 'noise_scale', coefficient: 'noiseScale', field: 'noiseScale' },
  { accessor: 'entropy_weight', coefficient: 'entropyWeight', field: 'epWeight' },
] as const;

type MappedField = (typeof ACCESSORS)[number]['field'];

export const COEFFICIENT_GROUP = 2;

export interface GpuCoefficients {
  /** The accessor functions (the map declarations come with the bind group, `maps.wgsl`). */
  wgsl: string;
  /** The SimParams fields of the scalar coefficients (0 where a map stands instead; for a noise map, the factors of √D_i). */
  params: Record<MappedField, number>;
  /** Group 2: one read-only f32 buffer per mapped coefficient; undefined for a uniform config. */
  maps: BindingSet | undefined;
  /** Each map's values in float32 (the members' step constants as u32 words), by binding name. */
  mapValues: Record<string, Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>;
}

export function gpuCoefficients(c: StepCoefficients): GpuCoefficients {
  return gpuBatchCoefficients([c], 1);
}

/** Whether a coefficient is the same for every member (the same number, or the same map). */
function shared(values: CellCoefficient[]): boolean {
  const [first] = values;
  return values.every((v) => v === first || (typeof v !== 'number' && typeof first !== 'number' && v.length === first.length && v.every((x, i) => x === first[i])));
}

/**
 * The coefficients of a batch: members[m] runs as replicas m·R .. m·R + R − 1
 * (R = replicasEach). One member is one config, generated exactly as it
 * always was. A coefficient that is a number for some members and a map for
 * others is refused (batch.ts never groups them: the two forms round differently).
 */
export function gpuBatchCoefficients(members: StepCoefficients[], replicasEach: number, keys: [number, number][] = []): GpuCoefficients {
  const [c] = members;
  const cells = c.cells;
  const params = {} as Record<MappedField, number>;
  const entries: Record<string, BufferBinding> = {};
  const mapValues: GpuCoefficients['mapValues'] = {};
  const functions: string[] = [];
  // One member's values, one replica's worth each, replica-major.
  const perReplica = (values: number[]): Float32Array<ArrayBuffer> =>
    Float32Array.from(values.flatMap((v) => Array<number>(replicasEach).fill(v)));
  const perReplicaMap = (maps: Float64Array[], f: (x: number) => number = (x) => x): Float32Array<ArrayBuffer> => {
    const out = new Float32Array(maps.length * replicasEach * cells);
    maps.forEach((map, m) => {
      for (let r = 0; r < replicasEach; r++) out.set(Float32Array.from(map, f), (m * replicasEach + r) * cells);
    });
    return out;
  };
  const mixed = (name: string, values: CellCoefficient[]): never => {
    throw new RangeError(`a batch's ${name} must be a number for every member or a map for every member (got ${values.map((v) => (typeof v === 'number' ? 'a number' : 'a map')).join(', ')})`);
  };
  const diffusions = members.map((m) => m.diffusion);
  const noiseMap = typeof c.diffusion !== 'number';
  if (!diffusions.every((d) => typeof d === typeof c.diffusion)) mixed('noise amplitude', diffusions);
  for (const { accessor, coefficient, field } of ACCESSORS) {
    const values: CellCoefficient[] = members.map((m) => m[coefficient]);
    const value = values[0];
    if (noiseMap && (field === 'noiseScale' || field === 'epWeight')) {
      // Derived from the one map of √D below, with the per-unit-D factor in SimParams.
      continue;
    }
    const name = `coef_${field}`;
    for (const v of values) if (typeof v !== 'number' && v.length !== cells) throw new RangeError(`the map of ${coefficient} has ${v.length} values for ${cells} cells`);
    if (typeof value === 'number' && shared(values)) {
      params[field] = value;
      functions.push(`fn ${accessor}(cell: u32, replica: u32) -> f32 {\n  return params.${field};\n}`);
    } else if (typeof value !== 'number' && shared(values)) {
      params[field] = 0;
      entries[name] = storage('array<f32>');
      mapValues[name] = Float32Array.from(value);
      functions.push(`fn ${accessor}(cell: u32, replica: u32) -> f32 {\n  return ${name}[cell];\n}`);
    } else if (values.every((v) => typeof v === 'number')) {
      params[field] = 0;
      entries[name] = storage('array<f32>');
      mapValues[name] = perReplica(values as number[]);
      functions.push(`fn ${accessor}(cell: u32, replica: u32) -> f32 {\n  return ${name}[replica];\n}`);
    } else if (values.every((v) => typeof v !== 'number')) {
      params[field] = 0;
      entries[name] = storage('array<f32>');
      mapValues[name] = perReplicaMap(values as Float64Array[]);
      functions.push(`fn ${accessor}(cell: u32, replica: u32) -> f32 {\n  return ${name}[replica * ${cells}u + cell];\n}`);
    } else {
      mixed(coefficient, values);
    }
  }
  // √D_i relative to nothing in particular: with correlated noise and a noise
  // map, the estimator applies diag(√D)·H·diag(1/√D) to the drift (docs/model.md §8).
  // Uniform: 1.0, whose product and quotient are exact, so nothing changes.
  // A noise map is one storage buffer of √D_i, from which noise_scale = √(2dt/a)·√D_i
  // and entropy_weight = (a/2)/(√D_i)² follow (a the cell area): every storage
  // binding counts against maxStorageBuffersPerShaderStage (10 in Chrome on
  // SwiftShader), so a noise map and a slope map together still fit beside the
  // observers' maps.
  if (noiseMap && members.some((m) => m.dt !== c.dt)) throw new RangeError("a batch with a noise map must share dt (the map's noise scale √(2dt/a) is one number)");
  if (!noiseMap) {
    functions.push('fn noise_root(cell: u32, replica: u32) -> f32 {\n  return 1.0;\n}');
  } else {
    for (const d of diffusions as Float64Array[]) if (d.length !== cells) throw new RangeError(`the map of diffusion has ${d.length} values for ${cells} cells`);
    const one = shared(diffusions);
    const root = one ? 'coef_noiseRoot[cell]' : `coef_noiseRoot[replica * ${cells}u + cell]`;
    params.noiseScale = Math.sqrt((2 * c.dt) / c.area);
    params.epWeight = c.area / 2;
    entries.coef_noiseRoot = storage('array<f32>');
    mapValues.coef_noiseRoot = one ? Float32Array.from(c.diffusion as Float64Array, Math.sqrt) : perReplicaMap(diffusions as Float64Array[], Math.sqrt);
    functions.push(`fn noise_root(cell: u32, replica: u32) -> f32 {\n  return ${root};\n}`);
    functions.push(`fn noise_scale(cell: u32, replica: u32) -> f32 {\n  return params.noiseScale * ${root};\n}`);
    functions.push(`fn entropy_weight(cell: u32, replica: u32) -> f32 {\n  let root = ${root};\n  return params.epWeight / (root * root);\n}`);
  }
  for (const f of memberConstants(members, replicasEach, keys, entries, mapValues)) functions.push(f);
  // The Philox replica word: z itself for one config; a member's own replica index in a batch.
  functions.push(members.length === 1
    ? 'fn noise_replica(replica: u32) -> u32 {\n  return replica;\n}'
    : `fn noise_replica(replica: u32) -> u32 {\n  return replica % ${replicasEach}u;\n}`);
  const maps = Object.keys(entries).length ? bindings(COEFFICIENT_GROUP, entries, 'coefficient maps') : undefined;
  const wgsl = `// Step coefficients per cell (src/gpu/coefficients.ts).\n${functions.join('\n')}\n`;
  return { wgsl, params, maps, mapValues };
}

/**
 * The step's constants that a batch's members may not share: dt (and dt/2),
 * 1/τ and the Philox key, through `dt_at`, `half_dt_at`, `inv_tau_at` and
 * `noise_key` (replica → value). Shared, they return the SimParams fields,
 * the text one config always had; where members differ, one storage buffer
 * `coef_member` holds each replica's differing constants as u32 words (floats
 * by their bits, read back exactly with bitcast). dt/2 is then dt·0.5: the
 * same float32 as dt/2 rounded, halving being exact.
 */
function memberConstants(
  members: StepCoefficients[],
  replicasEach: number,
  keys: [number, number][],
  entries: Record<string, BufferBinding>,
  mapValues: GpuCoefficients['mapValues'],
): string[] {
  const words = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];
  const columns: number[][][] = [];
  const differ = (values: number[][]) => values.some((v) => v.some((x, i) => x !== values[0][i]));
  const dts = members.map((m) => [words(m.dt)]);
  const invTaus = members.map((m) => [words(m.invTau)]);
  const seeds = keys.length === members.length ? keys.map((k) => [...k]) : [];
  let width = 0;
  const at = (values: number[][]): number | undefined => {
    if (values.length === 0 || !differ(values)) return undefined;
    columns.push(values);
    const offset = width;
    width += values[0].length;
    return offset;
  };
  const dt = at(dts);
  const invTau = at(invTaus);
  const key = at(seeds);
  const word = (offset: number) => `coef_member[replica * ${width}u + ${offset}u]`;
  if (width > 0) {
    const table = new Uint32Array(members.length * replicasEach * width);
    members.forEach((_, m) => {
      const row = columns.flatMap((values) => values[m]);
      for (let r = 0; r < replicasEach; r++) table.set(row, (m * replicasEach + r) * width);
    });
    entries.coef_member = storage('array<u32>');
    mapValues.coef_member = table;
  }
  return [
    dt === undefined ? 'fn dt_at(replica: u32) -> f32 {\n  return params.dt;\n}' : `fn dt_at(replica: u32) -> f32 {\n  return bitcast<f32>(${word(dt)});\n}`,
    dt === undefined ? 'fn half_dt_at(replica: u32) -> f32 {\n  return params.halfDt;\n}' : 'fn half_dt_at(replica: u32) -> f32 {\n  return dt_at(replica) * 0.5;\n}',
    invTau === undefined ? 'fn inv_tau_at(replica: u32) -> f32 {\n  return params.invTau;\n}' : `fn inv_tau_at(replica: u32) -> f32 {\n  return bitcast<f32>(${word(invTau)});\n}`,
    key === undefined
      ? 'fn noise_key(replica: u32) -> vec2u {\n  return vec2u(params.seedLo, params.seedHi);\n}'
      : `fn noise_key(replica: u32) -> vec2u {\n  return vec2u(${word(key)}, ${word(key + 1)});\n}`,
  ];
}

/** The SimParams of a config: its coefficients, the grid, the stencil radii per axis and the Philox key. */
export function simParamValues(c: StepCoefficients, coefficients: GpuCoefficients, key: [number, number]): SimParamValues {
  return {
    nx: c.grid.nx,
    ny: c.grid.ny,
    radiusX: c.kernelRadii.x,
    radiusY: c.kernelRadii.y,
    noiseRadiusX: c.correlated?.radii.x ?? 0,
    noiseRadiusY: c.correlated?.radii.y ?? 0,
    seedLo: key[0],
    seedHi: key[1],
    dt: c.dt,
    invTau: c.invTau,
    threshold: c.threshold,
    halfDt: c.halfDt,
    shapedWeight: c.correlated?.shapedWeight ?? 1,
    floorWeight: c.correlated?.floorWeight ?? 0,
    ...coefficients.params,
  };
}
