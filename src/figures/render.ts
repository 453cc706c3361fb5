import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The font the figures name; resvg finds it among the system's fonts (Debian: fonts-dejavu-core). */
const FONT = 'DejaVu Sans';

/** Resolution of the PNGs: twice the SVG's size, so text stays legible when the picture is enlarged. */
const PNG_ZOOM = 2;

/**
 * A Vega-Lite spec drawn as SVG text, in Node without a browser (Vega's
 * headless renderer). Heat maps are image marks, asked to be drawn
 * pixelated (palette.ts also draws each cell as a block of pixels).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const full = { ...spec, config: { font: FONT, ...spec.config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    const svg = stableIds(await view.toSVG());
    // Ends with a newline, as a text file should.
    return `${svg.replace(/<image /g, '<image image-rendering="optimizeSpeed" style="image-rendering:pixelated" ')}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers its clip paths and gradients from a counter that lives as
 * long as the process ("clip7"), so the same figure drawn twice in one
 * process differs. Renumbered in order of appearance within the document,
 * the same figure is the same file: a resumed or merged run's or sweep's
 * figures equal the uninterrupted one's byte for byte.
 */
export function stableIds(svg: string): string {
  const renamed = new Map<string, string>();
  for (const [, id, stem] of svg.matchAll(/\bid="((clip|gradient_?)\d+)"/g)) if (!renamed.has(id)) renamed.set(id, `${stem}${renamed.size + 1}`);
  if (!renamed.size) return svg;
  return svg.replace(/\b(clip|gradient_?)\d+\b/g, (id) => renamed.get(id) ?? id);
}

/** An SVG made by renderSvg as a PNG (resvg: no native build, prebuilt binaries; system fonts). */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return resvg.render().asPng();
}
