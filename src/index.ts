/**
 * amari-ep's library API, for any JavaScript runtime (browsers included):
 * configs, engines, estimators, theory and in-memory I/O. Nothing reachable
 * from here imports a Node builtin or the `webgpu` package (Dawn), which
 * test/entry-points.test.ts checks; Node-only parts (file loading, Dawn
 * devices, writers, createEngine) are in ./node.ts, the "amari-ep/node" entry.
 */
export { ConfigError } from './config/errors.js';
export { describeGrid, gridOf, type Grid } from './config/geometry.js';
export { parseConfig, presetConfig } from './config/load.js';
export { DEFAULT_PRESET, presetNames, presets, type PresetName } from './config/presets.js';
export type { Config, ConfigInput, MapSpec, Mappable } from './config/schema.js';
export { fieldValues, mappedFields, patternValues, registerMapFile, type MappedField } from './config/maps.js';
export { CpuEngine } from './cpu/cpu-engine.js';
export type { BackendInfo, Engine, EngineState } from './engine/engine.js';
export type { Observer, ObserverLink, ObserverSession, StepView } from './engine/observer.js';
export { stepCoefficients, type StepCoefficients } from './model/coefficients.js';
export type { BlockSums } from './numeric/block-accumulator.js';
export { entropyProduction, type EntropyProduction } from './estimators/entropy-production/index.js';
export { cellVariance, type CellVariance } from './estimators/cell-variance/index.js';
export { modeSpectrum, type ModeSpectrum } from './estimators/mode-spectrum/index.js';
export { ensembleEntropy, type EnsembleRecords } from './estimators/ensemble-entropy/index.js';
export { Run, type RunPlan, type RunEstimates } from './run/run.js';
export { spaceTime, type SpaceTime } from './run/space-time.js';
export { decodeNpy, encodeNpy } from './io/npy.js';
export { cellSize, kernelStencil, noiseStencil } from './model/kernels.js';
export { uniformFixedPoint } from './model/fixed-point.js';
export { fillNormals, normalFromWords, philox4x32, philoxKey } from './rng/philox.js';
export { assertRunnable } from './run/preflight.js';
export { simulate, theoryFor, type RunOptions, type RunResult, type TheoryComparison, type TheoryUnavailable } from './run/simulate.js';
export { runSummary } from './run/summary.js';
export { DENSE_MAX_CELLS, DENSE_MAX_N, denseTheory, type DenseMaps, type DenseTheory } from './theory/dense.js';
export {
  FOURIER_BLOCKS_MAX_N,
  fourierBlocksTheory,
  mapAxis,
  type FourierBlocksStability,
  type FourierBlocksTheory,
} from './theory/fourier-blocks.js';
export {
  LinearisationUnavailable,
  linearisationNote,
  linearTheory,
  type Linearisation,
  type LinearisationNote,
  type LinearTheory,
} from './theory/linear.js';
export { fourierTheory, type FourierTheory } from './theory/fourier.js';
export { TheoryNotApplicable } from './theory/modes.js';
export { instabilityReason, stabilityOf } from './theory/stability.js';
export { GpuEngine, type GpuEngineOptions } from './gpu/gpu-engine.js';
export { GpuError } from './gpu/errors.js';
export { requestBrowserDevice } from './gpu/browser-device.js';
export { GpuFft2 } from './gpu/passes/fft/fft.js';
export { SpectrumSampler } from './estimators/mode-spectrum/sampler.js';
export { EnsembleSpectrum, jackknifeError } from './estimators/ensemble-entropy/index.js';
export { relax, type BalanceRow, type RelaxOptions, type RelaxResult } from './run/relax.js';
export { relaxationTheory, type RelaxationTheory } from './theory/relaxation.js';
export { uniformFixedPoints, type UniformFixedPoint } from './model/fixed-points.js';
export { stationaryState, type StationaryOptions, type StationaryState } from './model/bump.js';
export { bumpProfile, waveProfile } from './model/profiles.js';
export { classifyFixedPoints, uniformLinearisation, type ClassifiedFixedPoint, type UniformLinearisation } from './theory/linearisation.js';
export { bumpStability, stationaryLinearisation, type BumpStability, type StateLinearisation } from './theory/bump.js';
