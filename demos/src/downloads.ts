import { colourTable, type Palette } from '../../src/io/colormap.js';
import { encodeNpy } from '../../src/io/npy.js';

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadNpy(name: string, field: Float64Array, n: number): void {
  download(name, encodeNpy(field.subarray(0, n * n), [n, n]), 'application/octet-stream');
}

/** A PNG of one field (y up) with a labelled colour bar, drawn on a 2-D canvas. */
export async function downloadSnapshot(name: string, field: Float64Array, n: number, lo: number, hi: number, palette: Palette): Promise<void> {
  const scale = Math.max(1, Math.floor(512 / n));
  const side = n * scale;
  const canvas = document.createElement('canvas');
  canvas.width = side + 110;
  canvas.height = side + 16;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const lut = colourTable(palette);
  const image = ctx.createImageData(n, n);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const t = Math.min(1, Math.max(0, (field[iy * n + ix] - lo) / (hi - lo)));
      const c = Math.round(t * 255) * 3;
      const o = ((n - 1 - iy) * n + ix) * 4;
      image.data.set([lut[c], lut[c + 1], lut[c + 2], 255], o);
    }
  }
  const tile = document.createElement('canvas');
  tile.width = tile.height = n;
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 8, 8, side, side);
  for (let y = 0; y < side; y++) {
    const c = Math.round((1 - y / Math.max(1, side - 1)) * 255) * 3;
    ctx.fillStyle = `rgb(${lut[c]},${lut[c + 1]},${lut[c + 2]})`;
    ctx.fillRect(side + 24, 8 + y, 16, 1);
  }
  ctx.fillStyle = '#000';
  ctx.font = '12px sans-serif';
  ctx.fillText(hi.toPrecision(3), side + 46, 18);
  ctx.fillText(((hi + lo) / 2).toPrecision(3), side + 46, 8 + side / 2 + 4);
  ctx.fillText(lo.toPrecision(3), side + 46, 8 + side);
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
