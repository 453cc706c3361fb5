/**
 * Debian's Chromium, headless, with WebGPU on SwiftShader where there is no GPU.
 * Chrome's WebGPU canvas needs SwiftShader for both Dawn (Vulkan) and the
 * compositor (ANGLE): without the last six flags the GPU process drops the
 * instance at the first present.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--enable-gpu',
  '--enable-features=Vulkan', '--use-vulkan=swiftshader',
];
