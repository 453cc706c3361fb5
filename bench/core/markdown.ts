import { gridLabel } from './plan.js';
import { isGpuRow, isPeerRow, isSkipped, type AutoChoice, type BenchReport, type EngineRow, type GpuRow, type Row } from './rows.js';

const si = (x: number, unit: string) => {
  const prefixes: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']];
  const [scale, p] = prefixes.find(([s]) => Math.abs(x) >= s) ?? [1, ''];
  return `${(x / scale).toPrecision(3)} ${p}${unit}`;
};

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** "stencil (separable)": the convolution asked for, and the drift kernel that ran it. */
const gpuConvolution = (row: EngineRow) =>
  `${row.request ?? '?'} (${row.driftVariant ?? '?'}${row.separableShape ? ` ${row.separableShape}` : ''}${(row.blockedSteps ?? 1) > 1 ? `, temporal blocking T=${row.blockedSteps}` : ''})`;

const PREAMBLE =
  'Estimator "yes": the step of a run with its estimators attached (entropy production, cell variance, spatial mean: what `amari-ep run` pays); ' +
  '"no": the pure step (noise, convolution, update) with nothing observing it, the like of a peer that sums no entropy. ' +
  'Each GPU convolution is timed both ways over the same steps from the same seed, and the no-estimator run must end on the same field (observers do not change the dynamics). ' +
  'Convolution: what the GPU engine was asked for (auto: what a user\'s run takes, the path and the separable column shape tuned on this adapter) and, in brackets, the drift kernel that ran (GpuEngine.driftVariant): separable (row pass, then column pass, with its column workgroup: threads along x × along y / cells per thread), tiled (the 2-D stencil; "temporal blocking T=2": two unobserved steps per dispatch, halos recomputed, bit for bit the one-step tiled rows\' dynamics), spectral (FFT). ' +
  'Each peer first reproduces amari-ep\'s CPU field and entropy sums on 32² and 24 × 10 from the same start and normals ("= CPU reference"). ' +
  'Rates are the median of the repeats, [min–max], in wall time; GPU ms/step comes from timestamp queries where the adapter has them (blank: it has none). ' +
  'Bytes and flops per cell-step are the GPU kernels\' (bench/core/step-model.ts), by drift kernel and estimator; the fractions are of the roofline above at the wall-time rate.';

/** The report as Markdown: the machine's limits, the table of rows, then the convolution `auto` takes at each grid and radius. */
export function toMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(`# amari-ep benchmark (${report.mode}), ${report.date}`);
  lines.push('');
  for (const [k, v] of Object.entries(report.environment)) lines.push(`- ${k}: ${v}`);
  lines.push(`- adapter: ${report.adapter ?? 'none'}`);
  if (report.roofline) {
    const r = report.roofline;
    lines.push(
      `- roofline (${r.timing === 'wall' ? 'wall time' : 'GPU timestamps'}): copy bandwidth ${si(r.bandwidth.median, 'B/s')} ` +
        `(min ${si(r.bandwidth.min, 'B/s')}, max ${si(r.bandwidth.max, 'B/s')}); float32 FMA rate ${si(r.flops.median, 'FLOP/s')}`,
    );
  }
  const versions = new Set(report.rows.filter(isPeerRow).map((r) => r.versions));
  for (const v of versions) lines.push(`- peers: ${v}`);
  for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  lines.push(PREAMBLE);
  lines.push('');
  lines.push('| engine | convolution | estimator | grid | radius | cell-steps/s (wall) | wall ms/step | GPU ms/step | B/cell-step | flop/cell-step | % bandwidth | % FMA peak | checked |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of report.rows) lines.push(tableRow(row));
  if (report.choices.length) {
    lines.push('');
    lines.push('## The convolution `auto` takes');
    lines.push('');
    lines.push("What a run with `--convolution auto` (the default) takes at each grid and radius on this adapter, and how it was decided (GpuEngine.convolutionNote: timed on a grid of at most 512² and extrapolated, or not worth timing), with the separable stencil's column workgroup where it runs one (tuned with the path: each candidate shape timed on the same grid, the fastest kept), beside the fastest convolution the table measured there at full size with the estimator.");
    lines.push('');
    lines.push('| grid | radius | auto takes | how it was decided | fastest in the table (with estimator) |');
    lines.push('|---|---|---|---|---|');
    for (const c of report.choices) lines.push(choiceRow(c, report.rows));
  }
  return `${lines.join('\n')}\n`;
}

function tableRow(row: Row): string {
  const grid = gridLabel(row);
  if (isSkipped(row)) return `| ${row.engine} | | | ${grid} | ${row.radius} | skipped: ${row.skipped} | | | | | | | |`;
  const c = row.cellStepsPerSecond;
  const rate = `${si(c.median, '')} [${si(c.min, '')}–${si(c.max, '')}]`;
  if (isPeerRow(row)) {
    const ms = ((row.nx * row.ny) / c.median) * 1000;
    return `| ${row.engine}${row.fastest ? ' (faster)' : ''} | ${row.method} | ${yesNo(row.estimator)} | ${grid} | ${row.radius} | ${rate} | ${ms.toPrecision(3)} | | | | | | ${row.check} |`;
  }
  const ms = (row.secondsPerStep.median * 1000).toPrecision(3);
  const gpuMs = row.gpuSecondsPerStep ? (row.gpuSecondsPerStep.median * 1000).toPrecision(3) : '';
  if (isGpuRow(row)) {
    const g: GpuRow = row;
    const roof = `${g.cost.bytes.toFixed(1)} | ${g.cost.flops.toFixed(0)} | ${(100 * g.bandwidthFraction).toPrecision(3)}% | ${(100 * g.flopsFraction).toPrecision(3)}%`;
    return `| amari-ep GPU | ${gpuConvolution(g)} | ${yesNo(g.estimator)} | ${grid} | ${row.radius} | ${rate} | ${ms} | ${gpuMs} | ${roof} | ${row.check} |`;
  }
  return `| amari-ep CPU (float64) | 2-D stencil | ${yesNo(row.estimator)} | ${grid} | ${row.radius} | ${rate} | ${ms} | ${gpuMs} | | | | | ${row.check} |`;
}

const fastestOf = (rows: GpuRow[]): GpuRow | undefined =>
  rows.reduce<GpuRow | undefined>((a, b) => (!a || b.cellStepsPerSecond.median > a.cellStepsPerSecond.median ? b : a), undefined);

/** A choice beside the measured rows of its grid and radius: the fastest GPU convolution with the estimator, and whether auto agrees. */
function choiceRow(c: AutoChoice, rows: Row[]): string {
  // The paths measured at full size; an `auto` row is the choice itself, run, not a path to choose from.
  const measured = rows.filter((r): r is GpuRow => isGpuRow(r) && r.estimator && r.request !== 'auto' && r.nx === c.nx && r.ny === c.ny && r.radius === c.radius);
  let fastest = '';
  const best = fastestOf(measured);
  if (best) {
    const others = measured.filter((r) => r !== best).map((r) => `${r.request} ${si(r.cellStepsPerSecond.median, '')}`);
    // `auto` chooses between the stencil (separable where it can) and the FFT: it agrees or not with the faster of those two.
    const choosable = fastestOf(measured.filter((r) => r.request !== 'stencil-2d'));
    const verdict = choosable ? (choosable.request === c.convolution ? '; auto agrees' : `; auto differs (${choosable.request} was faster)`) : '';
    fastest = `${best.request} ${si(best.cellStepsPerSecond.median, '')}cell-steps/s${others.length ? ` (${others.join(', ')})` : ''}${verdict}`;
  }
  return `| ${gridLabel(c)} | ${c.radius} | ${c.convolution} (${c.driftVariant}) | ${c.how} | ${fastest} |`;
}
