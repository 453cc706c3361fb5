import { escapeHtml } from './html.js';

/**
 * An SVG file's text for inlining in HTML, as a <figure>: the XML prolog
 * dropped, and every id (Vega's clip paths and gradients) prefixed with
 * `prefix`, with its references, so that several SVGs on one page cannot
 * pick up each other's definitions.
 */
export function inlineSvg(svg: string, prefix: string, caption: string): string {
  const ids = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
  let text = svg.replace(/^<\?xml[^>]*>\s*/, '').trim();
  if (ids.size > 0) {
    text = text
      .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
      .replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : m))
      .replace(/href="#([^"]+)"/g, (m, id: string) => (ids.has(id) ? `href="#${prefix}${id}"` : m));
  }
  return `<figure>${text}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
