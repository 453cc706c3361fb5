import type { CellCoefficient, StepCoefficients } from '../model/coefficients.js';
import { bindings, storage, type BindingSet, type BufferBinding } from './layout/bindings.js';
import type { SimParamValues } from './layout/structs.js';

/**
 * The step coefficients that a map may vary per cell, as the kernels read
 * them: through a generated accessor `fn <accessor>(cell: u32) -> f32` (cell =
 * iy·nx + ix). For a uniform config the accessor returns the SimParams field;
 * for a map (a Float64Array from stepCoefficients) it reads
 * `coef_<name>[cell]`, a storage buffer in bind group 2. No kernel reads these
 * SimParams fields directly, so a map changes only this generated text.
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
  /** Each map's values in float32, by binding name. */
  mapValues: Record<string, Float32Array<ArrayBuffer>>;
}

export function gpuCoefficients(c: StepCoefficients): GpuCoefficients {
  const params = {} as Record<MappedField, number>;
  const entries: Record<string, BufferBinding> = {};
  const mapValues: Record<string, Float32Array<ArrayBuffer>> = {};
  const functions: string[] = [];
  const noiseMap = typeof c.diffusion !== 'number';
  for (const { accessor, coefficient, field } of ACCESSORS) {
    const value: CellCoefficient = c[coefficient];
    if (typeof value === 'number') {
      params[field] = value;
      functions.push(`fn ${accessor}(cell: u32) -> f32 {\n  return params.${field};\n}`);
    } else if (noiseMap && (field === 'noiseScale' || field === 'epWeight')) {
      // Derived from the one map of √D below, with the per-unit-D factor in SimParams.
      continue;
    } else {
      if (value.length !== c.cells) throw new RangeError(`the map of ${coefficient} has ${value.length} values for ${c.cells} cells`);
      const name = `coef_${field}`;
      params[field] = 0;
      entries[name] = storage('array<f32>');
      mapValues[name] = Float32Array.from(value);
      functions.push(`fn ${accessor}(cell: u32) -> f32 {\n  return ${name}[cell];\n}`);
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
  if (typeof c.diffusion === 'number') {
    functions.push('fn noise_root(cell: u32) -> f32 {\n  return 1.0;\n}');
  } else {
    if (c.diffusion.length !== c.cells) throw new RangeError(`the map of diffusion has ${c.diffusion.length} values for ${c.cells} cells`);
    params.noiseScale = Math.sqrt((2 * c.dt) / c.area);
    params.epWeight = c.area / 2;
    entries.coef_noiseRoot = storage('array<f32>');
    mapValues.coef_noiseRoot = Float32Array.from(c.diffusion, Math.sqrt);
    functions.push('fn noise_root(cell: u32) -> f32 {\n  return coef_noiseRoot[cell];\n}');
    functions.push('fn noise_scale(cell: u32) -> f32 {\n  return params.noiseScale * coef_noiseRoot[cell];\n}');
    functions.push('fn entropy_weight(cell: u32) -> f32 {\n  let root = coef_noiseRoot[cell];\n  return params.epWeight / (root * root);\n}');
  }
  const maps = Object.keys(entries).length ? bindings(COEFFICIENT_GROUP, entries, 'coefficient maps') : undefined;
  const wgsl = `// Step coefficients per cell (src/gpu/coefficients.ts).\n${functions.join('\n')}\n`;
  return { wgsl, params, maps, mapValues };
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
