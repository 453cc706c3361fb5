import { writeFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, svgToPng } from './render.js';

/** A file's content as writeAllOrNothing takes it (src/io/atomic-write.ts): text, bytes, or a writer run when its turn comes. */
type Content = string | ((path: string) => void);

/**
 * A figure as `stem.svg` and `stem.png`. The SVG is rendered now (Vega is
 * asynchronous); the PNG is rasterised from it when its turn comes, so a run's
 * files can still be written all or nothing, one large file at a time.
 */
export async function figureFiles(stem: string, spec: TopLevelSpec): Promise<Record<string, Content>> {
  const svg = await renderSvg(spec);
  return { [`${stem}.svg`]: svg, [`${stem}.png`]: (path) => writeFileSync(path, svgToPng(svg)) };
}
