import { extent } from '../numeric/extent.js';
/**
 * A small line chart as SVG text: series with optional error bands, dashed
 * theory lines, axes with ticks, a legend. Written by hand because Node has
 * no canvas: the file opens in any browser or vector editor.
 */
export interface Series {
  label: string;
  x: number[];
  y: (number | null)[];
  colour: string;
  dashed?: boolean;
  /** ± band around y (standard errors), drawn translucent. */
  band?: number[];
}

function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? 10 * step;
  const out = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-12 * span; t += nice) out.push(Number(t.toPrecision(12)));
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function linePlotSvg(title: string, xLabel: string, yLabel: string, series: Series[], width = 820, height = 420): string {
  const margin = { left: 70, right: 230, top: 36, bottom: 50 };
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y.flatMap((y, i) => (y === null || !Number.isFinite(y) ? [] : s.band ? [y - s.band[i], y + s.band[i]] : [y])));
  const [x0, x1] = extent(xs);
  let [y0, y1] = extent(ys);
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = 0.05 * (y1 - y0);
  [y0, y1] = [y0 - pad, y1 + pad];
  const w = width - margin.left - margin.right;
  const h = height - margin.top - margin.bottom;
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0 || 1)) * w;
  const py = (y: number) => margin.top + (1 - (y - y0) / (y1 - y0)) * h;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${margin.left}" y="20" font-size="14">${esc(title)}</text>`);
  for (const t of ticks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${margin.top}" y2="${margin.top + h}" stroke="#eee"/>`);
    parts.push(`<text x="${px(t)}" y="${margin.top + h + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + w}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`);
  parts.push(`<text x="${margin.left + w / 2}" y="${height - 10}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${margin.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, index) => {
    const points = s.x.map((x, i) => [x, s.y[i]] as const).filter(([, y]) => y !== null && Number.isFinite(y)) as [number, number][];
    if (s.band) {
      const upper = s.x.map((x, i) => `${px(x)},${py((s.y[i] ?? 0) + s.band![i])}`);
      const lower = s.x.map((x, i) => `${px(x)},${py((s.y[i] ?? 0) - s.band![i])}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.colour}" fill-opacity="0.18" stroke="none"/>`);
    }
    parts.push(
      `<polyline points="${points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    const ly = margin.top + 14 + index * 18;
    const lx = margin.left + w + 14;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
