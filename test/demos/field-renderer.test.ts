import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldRenderer, ONE_CELL, type PanelCells, type Reduction } from '../../demos/src/field-renderer.js';
import { extentIn, viewTransform, type Camera, type Extent } from '../../demos/src/view-transform.js';
import { withErrorScopes } from '../../src/gpu/errors.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { colourTable } from '../../src/io/colormap.js';

/**
 * The render pass (shaders/render-field.wgsl) drawn into a small texture in
 * Node (Dawn) and read back: each pixel's colour against the colour of the
 * same reduction of the same cells, computed here in float64. Squares,
 * rectangles (the domain's shape and the cells' shape both differ from 1:1)
 * and rows stored rotated (a ring's space-time strip).
 */
let gpu: AcquiredDevice;
let renderer: FieldRenderer;
const FORMAT: GPUTextureFormat = 'rgba8unorm';
const LUT = colourTable('sequential');
const SQUARE: Extent = [1, 1];
const CENTRED: Camera = { centre: [0.5, 0.5], zoom: 1 };

beforeAll(async () => {
  gpu = await requestNodeDevice();
  renderer = await FieldRenderer.create(gpu.device, FORMAT);
});
afterAll(() => {
  renderer?.destroy();
  gpu?.device.destroy();
});

/** A field of nx × ny values that differ from cell to cell (no symmetry a wrong index could hide behind). */
function field(nx: number, ny = nx): Float32Array<ArrayBuffer> {
  return Float32Array.from({ length: nx * ny }, (_, i) => Math.sin(0.37 * i + 0.011 * i * i) + 0.3 * Math.cos(1.3 * (i % nx)));
}

/** Draws `values` laid out as `cells` over a domain of `extent` into a width × height texture; its RGBA bytes, rows top to bottom. */
async function render(
  values: Float32Array<ArrayBuffer>,
  cells: PanelCells,
  extent: Extent,
  [width, height]: [number, number],
  reduction: Reduction,
  camera: Camera = CENTRED,
): Promise<Uint8Array> {
  const device = gpu.device;
  const buffer = device.createBuffer({ size: values.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, values);
  const texture = device.createTexture({ size: [width, height], format: FORMAT, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const rowBytes = Math.ceil((width * 4) / 256) * 256;
  const staging = device.createBuffer({ size: rowBytes * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    await withErrorScopes(device, 'rendering a field', () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({ colorAttachments: [{ view: texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }] });
      const panel = { buffer, cells, lo: -1.3, hi: 1.3, scale: 1, palette: 'sequential' as const };
      renderer.draw(pass, 0, panel, { cells: { nx: 1, ny: 1 }, extent }, { x: 0, y: 0, width, height }, camera, reduction);
      pass.end();
      encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: rowBytes }, [width, height]);
      device.queue.submit([encoder.finish()]);
    });
    await staging.mapAsync(GPUMapMode.READ);
    const padded = new Uint8Array(staging.getMappedRange());
    const out = new Uint8Array(width * height * 4);
    for (let r = 0; r < height; r++) out.set(padded.subarray(r * rowBytes, r * rowBytes + width * 4), r * width * 4);
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

/** A pixel's block of cells: `side` cells per axis from block (bx, by), every `stride`-th read. */
interface Block {
  side: [number, number];
  stride: [number, number];
}

/** The cells of block (bx, by), read every stride-th along each axis: what a pixel covering them reduces. */
function blockCells(values: Float32Array<ArrayBuffer>, nx: number, bx: number, by: number, { side, stride }: Block): number[] {
  const cells: number[] = [];
  for (let dy = 0; dy < side[1]; dy += stride[1]) for (let dx = 0; dx < side[0]; dx += stride[0]) cells.push(values[(by * side[1] + dy) * nx + bx * side[0] + dx]);
  return cells;
}

const reduce = (cells: number[], reduction: Reduction, middle = 0) => {
  if (reduction === 'mean') return cells.reduce((a, b) => a + b, 0) / cells.length;
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of cells) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return hi - middle > middle - lo ? hi : lo;
};

/** The pixels (of a width × height picture, rows top to bottom) whose colour is not `expected(x, row)`'s. */
function wrongPixels(pixels: Uint8Array, [width, height]: [number, number], expected: (x: number, row: number) => number): string[] {
  const wrong: string[] = [];
  for (let row = 0; row < height; row++) {
    for (let x = 0; x < width; x++) {
      const o = (row * width + x) * 4;
      const value = expected(x, row);
      if (!showsValue(pixels.subarray(o, o + 4), value)) wrong.push(`pixel (${x}, ${row}): ${Array.from(pixels.subarray(o, o + 3))} for ${value}`);
    }
  }
  return wrong;
}

/** Not a uniform picture: the reduction kept the field's variation. */
const distinctReds = (pixels: Uint8Array) => new Set(Array.from({ length: pixels.length / 4 }, (_, i) => pixels[4 * i])).size;

describe('the render pass', () => {
  it('has a footprint of n cells over the panel\'s shorter side at zoom 1, and of a quarter of that at zoom 4', () => {
    const cells = { nx: 4096, ny: 4096 };
    expect(viewTransform({ centre: [0.5, 0.5], zoom: 1 }, 800, 400, cells, SQUARE).footprint).toEqual([4096 / 400, 4096 / 400]);
    expect(viewTransform({ centre: [0.5, 0.5], zoom: 4 }, 800, 400, cells, SQUARE).footprint).toEqual([4096 / 1600, 4096 / 1600]);
  });

  it('fits a rectangle whole at zoom 1, its longer side across where that fits, with a footprint per axis', () => {
    // 4096 × 256 cells over a 16:1 strip on 800 × 400 pixels: the strip's length spans the 800.
    expect(viewTransform(CENTRED, 800, 400, { nx: 4096, ny: 256 }, [1, 1 / 16]).footprint).toEqual([4096 / 800, 256 / 50]);
    // A tall domain (1:2) on the same panel: its height spans the 400, its width 200 pixels.
    expect(viewTransform(CENTRED, 800, 400, { nx: 100, ny: 200 }, [0.5, 1]).footprint).toEqual([100 / 200, 200 / 400]);
    // A shape that fills the panel (a ring's strip): one period spans the panel both ways.
    expect(viewTransform(CENTRED, 800, 400, { nx: 256, ny: 256 }, extentIn('fill', 800, 400)).footprint).toEqual([256 / 800, 256 / 400]);
  });

  it.each([
    ['mean', 64, 8, 1],
    ['min/max', 64, 8, 1],
    // 128 cells per pixel: past 16 reads per axis, every 8th cell is read.
    ['mean', 1024, 8, 8],
    ['min/max', 1024, 8, 8],
  ] as const)('reduces each pixel\'s cells by their %s (%i² on %i² pixels, stride %i)', async (reduction, n, size, stride) => {
    const values = field(n);
    const pixels = await render(values, { nx: n, ny: n }, SQUARE, [size, size], reduction);
    const block = { side: [n / size, n / size], stride: [stride, stride] } as Block;
    // Texture rows run top to bottom; field rows bottom to top (y up).
    expect(wrongPixels(pixels, [size, size], (x, row) => reduce(blockCells(values, n, x, size - 1 - row, block), reduction))).toEqual([]);
    expect(distinctReds(pixels)).toBeGreaterThan(4);
  });

  it.each([
    // The domain 24 × 10 (Lx = 24, Ly = 10) on 12 × 5 pixels: 2 × 2 cells per pixel.
    ['mean', 'a 24 × 10 rectangle', 24, 10, [1, 10 / 24], [12, 5], [2, 2], [1, 1]],
    ['min/max', 'a 24 × 10 rectangle', 24, 10, [1, 10 / 24], [12, 5], [2, 2], [1, 1]],
    // 200 × 100 over 200 × 100 on 50 × 25 pixels: 4 × 4 cells per pixel.
    ['mean', 'a 200 × 100 rectangle', 200, 100, [1, 0.5], [50, 25], [4, 4], [1, 1]],
    // Cells twice as wide as tall: 32 × 64 cells over a square domain, on 16 × 16 pixels: 2 × 4 cells per pixel.
    ['mean', 'non-square cells', 32, 64, [1, 1], [16, 16], [2, 4], [1, 1]],
    ['min/max', 'non-square cells', 32, 64, [1, 1], [16, 16], [2, 4], [1, 1]],
    // Cells four times as wide: 64 × 16 on a square domain, 16 × 16 pixels: 4 cells across, one row, per pixel.
    ['min/max', 'one row per pixel', 64, 16, [1, 1], [16, 16], [4, 1], [1, 1]],
    // A 1024 × 256 strip over a 4:1 domain on 16 × 4 pixels: 64² cells per pixel, past 16 reads per axis: every 4th read.
    ['mean', 'a 1024 × 256 strip', 1024, 256, [1, 0.25], [16, 4], [64, 64], [4, 4]],
    ['min/max', 'a 1024 × 256 strip', 1024, 256, [1, 0.25], [16, 4], [64, 64], [4, 4]],
  ] as const)('reduces each pixel\'s cells by their %s on %s (%i × %i cells)', async (reduction, _, nx, ny, extent, size, side, stride) => {
    const values = field(nx, ny);
    const pixels = await render(values, { nx, ny }, extent, [...size], reduction);
    const block = { side: [...side], stride: [...stride] } as Block;
    expect(wrongPixels(pixels, [...size], (x, row) => reduce(blockCells(values, nx, x, size[1] - 1 - row, block), reduction))).toEqual([]);
    expect(distinctReds(pixels)).toBeGreaterThan(4);
  });

  it('draws cells as squares when zoomed in, panned across the torus\'s seam', async () => {
    const n = 16;
    const values = field(n);
    // 64 pixels on 16 cells at zoom 2: 8 pixels per cell; the centre on the seam, so the view straddles x = 0 ≡ 1.
    const pixels = await render(values, { nx: n, ny: n }, SQUARE, [64, 64], 'mean', { centre: [0, 0.5], zoom: 2 });
    const wrong = wrongPixels(pixels, [64, 64], (x, row) => {
      const fx = (x + 0.5) / 128 - 0.25; // field units: centre 0, half-width 0.25
      const fy = 0.5 + 0.25 - (row + 0.5) / 128;
      return values[Math.floor(fy * n) * n + ((Math.floor(fx * n) + n) % n)];
    });
    expect(wrong).toEqual([]);
  });

  it('wraps a rectangle on each axis with its own period when zoomed and panned across both seams', async () => {
    // 12 × 4 cells over a 3:1 domain, 48 × 48 pixels at zoom 2: one period is 96 pixels across and 32 high, 8 pixels per cell.
    const [nx, ny] = [12, 4];
    const values = field(nx, ny);
    const pixels = await render(values, { nx, ny }, [1, 1 / 3], [48, 48], 'mean', { centre: [0, 0.5], zoom: 2 });
    const wrap = (v: number) => v - Math.floor(v);
    const wrong = wrongPixels(pixels, [48, 48], (x, row) => {
      // Periods from the centre: x across the seam at 0, y over one and a half periods.
      const px = wrap((x + 0.5 - 24) / 96);
      const py = wrap(0.5 + (24 - (row + 0.5)) / 32);
      return values[Math.floor(py * ny) * nx + Math.floor(px * nx)];
    });
    expect(wrong).toEqual([]);
  });

  it('draws rows stored rotated by the row offset (a ring buffer of rows) in their logical order', async () => {
    // 8 × 6 cells over an 8:6 domain on 16 × 12 pixels: 2 pixels per cell; logical row y is stored at (y + 4) mod 6.
    const [nx, ny, offset] = [8, 6, 4];
    const values = field(nx, ny);
    const pixels = await render(values, { nx, ny, rowOffset: offset }, [1, 0.75], [16, 12], 'mean');
    const wrong = wrongPixels(pixels, [16, 12], (x, row) => {
      const logical = Math.floor((11 - row) / 2);
      return values[((logical + offset) % ny) * nx + Math.floor(x / 2)];
    });
    expect(wrong).toEqual([]);
  });

  it('draws a uniform map (a buffer of one value) as one colour at any footprint', async () => {
    const pixels = await render(Float32Array.of(0.4), ONE_CELL, SQUARE, [8, 8], 'min/max');
    for (let i = 0; i < 64; i++) expect(showsValue(pixels.subarray(4 * i, 4 * i + 4), 0.4)).toBe(true);
  });
});
