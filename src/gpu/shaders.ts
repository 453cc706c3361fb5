import grid from './lib/grid.wgsl.js';
import philox from './lib/philox.wgsl.js';
import transfer from './lib/transfer.wgsl.js';
import noise from './passes/noise/noise.wgsl.js';
import update from './passes/update/update.wgsl.js';
import drift from './passes/drift/drift.wgsl.js';
import driftTiled from './passes/drift/tiled.wgsl.js';
import driftDirect from './passes/drift/direct.wgsl.js';
import driftSpectral from './passes/drift/spectral.wgsl.js';
import driftRowConvolution from './passes/drift/row-convolution.wgsl.js';
import driftRowPass from './passes/drift/row-pass.wgsl.js';
import driftSeparable from './passes/drift/separable.wgsl.js';
import driftSeparableRing from './passes/drift/separable-ring.wgsl.js';
import observe from './passes/observe/observe.wgsl.js';
import reduce from './passes/reduce/reduce.wgsl.js';
import spectral from './passes/spectral/spectral.wgsl.js';
import fft from './passes/fft/fft.wgsl.js';
import bluestein from './passes/fft/bluestein.wgsl.js';
import workgroupReduce from './observation/workgroup-reduce.wgsl.js';
import observedCell from './observation/observed-cell.wgsl.js';
import type { ShaderPart } from './errors.js';

/**
 * The engine's hand-written WGSL by name: each pass's file sits beside the
 * module that drives it (src/gpu/passes/<pass>/), the shared functions in
 * src/gpu/lib/. Tests replace one by name (GpuEngineOptions.shaders) to plant
 * faults; the generated parts (layouts, coefficients, observation) are not
 * replaceable.
 */
export const engineShaders = {
  grid,
  philox,
  transfer,
  noise,
  update,
  drift,
  'drift-tiled': driftTiled,
  'drift-direct': driftDirect,
  'drift-spectral': driftSpectral,
  'drift-row-convolution': driftRowConvolution,
  'drift-row-pass': driftRowPass,
  'drift-separable': driftSeparable,
  'drift-separable-ring': driftSeparableRing,
  observe,
  reduce,
  spectral,
  fft,
  bluestein,
  'workgroup-reduce': workgroupReduce,
  'observed-cell': observedCell,
} as const;

export type ShaderName = keyof typeof engineShaders;
export type ShaderSources = Partial<Record<ShaderName, string>>;

/** One named file of a module, or its replacement. */
export function shaderPart(name: ShaderName, replacements: ShaderSources = {}): ShaderPart {
  return { file: `${name}.wgsl`, code: replacements[name] ?? engineShaders[name] };
}

/** A generated part, named for compiler errors. */
export function generatedPart(what: string, code: string): ShaderPart {
  return { file: `(${what}, generated)`, code };
}
