import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inlineSvg } from './inline-svg.js';

/** The figures a report shows, in this order, with their captions, where the folder has them. */
export function figuresIn(dir: string, figures: readonly (readonly [string, string])[]): string[] {
  return figures
    .filter(([stem]) => existsSync(join(dir, `${stem}.svg`)))
    .map(([stem, caption], i) => inlineSvg(readFileSync(join(dir, `${stem}.svg`), 'utf8'), `f${i}-`, `${stem}.svg: ${caption}`));
}
