import type { Config } from '../config/schema.js';

/** What the GPU engine cannot do yet for this config, if anything. */
export function gpuUnsupported(config: Config): string | undefined {
  if (config.noise.correlationLength > 0) {
    return 'the GPU engine estimates entropy production for white noise only (noise.correlationLength > 0)';
  }
  return undefined;
}
