import type { Config } from '../../src/config/schema.js';
import { gpuMaker, measureEngine, type Measured } from './measure-engine.js';
import { gridLabel, type GpuRequest, type Plan } from './plan.js';
import type { Roofline } from './roofline.js';
import type { GpuRow, SkippedRow } from './rows.js';
import { checkSameDynamics, sameFieldCheck } from './same-dynamics.js';
import { stepsFor } from './sizing.js';
import { gpuStepCost } from './step-model.js';

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

/** The pair's checks: the same kernel ran both, and ended on the same field (returns the relative difference). */
export function pairedCheck(withEstimator: Measured, without: Measured, where: string): number {
  if (withEstimator.row.driftVariant !== without.row.driftVariant) {
    throw new Error(`benchmark output check (${where}): the ${withEstimator.row.driftVariant} drift ran with the estimator, the ${without.row.driftVariant} one without`);
  }
  return checkSameDynamics(withEstimator.field, without.field, where);
}

function gpuRow({ row }: Measured, config: Config, request: GpuRequest, roofline: Roofline): GpuRow {
  const cost = gpuStepCost(config, row.driftVariant!, row.estimator, row.updateFused ?? false);
  const rate = row.cellStepsPerSecond.median;
  return {
    ...row,
    request,
    cost,
    bandwidthFraction: (cost.bytes * rate) / roofline.bandwidth.median,
    flopsFraction: (cost.flops * rate) / roofline.flops.median,
  };
}
