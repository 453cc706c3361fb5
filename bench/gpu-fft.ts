/**
 * The GPU FFT at sizes that are not powers of two beside those that are
 * (issue 12): forward + inverse of an nx × ny complex grid, best of five
 * means of K pairs, wall clock to the queue's completion. Each size first
 * checks its own output: forward then inverse, divided by nx·ny, must give
 * the input back to 1e-4 relative, or the bench fails.
 *
 *   npm run bench:fft -- [--sizes 1000x1000,1024x1024,1009x1009,4096x256] [--pairs 10]
 */
import { parseArgs } from 'node:util';
import { GpuFft2 } from '../src/gpu/passes/fft/fft.js';
import { requestNodeDevice } from '../src/gpu/node-device.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000x1000,1024x1024,1009x1009,4096x256' }, pairs: { type: 'string', default: '10' } } });
const sizes = values.sizes.split(',').map((s) => s.split('x').map(Number) as [number, number]);
const pairs = Number(values.pairs);
const { device, description } = await requestNodeDevice();

async function measure(nx: number, ny: number): Promise<{ ms: number; roundTrip: number; paths: string }> {
  const input = Float32Array.from({ length: 2 * nx * ny }, (_, i) => Math.sin(0.37 * i) + 0.25 * Math.cos(1.3 * i));
  const data = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  device.queue.writeBuffer(data, 0, input);
  const fft = await GpuFft2.create(device, [nx, ny], 1, data);
  const run = async (k: number) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let i = 0; i < k; i++) [false, true].forEach((inverse) => fft.encode(pass, inverse));
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  try {
    await run(1);
    const staging = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(data, 0, staging, 0, input.byteLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const back = new Float32Array(staging.getMappedRange());
    let [diff, norm] = [0, 0];
    for (let i = 0; i < input.length; i++) [diff, norm] = [diff + (back[i] / (nx * ny) - input[i]) ** 2, norm + input[i] ** 2];
    staging.destroy();
    let best = Infinity;
    for (let rep = 0; rep < 5; rep++) {
      const t = performance.now();
      await run(pairs);
      best = Math.min(best, (performance.now() - t) / pairs);
    }
    return { ms: best, roundTrip: Math.sqrt(diff / norm), paths: `${fft.plans.rows.kind} × ${fft.plans.columns.kind}` };
  } finally {
    fft.destroy();
    data.destroy();
  }
}

console.log(`GPU FFT, forward + inverse, best of 5 means of ${pairs}; ${description}\n`);
console.log('| grid (nx × ny) | paths (rows × columns) | ms per forward + inverse | ns per cell | round-trip error |');
console.log('|---|---|---|---|---|');
let failed = false;
for (const [nx, ny] of sizes) {
  const r = await measure(nx, ny);
  failed ||= !(r.roundTrip < 1e-4);
  console.log(`| ${nx} × ${ny} | ${r.paths} | ${r.ms.toFixed(1)} | ${((1e6 * r.ms) / (nx * ny)).toFixed(1)} | ${r.roundTrip.toExponential(1)}${r.roundTrip < 1e-4 ? '' : ' FAIL'} |`);
}
device.destroy();
if (failed) {
  console.error('a round trip missed 1e-4: the timings above are of a wrong transform');
  process.exitCode = 1;
}
