import type { RunResult } from './simulate.js';

/** The JSON a run reports (summary.json, `run --json`): numbers only, no arrays of cells. */
export function runSummary(result: RunResult) {
  const { epr, theory, cellVariance } = result;
  const hasTheory = !('unavailable' in theory);
  const eprTheory = hasTheory ? theory.eprDiscrete : null;
  const varTheory = hasTheory ? theory.cellVariance : null;
  return {
    config: result.config,
    backend: result.backend,
    replicas: result.replicas,
    steps: result.steps,
    burnIn: result.burnIn,
    dt: result.config.dt,
    time: result.time,
    epr: {
      estimate: epr.estimate,
      stderr: epr.stderr,
      density: epr.density,
      densityStderr: epr.densityStderr,
      blocks: epr.blocks.length,
      units: 'nats per unit time (k_B = 1), one field; density: per unit area',
      /** (estimate − eprDiscrete) / stderr. */
      zScore: eprTheory === null ? null : (epr.estimate - eprTheory) / epr.stderr,
    },
    cellVariance: {
      estimate: cellVariance.estimate,
      stderr: cellVariance.stderr,
      relativeError: varTheory === null ? null : cellVariance.estimate / varTheory - 1,
    },
    /** The other observers' numbers (src/estimators/reported.ts), each with its batch-means error. */
    observed: Object.fromEntries(result.observed.map((o) => [o.key, { label: o.label, estimate: o.estimate, stderr: o.stderr, units: o.unit }])),
    theory,
    /** For maps: the measured local density against the theory's (epr-density-theory.npy). */
    eprDensityTheory: result.eprDensityTheory && result.eprDensityTheory.comparison,
    /** σ(k) by shell of |k|·L/2π from the sampled steps, beside the theory. */
    spectrum: result.spectrum && { samples: result.spectrum.samples, ...result.spectrum.shells },
    performance: result.performance,
  };
}
