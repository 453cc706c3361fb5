import { describe, expect, it } from 'vitest';
import { heatmapSpec } from '../../src/figures/heatmap.js';
import { linePlotSpec } from '../../src/figures/line-plot.js';
import { paletteStops } from '../../src/figures/palette.js';
import { renderSvg, svgToPng } from '../../src/figures/render.js';
import { spaceTimeSpec } from '../../src/figures/space-time.js';
import { shellsSpec, SIGMA_K, spectrumSpec } from '../../src/figures/spectrum.js';
import { sweepFigure } from '../../src/figures/sweep.js';
import { pngSize, rgbAt, svgImages, svgTexts } from './svg-text.js';

const rgbOf = (css: string) => (css.startsWith('#') ? [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16)) : css.match(/\d+/g)!.map(Number));

describe('heat map', () => {
  const [nx, ny] = [8, 4];
  // value = row − 1: rows 0..3 hold −1, 0, 1, 2.
  const values = Float64Array.from({ length: nx * ny }, (_, i) => Math.floor(i / nx) - 1);
  const text = { title: 'a test map', x: 'x (units of length)', y: 'y (units of length)', colour: 'σ(x) (nats per unit time per unit area)' };

  it('shows its title, both axes with units and the colour bar with its quantity, as SVG text', async () => {
    const texts = svgTexts(await renderSvg(heatmapSpec({ values, nx, ny, x: [0, 4], y: [0, 2] }, text, { palette: 'sequential' })));
    for (const t of Object.values(text)) expect(texts).toContain(t);
    // Ticks span the domain [0, 4] × [0, 2] in units of length, not cell indices.
    expect(texts).toContain('4.0');
    expect(texts).not.toContain('8.0');
  });

  it('draws row 0 at the bottom (y up) and a diverging scale centred on zero: ±max|v| at the bar ends', async () => {
    const svg = await renderSvg(heatmapSpec({ values, nx, ny, x: [0, 4], y: [0, 2] }, text, { palette: 'diverging' }));
    const [image] = svgImages(svg);
    const stops = paletteStops('diverging');
    // Top row holds 2 = +max: the reddest end; bottom row −1 = −max/2: a blue halfway down the scale.
    expect(rgbAt(image, 0, 0)).toEqual(rgbOf(stops[stops.length - 1]));
    const [r, , b] = rgbAt(image, 0, image.height - 1);
    expect(b).toBeGreaterThan(r + 20);
    const texts = svgTexts(svg);
    expect(texts).toContain('2');
    expect(texts).toContain('−2');
  });

  it('keeps the domain aspect: a 4 × 2 domain is drawn twice as wide as tall', async () => {
    const svg = await renderSvg(heatmapSpec({ values, nx, ny, x: [0, 4], y: [0, 2] }, text, { palette: 'sequential' }));
    const image = /<image [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    expect(Number(image[1])).toBeCloseTo(2 * Number(image[2]), 0);
  });

  it('is rasterised to a PNG of sensible size (twice the SVG size)', async () => {
    const svg = await renderSvg(heatmapSpec({ values, nx, ny, x: [0, 4], y: [0, 2] }, text, { palette: 'sequential' }));
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    const size = pngSize(svgToPng(svg));
    expect(size.width).toBe(2 * width);
    expect(size.height).toBeGreaterThan(200);
  });
});

describe('line plots, σ(k), space-time and the sweep figure', () => {
  it('a line plot names its axes and its series', async () => {
    const x = [0, 1, 2, 3];
    const svg = await renderSvg(linePlotSpec([{ label: 'u', x, y: [1, 2, 1, 0] }, { label: 'theory', x, y: [1, 1, 1, 1], dashed: true }], { title: 'field u along the ring', x: 'x (units of length)', y: 'u' }));
    const texts = svgTexts(svg);
    for (const t of ['field u along the ring', 'x (units of length)', 'u', 'theory']) expect(texts).toContain(t);
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
  });

  it('σ(k): data and theory side by side, kx and ky in units of 2π/L, one shared colour bar', async () => {
    const [nx, ny] = [4, 4];
    const data = Float64Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const svg = await renderSvg(spectrumSpec({ nx, ny, data, theory: data.map((v) => v / 2), samples: 7, kx: 'kx L / 2π', ky: 'ky L / 2π' }));
    const texts = svgTexts(svg);
    for (const t of ['Entropy production per Fourier mode σ(k)', 'measured, 7 sampled steps', 'theory σ_dt(k)', 'kx L / 2π', 'ky L / 2π']) expect(texts).toContain(t);
    expect(texts.filter((t) => t === 'kx L / 2π')).toHaveLength(2);
    expect(texts.filter((t) => t === SIGMA_K)).toHaveLength(1);
    expect(svgImages(svg)).toHaveLength(2);
    // Wave numbers run from −2 to 1 on a 4-cell axis: −2 is a tick.
    expect(texts).toContain('−2');
  });

  it('σ(k) by shell: error bars (one rule per shell) against the theory curve', async () => {
    const svg = await renderSvg(shellsSpec({ shell: [0, 1, 2], data: [0, 1, 0.5], stderr: [0, 0.1, 0.1], theory: [0, 0.9, 0.6], samples: 5, axis: '|k| L / 2π' }));
    const texts = svgTexts(svg);
    for (const t of ['σ(k) by shell of |k|, 5 sampled steps', '|k| L / 2π', SIGMA_K, 'data (±1 s.e.)', 'theory σ_dt(k)']) expect(texts).toContain(t);
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(3);
  });

  it('space-time: x in units of length across, time down, the field as colour', async () => {
    const rows = Float64Array.from({ length: 10 * 4 }, (_, i) => Math.floor(i / 4)); // value = row
    const svg = await renderSvg(spaceTimeSpec({ rows, cells: 4, length: 2, times: [0, 9], title: 'record', quantity: 'u' }));
    const texts = svgTexts(svg);
    for (const t of ['record', 'x (units of length)', 'time (units of time)', 'u']) expect(texts).toContain(t);
    // Row 0 (the earliest, the minimum) at the top: viridis' dark end.
    const [image] = svgImages(svg);
    expect(rgbAt(image, 0, 0)).toEqual(rgbOf(paletteStops('sequential')[0]));
  });

  it('sweep: one panel per parameter, estimates with error bars against the theory curves', async () => {
    const svg = await renderSvg(
      sweepFigure({
        title: 'Entropy production against the shift',
        quantity: 'σ (nats per unit time)',
        panels: [
          {
            parameter: 'kernel.shift.0',
            axis: 'kernel.shift.0 (units of length)',
            points: [0, 0.5, 1].map((value) => ({ value, estimate: value * value, stderr: 0.05 })),
            theory: [{ label: 'theory (discrete time)', value: [0, 0.25, 0.5, 0.75, 1], y: [0, 0.0625, 0.25, 0.5625, 1] }],
          },
          { parameter: 'noise.amplitude', axis: 'noise.amplitude (D)', points: [{ value: 1, estimate: 1, stderr: 0.1 }], theory: [] },
        ],
      }),
    );
    const texts = svgTexts(svg);
    for (const t of ['Entropy production against the shift', 'kernel.shift.0', 'kernel.shift.0 (units of length)', 'noise.amplitude', 'noise.amplitude (D)', 'σ (nats per unit time)', 'estimate (±1 s.e.)', 'theory (discrete time)']) {
      expect(texts).toContain(t);
    }
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(4);
  });
});
