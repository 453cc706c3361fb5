import { withErrorScopes } from '../../src/gpu/errors.js';
import type { PanelCells } from './field-renderer.js';

/** Rows a strip keeps when the adapter's buffers allow: a few seconds of frames, as tall as a panel is high. */
export const STRIP_ROWS = 256;

/**
 * How a ring is drawn: a space-time strip. Each append copies the ring's
 * current field (its n cells, one row; replica 0 leads the engine's buffer)
 * into the next row of a ring buffer of rows on the GPU, so nothing is read
 * back; the renderer draws the rows rotated by `cells.rowOffset`
 * (shaders/render-field.wgsl), newest at the bottom, time running down the
 * page as the picture scrolls up, the oldest row dropping off the top. x
 * across is the ring.
 *
 * Rows are written downwards through the buffer (row `head` is the newest,
 * head + 1 the one before, and so on, wrapping), so logical row y (y up from
 * the bottom) is stored at (head + y) mod rows: a plain rotation by `head`.
 * Rows not yet written hold zeros, and are drawn as background (`cells.rowsShown`).
 */
export class SpaceTimeStrip {
  readonly buffer: GPUBuffer;
  /** Rows kept: the oldest drops off when a new one comes. */
  readonly rows: number;
  /** The buffer row holding the newest row. */
  private head = 0;
  /** Rows appended so far (at most `rows` are kept). */
  appended = 0;

  /** A strip of `rows` rows of `n` cells; `rows` shrinks to what one storage binding holds. */
  constructor(private readonly device: GPUDevice, readonly n: number, rows = STRIP_ROWS) {
    const bytesPerRow = 4 * n;
    const fits = Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / bytesPerRow);
    this.rows = Math.max(1, Math.min(rows, fits));
    const { STORAGE, COPY_DST, COPY_SRC } = GPUBufferUsage;
    this.buffer = device.createBuffer({ label: `space-time strip (${this.rows} rows of ${n} cells)`, size: this.rows * bytesPerRow, usage: STORAGE | COPY_DST | COPY_SRC });
  }

  /** The layout the renderer draws the buffer with: rows rotated so the newest is at the bottom, rows not yet written left blank. */
  get cells(): PanelCells {
    return { nx: this.n, ny: this.rows, rowOffset: this.head, rowsShown: Math.min(this.appended, this.rows) };
  }

  /**
   * Encodes the copy of `field`'s first n values (the ring's field, replica 0)
   * into the next row. Submitted with the caller's other work; a GPU error in
   * it reaches the device's error handling like any other command.
   */
  encodeAppend(encoder: GPUCommandEncoder, field: GPUBuffer): void {
    this.head = (this.head - 1 + this.rows) % this.rows;
    encoder.copyBufferToBuffer(field, 0, this.buffer, this.head * 4 * this.n, 4 * this.n);
    this.appended++;
  }

  /** Appends `field`'s current row on its own submission. */
  append(field: GPUBuffer): void {
    const encoder = this.device.createCommandEncoder({ label: 'space-time strip: append a row' });
    this.encodeAppend(encoder, field);
    this.device.queue.submit([encoder.finish()]);
  }

  /** Forgets every row (a new run): zeros, and the count starts again. */
  clear(): void {
    const encoder = this.device.createCommandEncoder({ label: 'space-time strip: clear' });
    encoder.clearBuffer(this.buffer);
    this.device.queue.submit([encoder.finish()]);
    this.head = 0;
    this.appended = 0;
  }

  /**
   * The rows kept, read back (one read; for snapshots and tests, never per
   * frame): the oldest first, the newest last, each n values. Before the strip
   * is full, only the rows appended.
   */
  async read(): Promise<Float32Array[]> {
    const bytes = this.rows * 4 * this.n;
    const staging = this.device.createBuffer({ label: 'space-time strip read-back', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      await withErrorScopes(this.device, 'reading the space-time strip back', () => {
        const encoder = this.device.createCommandEncoder({ label: 'space-time strip read-back' });
        encoder.copyBufferToBuffer(this.buffer, 0, staging, 0, bytes);
        this.device.queue.submit([encoder.finish()]);
      });
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const kept = Math.min(this.appended, this.rows);
      // Logical row y (0 = newest) is buffer row (head + y) mod rows: the oldest kept is y = kept − 1.
      const out: Float32Array[] = [];
      for (let y = kept - 1; y >= 0; y--) {
        const row = (this.head + y) % this.rows;
        out.push(all.slice(row * this.n, (row + 1) * this.n));
      }
      return out;
    } finally {
      staging.destroy();
    }
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
