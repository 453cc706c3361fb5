import { PNG } from 'pngjs';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text an SVG shows: the content of each <text> element (its <tspan> lines joined by spaces), entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1]
      .replace(/<\/tspan>\s*<tspan\b[^>]*>/g, ' ')
      .replace(/<[^>]+>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
        e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`),
      )
      .trim(),
  );
}

/** The images an SVG embeds as PNG data URLs, decoded. */
export function svgImages(svg: string): PNG[] {
  return [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => PNG.sync.read(Buffer.from(m[1], 'base64')));
}

/** A PNG's size from its header, after checking the signature and the IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG signature');
  if (b.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('no IHDR chunk first');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The RGB of pixel (x, y) of a decoded PNG. */
export function rgbAt(png: PNG, x: number, y: number): number[] {
  const o = (y * png.width + x) * 4;
  return Array.from(png.data.subarray(o, o + 3));
}
