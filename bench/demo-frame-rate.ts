/**
 * The live demo's frame rate in headless Chromium (WebGPU on SwiftShader where
 * there is no GPU): loads the built demo (npm run build:demo) with the
 * irreversible field at the given grid size and steps per frame, and reports
 * the page's own frame-rate and throughput readouts over a few seconds.
 *
 *   npm run bench:demo -- [--n 256] [--steps 1] [--seconds 20]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { presets } from '../src/config/presets.js';
import { configToHash } from '../demos/src/url-state.js';
import { serveStatic } from '../test/e2e/static-server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/chromium.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '256' }, steps: { type: 'string', default: '1' }, seconds: { type: 'string', default: '20' } } });
const n = Number(values.n);
const server = await serveStatic('dist-demo');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const config = { ...presets.irreversible, grid: { n, length: n } };
  await page.goto(`${server.url}/main.html?steps=${values.steps}${configToHash(config)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 120_000 });
  const read = async () => ({
    steps: Number(await page.locator('[data-testid="step-count"]').textContent()),
    time: performance.now(),
  });
  const start = await read();
  await page.waitForTimeout(Number(values.seconds) * 1000);
  const end = await read();
  const fps = await page.locator('[data-testid="frame-rate"]').textContent();
  const throughput = await page.locator('#throughput').textContent();
  const stepsPerSecond = (end.steps - start.steps) / ((end.time - start.time) / 1000);
  console.log(`demo at ${n}², ${values.steps} step(s) per frame, adapter ${await page.locator('#adapter').textContent()}:`);
  console.log(`  frame rate ${fps} frames/s (page readout); ${stepsPerSecond.toFixed(1)} steps/s over ${values.seconds} s; stepping throughput ${throughput}`);
} finally {
  await browser.close();
  await server.close();
}
