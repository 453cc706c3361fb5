import { colourTable, type Palette } from '../../src/io/colormap.js';
import { encodeNpy } from '../../src/io/npy.js';
import type { Extent } from './view-transform.js';

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A field (or map) as .npy, in the grid's own shape: [ny, nx] on a torus, [n] on a ring (src/config/geometry.ts). */
export function downloadNpy(name: string, field: Float64Array, shape: readonly number[]): void {
  const cells = shape.reduce((a, b) => a * b, 1);
  download(name, encodeNpy(field.subarray(0, cells), [...shape]), 'application/octet-stream');
}

/** What a snapshot draws: nx × ny values (flat index iy·nx + ix, y up) over a domain of `extent` (its longer side 1). */
export interface Picture {
  values: ArrayLike<number>;
  nx: number;
  ny: number;
  extent: Extent;
}

/**
 * A PNG of one picture (y up) with a labelled colour bar, drawn on a 2-D
 * canvas: every cell at least one pixel wide, up to 512 pixels across, and
 * as tall as the domain's shape says (cells need not be square).
 */
export async function downloadSnapshot(name: string, picture: Picture, lo: number, hi: number, palette: Palette): Promise<void> {
  const { values, nx, ny, extent } = picture;
  const width = nx * Math.max(1, Math.floor(512 / nx));
  const height = Math.max(1, Math.round((width * extent[1]) / extent[0]));
  const canvas = document.createElement('canvas');
  canvas.width = width + 110;
  canvas.height = Math.max(height, 64) + 16;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const lut = colourTable(palette);
  const image = ctx.createImageData(nx, ny);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const t = Math.min(1, Math.max(0, (values[iy * nx + ix] - lo) / (hi - lo)));
      const c = Math.round(t * 255) * 3;
      const o = ((ny - 1 - iy) * nx + ix) * 4;
      image.data.set([lut[c], lut[c + 1], lut[c + 2], 255], o);
    }
  }
  const tile = document.createElement('canvas');
  [tile.width, tile.height] = [nx, ny];
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 8, 8, width, height);
  // The colour bar runs beside the picture, at least 64 pixels tall (a flat rectangle is short).
  const bar = Math.max(height, 64);
  for (let y = 0; y < bar; y++) {
    const c = Math.round((1 - y / Math.max(1, bar - 1)) * 255) * 3;
    ctx.fillStyle = `rgb(${lut[c]},${lut[c + 1]},${lut[c + 2]})`;
    ctx.fillRect(width + 24, 8 + y, 16, 1);
  }
  ctx.fillStyle = '#000';
  ctx.font = '12px sans-serif';
  ctx.fillText(hi.toPrecision(3), width + 46, 18);
  ctx.fillText(((hi + lo) / 2).toPrecision(3), width + 46, 8 + bar / 2 + 4);
  ctx.fillText(lo.toPrecision(3), width + 46, 8 + bar);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  download(name, blob, 'image/png');
}

/** A CSS gradient of a palette, for the colour bars beside the canvas. */
export function cssGradient(palette: Palette): string {
  const lut = colourTable(palette);
  const stops = [];
  for (let i = 0; i <= 8; i++) {
    const c = Math.round((i / 8) * 255) * 3;
    stops.push(`rgb(${lut[c]},${lut[c + 1]},${lut[c + 2]}) ${(i / 8) * 100}%`);
  }
  return `linear-gradient(to top, ${stops.join(', ')})`;
}
