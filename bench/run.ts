/**
 * amari-ep's benchmark in Node (Dawn):
 *
 *   npm run bench                 full: 256² up to the largest grid that fits (4096² at least where
 *                                 the adapter allows), radii 2, 4, 8, 16
 *   npm run bench -- --quick      256² at radii 2–16, 1000², 1024² and 4096 × 256 at radius 4,
 *                                 1024² at radius 16; the 2-D stencil beside the separable one at
 *                                 1024²: a minute and a half on two cores with llvmpipe
 *   npm run bench -- --smoke      a tiny run that exercises every path (the test suite runs it)
 *   --out DIR                     where the JSON and Markdown go (default bench-results/)
 *   --peers numpy,torch           the Python peers to try (default both; each is skipped, with a
 *                                 note saying why, where its Python packages or device are missing)
 *
 * The GPU engine (each convolution with and without the estimator), the
 * CPU reference and the peers are measured in the same run on the same
 * machine, beside the adapter's copy bandwidth and FMA rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requestNodeDevice } from '../src/gpu/node-device.js';
import { toMarkdown } from './core/markdown.js';
import { runBench, type BenchEnvironment, type BenchMode, type PeerRunner } from './core/runner.js';
import { numpyPeer } from './peers/numpy-peer.js';
import { torchPeer } from './peers/torch-peer.js';

const PEERS: Record<string, () => Promise<PeerRunner | string>> = { numpy: numpyPeer, torch: torchPeer };

export async function benchInNode(mode: BenchMode, outDir: string, log: (s: string) => void = () => {}, peerNames: string[] = Object.keys(PEERS)) {
  let gpu: BenchEnvironment['gpu'];
  let device: GPUDevice | undefined;
  try {
    const acquired = await requestNodeDevice({ timestamps: true });
    device = acquired.device;
    gpu = { device: acquired.device, description: acquired.description };
  } catch (e) {
    gpu = { unavailable: (e as Error).message };
  }
  const peers: PeerRunner[] = [];
  const skipped: string[] = [];
  for (const name of peerNames) {
    const make = PEERS[name];
    if (!make) throw new Error(`no peer named ${name} (peers: ${Object.keys(PEERS).join(', ')})`);
    log(`checking the ${name} peer against the CPU reference`);
    const peer = await make();
    if (typeof peer === 'string') skipped.push(peer);
    else peers.push(peer);
  }
  try {
    const report = await runBench(mode, {
      gpu,
      peers,
      environment: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${process.platform}-${process.arch}` },
      log,
    });
    for (const note of skipped) report.notes.push(note);
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
  const { values } = parseArgs({
    options: { quick: { type: 'boolean' }, smoke: { type: 'boolean' }, out: { type: 'string', default: 'bench-results' }, peers: { type: 'string', default: Object.keys(PEERS).join(',') } },
  });
  const mode: BenchMode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const started = Date.now();
  const peers = values.peers!.split(',').filter(Boolean);
  const { markdown, files } = await benchInNode(mode, values.out!, (line) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}\n`), peers);
  console.log(markdown);
  console.log(`wrote ${files.join(', ')}`);
}
