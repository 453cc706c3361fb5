import type { Config } from '../../src/config/schema.js';
import { gpuMaker, measureEngine, type Measured } from './measure-engine.js';
import { gridLabel, type GpuRequest, type Plan } from './plan.js';
import type { Roofline } from './roofline.js';
import type { GpuRow, SkippedRow } from './rows.js';
import { checkSameDynamics, sameFieldCheck } from './same-dynamics.js';
import { stepsFor } from './sizing.js';
import { gpuStepCost, temporalStepCost } from './step-model.js';
import { kernelRadii } from '../../src/config/geometry.js';
import { temporalFits } from '../../src/gpu/passes/temporal/temporal.js';

export interface GpuTarget {
  device: GPUDevice;
  description: string;
  roofline: Roofline;
}

/**
 * The GPU engine at one grid, radius and convolution, twice: with the
 * estimator attached (a user's run) and with nothing attached (the pure
 * step, the like of a peer that computes no entropy). Both run the same
 * steps from the same seed, so they must end on the same field
 * (same-dynamics.ts): the pair checks that after timing both, and a
 * mismatch fails the benchmark.
 */
export async function measureGpuPair(gpu: GpuTarget, config: Config, request: GpuRequest, p: Plan): Promise<(GpuRow | SkippedRow)[]> {
  const make = gpuMaker(gpu.device, gpu.description, config, request);
  const steps = await stepsFor(make, config, p, `gpu (${request})`);
  if (typeof steps !== 'number') return [steps];
  const options = { steps, warmup: steps, repeats: p.repeats };
  const withEstimator = await measureEngine(make, config, { ...options, estimator: true });
  const without = await measureEngine(make, config, { ...options, estimator: false });
  const where = `${request} at ${gridLabel(withEstimator.row)}, radius ${withEstimator.row.radius}`;
  const difference = pairedCheck(withEstimator, without, where);
  without.row.check = `${without.row.check}; ${sameFieldCheck(difference)}`;
  return [withEstimator, without].map((m) => gpuRow(m, config, request, gpu.roofline));
}

/**
 * The 2-D stencil with temporal blocking (GpuEngineOptions.temporalBlocking:
 * several unobserved steps per dispatch), without the estimator (blocking
 * runs only where nothing observes): beside the one-step 'stencil-2d' rows.
 * Only where its halo fits workgroup memory; the engine must have taken it.
 */
export async function measureGpuBlocked(gpu: GpuTarget, config: Config, p: Plan): Promise<GpuRow | SkippedRow | undefined> {
  if (!temporalFits(kernelRadii(config))) return undefined;
  const make = gpuMaker(gpu.device, gpu.description, config, 'stencil-2d', { temporalBlocking: 'on' });
  const steps = await stepsFor(make, config, p, 'gpu (stencil-2d, temporal blocking)');
  if (typeof steps !== 'number') return steps;
  const measured = await measureEngine(make, config, { steps, warmup: steps, repeats: p.repeats, estimator: false });
  const where = `stencil-2d with temporal blocking at ${gridLabel(measured.row)}, radius ${measured.row.radius}`;
  if ((measured.row.blockedSteps ?? 1) < 2) throw new Error(`benchmark output check (${where}): the engine did not take temporal blocking`);
  // The same steps one per dispatch (untimed) must end on the same field: blocking changes no dynamics.
  const single = await gpuMaker(gpu.device, gpu.description, config, 'stencil-2d', { temporalBlocking: 'off' })();
  try {
    await single.advance(steps * (1 + p.repeats));
    const difference = checkSameDynamics(await single.readField(), measured.field, where);
    measured.row.check = `${measured.row.check}; = one-step field${difference === 0 ? ' (bitwise)' : ` (to ${difference.toExponential(1)})`}`;
  } finally {
    single.dispose();
  }
  return gpuRow(measured, config, 'stencil-2d', gpu.roofline);
}

/** The pair's checks: the same kernel ran both, and ended on the same field (returns the relative difference). */
export function pairedCheck(withEstimator: Measured, without: Measured, where: string): number {
  if (withEstimator.row.driftVariant !== without.row.driftVariant) {
    throw new Error(`benchmark output check (${where}): the ${withEstimator.row.driftVariant} drift ran with the estimator, the ${without.row.driftVariant} one without`);
  }
  return checkSameDynamics(withEstimator.field, without.field, where);
}

function gpuRow({ row }: Measured, config: Config, request: GpuRequest, roofline: Roofline): GpuRow {
  const blocked = row.blockedSteps ?? 1;
  const cost = blocked > 1 ? temporalStepCost(config, blocked) : gpuStepCost(config, row.driftVariant!, row.estimator, row.updateFused ?? false);
  const rate = row.cellStepsPerSecond.median;
  return {
    ...row,
    request,
    cost,
    bandwidthFraction: (cost.bytes * rate) / roofline.bandwidth.median,
    flopsFraction: (cost.flops * rate) / roofline.flops.median,
  };
}
