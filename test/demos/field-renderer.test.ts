import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldRenderer, type Reduction } from '../../demos/src/field-renderer.js';
import { viewTransform, type Camera } from '../../demos/src/view-transform.js';
import { withErrorScopes } from '../../src/gpu/errors.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { colourTable } from '../../src/io/colormap.js';

/**
 * The render pass (shaders/render-field.wgsl) drawn into a small texture in
 * Node (Dawn) and read back: each pixel's colour against the colour of the
 * same reduction of the same cells, computed here in float64.
 */
let gpu: AcquiredDevice;
let renderer: FieldRenderer;
const FORMAT: GPUTextureFormat = 'rgba8unorm';
const LUT = colourTable('sequential');

beforeAll(async () => {
  gpu = await requestNodeDevice();
  renderer = await FieldRenderer.create(gpu.device, FORMAT);
});
afterAll(() => {
  renderer?.destroy();
  gpu?.device.destroy();
});

/** A field of n×n values that differ from cell to cell (no symmetry a wrong index could hide behind). */
function field(n: number): Float32Array<ArrayBuffer> {
  return Float32Array.from({ length: n * n }, (_, i) => Math.sin(0.37 * i + 0.011 * i * i) + 0.3 * Math.cos(1.3 * (i % n)));
}

/** Draws `values` (n×n) at zoom 1 into a size×size texture and returns its RGBA bytes, rows top to bottom. */
async function render(values: Float32Array<ArrayBuffer>, n: number, size: number, reduction: Reduction, camera: Camera = { centre: [0.5, 0.5], zoom: 1 }): Promise<Uint8Array> {
  const device = gpu.device;
  const buffer = device.createBuffer({ size: values.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, values);
  const texture = device.createTexture({ size: [size, size], format: FORMAT, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const rowBytes = Math.ceil((size * 4) / 256) * 256;
  const staging = device.createBuffer({ size: rowBytes * size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    await withErrorScopes(device, 'rendering a field', () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({ colorAttachments: [{ view: texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }] });
      renderer.draw(pass, 0, { buffer, n, lo: -1.3, hi: 1.3, scale: 1, palette: 'sequential' }, n, { x: 0, y: 0, width: size, height: size }, camera, reduction);
      pass.end();
      encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: rowBytes }, [size, size]);
      device.queue.submit([encoder.finish()]);
    });
    await staging.mapAsync(GPUMapMode.READ);
    const padded = new Uint8Array(staging.getMappedRange());
    const out = new Uint8Array(size * size * 4);
    for (let r = 0; r < size; r++) out.set(padded.subarray(r * rowBytes, r * rowBytes + size * 4), r * size * 4);
    staging.unmap();
    return out;
  } finally {
    for (const b of [buffer, staging, texture]) b.destroy();
  }
}

/** Whether a pixel has the colour of `value` on [-1.3, 1.3] (or of a neighbouring entry: f32 against f64 rounding of t·255). */
function showsValue(pixel: Uint8Array, value: number): boolean {
  const t = Math.min(1, Math.max(0, (value + 1.3) / 2.6));
  const index = Math.round(t * 255);
  return [index - 1, index, index + 1]
    .filter((i) => i >= 0 && i < 256)
    .some((i) => pixel[0] === LUT[3 * i] && pixel[1] === LUT[3 * i + 1] && pixel[2] === LUT[3 * i + 2]);
}

/** The cells of block (bx, by) of side `side`, read every `stride`-th: what a pixel covering them reduces. */
function block(values: Float32Array<ArrayBuffer>, n: number, bx: number, by: number, side: number, stride: number): number[] {
  const cells: number[] = [];
  for (let dy = 0; dy < side; dy += stride) for (let dx = 0; dx < side; dx += stride) cells.push(values[(by * side + dy) * n + bx * side + dx]);
  return cells;
}

const reduce = (cells: number[], reduction: Reduction, middle = 0) => {
  if (reduction === 'mean') return cells.reduce((a, b) => a + b, 0) / cells.length;
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of cells) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return hi - middle > middle - lo ? hi : lo;
};

describe('the render pass', () => {
  it('has a footprint of n cells over the panel\'s shorter side at zoom 1, and of a quarter of that at zoom 4', () => {
    expect(viewTransform({ centre: [0.5, 0.5], zoom: 1 }, 800, 400, 4096).footprint).toBeCloseTo(4096 / 400, 12);
    expect(viewTransform({ centre: [0.5, 0.5], zoom: 4 }, 800, 400, 4096).footprint).toBeCloseTo(4096 / 1600, 12);
  });

  it.each([
    ['mean', 64, 8, 1],
    ['min/max', 64, 8, 1],
    // 128 cells per pixel: past 16 reads per axis, every 8th cell is read.
    ['mean', 1024, 8, 8],
    ['min/max', 1024, 8, 8],
  ] as const)('reduces each pixel\'s cells by their %s (%i² on %i² pixels, stride %i)', async (reduction, n, size, stride) => {
    const values = field(n);
    const pixels = await render(values, n, size, reduction);
    const side = n / size;
    const wrong: string[] = [];
    for (let row = 0; row < size; row++) {
      for (let x = 0; x < size; x++) {
        // Texture rows run top to bottom; field rows bottom to top (y up).
        const expected = reduce(block(values, n, x, size - 1 - row, side, stride), reduction);
        const o = (row * size + x) * 4;
        if (!showsValue(pixels.subarray(o, o + 4), expected)) wrong.push(`pixel (${x}, ${row}): ${Array.from(pixels.subarray(o, o + 3))} for ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    // Not a uniform picture: the reduction kept the field's variation.
    expect(new Set(Array.from({ length: size * size }, (_, i) => pixels[4 * i])).size).toBeGreaterThan(4);
  });

  it('draws cells as squares when zoomed in, panned across the torus\'s seam', async () => {
    const n = 16;
    const values = field(n);
    // 64 pixels on 16 cells at zoom 2: 8 pixels per cell; the centre on the seam, so the view straddles x = 0 ≡ 1.
    const pixels = await render(values, n, 64, 'mean', { centre: [0, 0.5], zoom: 2 });
    const wrong: string[] = [];
    for (let row = 0; row < 64; row++) {
      for (let x = 0; x < 64; x++) {
        const fx = (x + 0.5) / 128 - 0.25; // field units: centre 0, half-width 0.25
        const fy = 0.5 + 0.25 - (row + 0.5) / 128;
        const cx = (Math.floor(fx * n) + n) % n;
        const cy = Math.floor(fy * n);
        const o = (row * 64 + x) * 4;
        if (!showsValue(pixels.subarray(o, o + 4), values[cy * n + cx])) wrong.push(`pixel (${x}, ${row})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('draws a uniform map (a buffer of one value) as one colour at any footprint', async () => {
    const pixels = await render(Float32Array.of(0.4), 1, 8, 'min/max');
    for (let i = 0; i < 64; i++) expect(showsValue(pixels.subarray(4 * i, 4 * i + 4), 0.4)).toBe(true);
  });
});
