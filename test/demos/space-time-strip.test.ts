import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldRenderer } from '../../demos/src/field-renderer.js';
import { SpaceTimeStrip } from '../../demos/src/space-time-strip.js';
import { withErrorScopes } from '../../src/gpu/errors.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { colourTable } from '../../src/io/colormap.js';

/**
 * A ring's space-time strip in Node (Dawn): rows appended from a field buffer
 * on the GPU, read back in order, and drawn by the render pass with the
 * newest row at the bottom.
 */
let gpu: AcquiredDevice;
const N = 7;
const ROWS = 5;

beforeAll(async () => {
  gpu = await requestNodeDevice();
});
afterAll(() => gpu?.device.destroy());

/** Row r of the test's "field": values that differ from row to row and cell to cell. */
const rowValues = (r: number) => Float32Array.from({ length: N }, (_, i) => 0.1 * r - 0.3 + 0.013 * i * (r + 1));

/** A field buffer as an engine holds it (replica-major, three replicas): only replica 0's n cells go into the strip. */
function fieldBuffer(): GPUBuffer {
  return gpu.device.createBuffer({ label: 'field', size: 3 * N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
}

/** Writes row r into replica 0 (and something else into the other replicas), then appends it. */
async function appendRow(strip: SpaceTimeStrip, field: GPUBuffer, r: number): Promise<void> {
  const all = new Float32Array(3 * N).fill(99);
  all.set(rowValues(r), 0);
  await withErrorScopes(gpu.device, 'appending a row', () => {
    gpu.device.queue.writeBuffer(field, 0, all);
    strip.append(field);
  });
}

/** The strip's whole buffer, as stored (rows in buffer order). */
async function stored(strip: SpaceTimeStrip): Promise<Float32Array> {
  const device = gpu.device;
  const staging = device.createBuffer({ size: strip.buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(strip.buffer, 0, staging, 0, strip.buffer.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

describe('the space-time strip of a ring', () => {
  it('after k appended rows holds exactly the last min(k, rows) of them, in order, on the GPU', async () => {
    const strip = new SpaceTimeStrip(gpu.device, N, ROWS);
    const field = fieldBuffer();
    try {
      expect(strip.rows).toBe(ROWS);
      for (let k = 1; k <= 2 * ROWS + 2; k++) {
        await appendRow(strip, field, k - 1);
        const kept = Math.min(k, ROWS);
        const expected = Array.from({ length: kept }, (_, i) => Array.from(rowValues(k - kept + i)));
        // Read back in order, the oldest first.
        expect((await strip.read()).map((row) => Array.from(row)), `after ${k} rows`).toEqual(expected);
        // As stored: logical row y (0 = newest, at the bottom) at buffer row (rowOffset + y) mod rows, which the renderer reads.
        const buffer = await stored(strip);
        const { rowOffset, nx, ny } = strip.cells;
        expect([nx, ny]).toEqual([N, ROWS]);
        for (let y = 0; y < kept; y++) {
          const row = (rowOffset! + y) % ROWS;
          expect(Array.from(buffer.subarray(row * N, (row + 1) * N)), `after ${k} rows, logical row ${y}`).toEqual(Array.from(rowValues(k - 1 - y)));
        }
      }
      expect(strip.appended).toBe(2 * ROWS + 2);
      strip.clear();
      expect(await strip.read()).toEqual([]);
      expect(Array.from(await stored(strip)).every((v) => v === 0)).toBe(true);
    } finally {
      strip.destroy();
      field.destroy();
    }
  });

  it.each([
    ['seven rows into five: rows 2–6 kept', 7],
    ['three rows into five: the two rows not yet written are background', 3],
  ])('is drawn by the render pass filling its panel, x across the ring, the newest row at the bottom (%s)', async (_, appended) => {
    const device = gpu.device;
    const renderer = await FieldRenderer.create(device, 'rgba8unorm');
    const strip = new SpaceTimeStrip(device, N, ROWS);
    const field = fieldBuffer();
    // The strip fills a 35 × 20 panel (a ring's panels take the panel's shape): 5 pixels per cell across, 4 per row.
    const [width, height] = [35, 20];
    const texture = device.createTexture({ size: [width, height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
    const rowBytes = 256;
    const staging = device.createBuffer({ size: rowBytes * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      for (let r = 0; r < appended; r++) await appendRow(strip, field, r);
      await withErrorScopes(device, 'drawing the strip', () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginRenderPass({ colorAttachments: [{ view: texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: [1, 0, 1, 1] }] });
        const panel = { buffer: strip.buffer, cells: strip.cells, lo: -1, hi: 1, scale: 1, palette: 'sequential' as const };
        renderer.draw(pass, 0, panel, { cells: { nx: N, ny: 1 }, extent: 'fill' }, { x: 0, y: 0, width, height }, { centre: [0.5, 0.5], zoom: 1 }, 'mean');
        pass.end();
        encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: rowBytes }, [width, height]);
        device.queue.submit([encoder.finish()]);
      });
      await staging.mapAsync(GPUMapMode.READ);
      const pixels = new Uint8Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const lut = colourTable('sequential');
      const wrong: string[] = [];
      for (let row = 0; row < height; row++) {
        for (let x = 0; x < width; x++) {
          // Texture rows run top to bottom: the bottom band (rows 16–19) is logical row 0, the newest.
          const logical = Math.floor((height - 1 - row) / 4);
          const o = row * rowBytes + 4 * x;
          if (logical >= appended) {
            // Not written yet: the page's background (0.1 grey), not the colour of a zero.
            if (![0, 1, 2].every((c) => Math.abs(pixels[o + c] - 25.5) <= 1)) wrong.push(`pixel (${x}, ${row}) of an empty row: ${Array.from(pixels.subarray(o, o + 3))}`);
            continue;
          }
          const value = rowValues(appended - 1 - logical)[Math.floor(x / 5)];
          const index = Math.round(Math.min(1, Math.max(0, (value + 1) / 2)) * 255);
          const near = [index - 1, index, index + 1].some((i) => i >= 0 && i < 256 && [0, 1, 2].every((c) => pixels[o + c] === lut[3 * i + c]));
          if (!near) wrong.push(`pixel (${x}, ${row}) for row ${appended - 1 - logical}`);
        }
      }
      expect(wrong).toEqual([]);
    } finally {
      renderer.destroy();
      strip.destroy();
      field.destroy();
      texture.destroy();
      staging.destroy();
    }
  });

  it('keeps fewer rows when one binding cannot hold them all (a long ring)', () => {
    const made: GPUBufferDescriptor[] = [];
    const device = {
      limits: { maxStorageBufferBindingSize: 4 * 1000 * 10 + 3, maxBufferSize: 1 << 30 },
      createBuffer: (d: GPUBufferDescriptor) => (made.push(d), {}),
    } as unknown as GPUDevice;
    const strip = new SpaceTimeStrip(device, 1000);
    expect(strip.rows).toBe(10);
    expect(made[0].size).toBe(4 * 1000 * 10);
  });
});
