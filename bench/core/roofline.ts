import { compileShader, withErrorScopes } from '../../src/gpu/errors.js';
import { GpuTimer } from '../../src/gpu/gpu-timer.js';
import { wgsl } from '../../src/gpu/wgsl.generated.js';
import { repeat, type Spread } from './stats.js';

/**
 * The adapter's own limits, measured in the same run as the engine: the
 * achievable bandwidth of a plain copy and the float32 rate of a chain of
 * FMAs (shaders/bench-roofline.wgsl). GPU time from timestamps where the
 * device has them, wall time around submit-and-wait otherwise.
 */
export interface Roofline {
  bandwidth: Spread;
  flops: Spread;
  bytes: number;
  timing: 'gpu-timestamps' | 'wall';
}

const WORKGROUP = 256;

export async function measureRoofline(device: GPUDevice, options: { bytes: number; repeats: number; fmaThreads: number; fmaIterations: number }): Promise<Roofline> {
  const count = Math.floor(options.bytes / 16);
  const bytes = count * 16;
  const module = await compileShader(device, 'bench-roofline.wgsl', [{ file: 'bench-roofline.wgsl', code: wgsl['bench-roofline'] }]);
  const timer = GpuTimer.available(device) ? new GpuTimer(device) : undefined;
  const { src, dst, uniform, group, pipelines } = await withErrorScopes(device, 'setting up the roofline kernels', async () => {
    const make = (size: number, usage: number) => device.createBuffer({ size, usage });
    const src = make(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    const dst = make(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const uniform = make(16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const pattern = new Float32Array(Math.min(count * 4, 1 << 20)).map((_, i) => i % 1000);
    for (let o = 0; o < bytes; o += pattern.byteLength) device.queue.writeBuffer(src, o, pattern, 0, Math.min(pattern.length, (bytes - o) / 4));
    const layout = device.createBindGroupLayout({
      entries: (['uniform', 'read-only-storage', 'storage'] as const).map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const group = device.createBindGroup({ layout, entries: [uniform, src, dst].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const pipelines = {
      copy: await device.createComputePipelineAsync({ label: 'copy', layout: pipelineLayout, compute: { module, entryPoint: 'copy' } }),
      fma: await device.createComputePipelineAsync({ label: 'fma_chain', layout: pipelineLayout, compute: { module, entryPoint: 'fma_chain' } }),
    };
    return { src, dst, uniform, group, pipelines };
  });
  try {
    const run = async (pipeline: GPUComputePipeline, threads: number, iterations: number) => {
      const groups = Math.ceil(threads / WORKGROUP);
      const pitch = Math.min(groups, 65535);
      const params = new ArrayBuffer(16);
      new Uint32Array(params, 0, 3).set([threads, pitch, iterations]);
      new Float32Array(params, 12, 1)[0] = 0.5;
      device.queue.writeBuffer(uniform, 0, params);
      const t0 = performance.now();
      const before = timer?.seconds ?? 0;
      await withErrorScopes(device, `running ${pipeline.label || 'a roofline kernel'}`, () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass(timer ? { timestampWrites: timer.timestampWrites } : {});
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(pitch, Math.ceil(groups / pitch));
        pass.end();
        timer?.resolve(encoder);
        device.queue.submit([encoder.finish()]);
      });
      await device.queue.onSubmittedWorkDone();
      if (timer) await timer.collect();
      return timer ? timer.seconds - before : (performance.now() - t0) / 1000;
    };
    const bandwidth = await repeat(options.repeats, async () => (2 * bytes) / (await run(pipelines.copy, count, 0)));
    await checkCopy(device, src, dst, bytes);
    const flops = await repeat(options.repeats, async () => {
      const seconds = await run(pipelines.fma, options.fmaThreads, options.fmaIterations);
      return (options.fmaThreads * options.fmaIterations * 16 * 2) / seconds;
    });
    await checkChain(device, dst);
    return { bandwidth, flops, bytes, timing: timer ? 'gpu-timestamps' : 'wall' };
  } finally {
    for (const b of [src, dst, uniform]) b.destroy();
    timer?.destroy();
  }
}

/** A copy that copied nothing measured nothing: compare a sample of both buffers. */
async function checkCopy(device: GPUDevice, src: GPUBuffer, dst: GPUBuffer, bytes: number): Promise<void> {
  const sample = Math.min(bytes, 1 << 16);
  const offset = bytes - sample;
  const read = device.createBuffer({ size: sample, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const expected = device.createBuffer({ size: sample, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(dst, offset, read, 0, sample);
  encoder.copyBufferToBuffer(src, offset, expected, 0, sample);
  device.queue.submit([encoder.finish()]);
  await Promise.all([read.mapAsync(GPUMapMode.READ), expected.mapAsync(GPUMapMode.READ)]);
  const a = new Float32Array(read.getMappedRange());
  const b = new Float32Array(expected.getMappedRange());
  const same = a.every((v, i) => v === b[i]);
  read.destroy();
  expected.destroy();
  if (!same) throw new Error('roofline output check: the copy kernel did not copy its buffer');
}

/** The FMA chain writes a + b + c + d ≈ 4x + 6 for thread 0: not the copied pattern, and finite. */
async function checkChain(device: GPUDevice, dst: GPUBuffer): Promise<void> {
  const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(dst, 0, read, 0, 16);
  device.queue.submit([encoder.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const v = Array.from(new Float32Array(read.getMappedRange()));
  read.destroy();
  if (!v.every(Number.isFinite) || (v[0] === 0 && v[1] === 1 && v[2] === 2)) {
    throw new Error(`roofline output check: the FMA kernel left ${v.join(', ')}`);
  }
}
