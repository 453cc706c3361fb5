import { gridOf, type Grid } from '../config/geometry.js';
import type { RunResult } from './simulate.js';

/**
 * The grid as summary.json states it, so a reader needs no config parsing to
 * reshape the .npy files: `shape` is a field's array shape ([ny, nx], or [n] on
 * a ring) and the other numbers are per axis, x first. A ring has no y.
 */
export function gridSummary(grid: Grid) {
  const common = { dimensions: grid.dimensions, shape: [...grid.shape], cells: grid.cells, cellArea: grid.area, domain: grid.domain };
  if (grid.dimensions === 1) return { ...common, n: grid.nx, length: grid.lx, dx: grid.dx };
  return { ...common, nx: grid.nx, ny: grid.ny, lx: grid.lx, ly: grid.ly, dx: grid.dx, dy: grid.dy };
}

/** What densities are per: the domain's area, or a ring's length. */
export function densityUnit(grid: Grid): string {
  return grid.dimensions === 1 ? 'per unit length' : 'per unit area';
}

/** The JSON a run reports (summary.json, `run --json`): numbers only, no arrays of cells. */
export function runSummary(result: RunResult) {
  const { epr, theory, cellVariance } = result;
  const grid = gridOf(result.config);
  const hasTheory = !('unavailable' in theory);
  const eprTheory = hasTheory ? theory.eprDiscrete : null;
  const varTheory = hasTheory ? theory.cellVariance : null;
  const record = result.spaceTime;
  return {
    config: result.config,
    /** Added with rectangles and rings; every key above and below is as before. */
    grid: gridSummary(grid),
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
      units: `nats per unit time (k_B = 1), one field; density: ${densityUnit(grid)}`,
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
    /** σ(k) by shell of |k| (shell s: round(|k|/shellWidth) = s) from the sampled steps, beside the theory. */
    spectrum: result.spectrum && { samples: result.spectrum.samples, ...result.spectrum.shells },
    /** A ring's space-time record (space-time.npy, [rows, n]): row j is replica 0's field at step firstStep + j·every. */
    ...(record && {
      spaceTime: {
        rows: record.steps.length,
        every: record.every,
        firstStep: record.steps[0],
        lastStep: record.steps[record.steps.length - 1],
        units: 'row j: the field u_n of replica 0 at step n = firstStep + j·every (time n·dt), burn-in included; columns: cells along the ring',
      },
    }),
    performance: result.performance,
  };
}
