/**
 * amari-ep's benchmark in Node (Dawn):
 *
 *   npm run bench                 full: 256² up to the largest grid that fits (4096² at least where
 *                                 the adapter allows), radii 2, 4, 8, 16
 *   npm run bench -- --quick      256² at radii 2–16 and 1024² at radius 4: a few minutes
 *   npm run bench -- --smoke      a tiny run that exercises every path (the test suite runs it)
 *   --out DIR                     where the JSON and Markdown go (default bench-results/)
 *
 * The GPU engine, the CPU reference and the NumPy peer are measured in the same
 * run on the same machine, beside the adapter's copy bandwidth and FMA rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requestNodeDevice } from '../src/gpu/node-device.js';
import { toMarkdown } from './core/markdown.js';
import { runBench, type BenchEnvironment, type BenchMode } from './core/runner.js';
import { numpyPeer } from './peers/numpy-peer.js';

export async function benchInNode(mode: BenchMode, outDir: string, log: (s: string) => void = () => {}) {
  let gpu: BenchEnvironment['gpu'];
  let device: GPUDevice | undefined;
  try {
    const acquired = await requestNodeDevice({ timestamps: true });
    device = acquired.device;
    gpu = { device: acquired.device, description: acquired.description };
  } catch (e) {
    gpu = { unavailable: (e as Error).message };
  }
  const peer = await numpyPeer();
  try {
    const report = await runBench(mode, {
      gpu,
      peer: typeof peer === 'string' ? undefined : peer,
      environment: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${process.platform}-${process.arch}` },
      log,
    });
    if (typeof peer === 'string') report.notes.push(peer);
    const markdown = toMarkdown(report);
    mkdirSync(outDir, { recursive: true });
    const stem = `bench-${mode}-${report.date.replace(/[:.]/g, '-')}`;
    writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(outDir, `${stem}.md`), markdown);
    return { report, markdown, files: [join(outDir, `${stem}.json`), join(outDir, `${stem}.md`)] };
  } finally {
    device?.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, smoke: { type: 'boolean' }, out: { type: 'string', default: 'bench-results' } } });
  const mode: BenchMode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const started = Date.now();
  const { markdown, files } = await benchInNode(mode, values.out!, (line) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}\n`));
  console.log(markdown);
  console.log(`wrote ${files.join(', ')}`);
}
