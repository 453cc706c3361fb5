import { gridLabel, type BenchReport, type GpuRow, type PeerRow, type SkippedRow } from './runner.js';
import type { EngineRow } from './measure-engine.js';

const si = (x: number, unit: string) => {
  const prefixes: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']];
  const [scale, p] = prefixes.find(([s]) => Math.abs(x) >= s) ?? [1, ''];
  return `${(x / scale).toPrecision(3)} ${p}${unit}`;
};

/** The report as a Markdown table, with the machine's limits above it. */
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
  for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  lines.push('Full step with the entropy estimator attached. Rates are the median of the repeats, [min–max], in wall time; GPU ms/step comes from timestamp queries where the adapter has them (blank: it has none). Bytes and flops per cell-step are the GPU kernels\' (bench/core/step-model.ts); the fractions are of the roofline above at the wall-time rate.');
  lines.push('');
  lines.push('| engine | grid | radius | cell-steps/s (wall) | wall ms/step | GPU ms/step | B/cell-step | flop/cell-step | % bandwidth | % FMA peak |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of report.rows) {
    const grid = gridLabel(row);
    if ('skipped' in row) {
      lines.push(`| ${(row as SkippedRow).engine} | ${grid} | ${row.radius} | skipped: ${(row as SkippedRow).skipped} | | | | | | |`);
      continue;
    }
    const c = row.cellStepsPerSecond;
    const rate = `${si(c.median, '')} [${si(c.min, '')}–${si(c.max, '')}]`;
    if (row.engine === 'numpy-fft' || row.engine === 'numpy-direct') {
      const peer = row as PeerRow;
      const ms = ((peer.nx * peer.ny) / c.median) * 1000;
      lines.push(`| ${peer.engine}${peer.fastest ? ' (faster)' : ''} | ${grid} | ${row.radius} | ${rate} | ${ms.toPrecision(3)} | | | | | |`);
      continue;
    }
    const e = row as EngineRow;
    const ms = (e.secondsPerStep.median * 1000).toPrecision(3);
    const gpuMs = e.gpuSecondsPerStep ? (e.gpuSecondsPerStep.median * 1000).toPrecision(3) : '';
    const g = row as GpuRow;
    const roof = g.cost
      ? `| ${g.cost.bytes.toFixed(1)} | ${g.cost.flops.toFixed(0)} | ${(100 * g.bandwidthFraction).toPrecision(3)}% | ${(100 * g.flopsFraction).toPrecision(3)}% |`
      : '| | | | |';
    const name = e.engine === 'gpu' ? `amari-ep GPU${e.convolution === 'fft' ? ' (FFT)' : ''}` : 'amari-ep CPU (float64)';
    lines.push(`| ${name} | ${grid} | ${row.radius} | ${rate} | ${ms} | ${gpuMs} ${roof}`);
  }
  return `${lines.join('\n')}\n`;
}
