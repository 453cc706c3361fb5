/**
 * How long the live demo takes from navigation to its first step, in headless
 * Chromium (WebGPU on SwiftShader where there is no GPU), for the irreversible
 * field at each grid size asked: opens a link to the config, waits until the
 * step counter moves, a refusal is shown, or the time runs out, and reports
 * the grid the page then runs (read from its link, which follows the running
 * config) and its start-up status line, where the page has one.
 *
 *   npm run build:demo && npx tsx bench/demo-startup.ts [--n 1024,2048,4096x256] [--timeout 600] [--dist dist-demo]
 *
 * The pages share one browser context, so a size named twice (--n 1024,1024)
 * gives a first visit, then a returning one (convolution choice cached).
 * --dist points it at another build (a checkout of an older commit, built there).
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { parseConfig } from '../src/config/load.js';
import { presets } from '../src/config/presets.js';
import { configFromHash, configToHash } from '../demos/src/url-state.js';
import { serveStatic } from '../test/e2e/static-server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/chromium.js';
import { gridName, parseGridList, sizeName, unitGrid } from './demo/grid-list.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1024,2048' }, timeout: { type: 'string', default: '600' }, dist: { type: 'string', default: 'dist-demo' } },
});
const sizes = parseGridList(values.n);
const server = await serveStatic(values.dist);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
// One context: localStorage (the convolution choices) carries over from page to page, as for a returning visitor.
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
try {
  for (const size of sizes) {
    // A fresh page per size: nothing in the page's memory carries over. Name a size twice to see a returning visit.
    const page = await context.newPage();
    const config = { ...presets.irreversible, grid: unitGrid(size) };
    const started = Date.now();
    await page.goto(`${server.url}/main.html?steps=1${configToHash(config)}`);
    const outcome = await page
      .waitForFunction(
        () => {
          // A refused config falls back to another one, which steps: the banner then says so.
          const steps = Number(document.querySelector('[data-testid="step-count"]')?.textContent);
          const error = document.querySelector('[data-testid="config-error"]')?.textContent ?? '';
          const fatal = document.querySelector('[data-testid="webgpu-error"]')?.textContent ?? '';
          return steps > 0 || fatal ? { steps, error: error || fatal } : false;
        },
        null,
        { timeout: Number(values.timeout) * 1000, polling: 100 },
      )
      .then((h) => h.jsonValue() as Promise<{ steps: number; error: string }>)
      .catch(() => ({ steps: 0, error: `no step within ${values.timeout} s` }));
    const seconds = (Date.now() - started) / 1000;
    const hash = new URL(page.url()).hash;
    // The grid the page runs, from its link (which follows the running config); '?' when the link holds none it can parse.
    let running = '?';
    try {
      running = gridName(parseConfig(configFromHash(hash)));
    } catch {
      // no config in the link, or one that does not parse: left as '?'
    }
    const startup = await page.locator('[data-testid="startup"]').textContent({ timeout: 1000 }).catch(() => null);
    console.log(`${sizeName(size)}: ${seconds.toFixed(1)} s from navigation to ${outcome.steps > 0 ? 'the first step' : 'giving up'}; running grid ${running}`);
    if (outcome.error) console.log(`  shown: ${outcome.error.trim()}`);
    if (startup) console.log(`  start-up: ${startup.trim()}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
