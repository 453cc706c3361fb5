import type { ConfigInput } from '../../src/config/schema.js';

/**
 * The shared view: the config as the same JSON the CLI reads, base64url-coded
 * into the URL's hash (#config=...), so a link reproduces a run.
 */
export function configToHash(config: ConfigInput): string {
  const bytes = new TextEncoder().encode(JSON.stringify(config));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `#config=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The config in a hash, or undefined when there is none; throws on a malformed one. */
export function configFromHash(hash: string): unknown {
  const match = /^#config=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match) return undefined;
  const binary = atob(match[1].replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('the config in the link is not valid JSON');
  }
}
