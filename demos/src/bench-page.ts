import { toMarkdown } from '../../bench/core/markdown.js';
import { runBench, type BenchMode } from '../../bench/core/runner.js';
import { requestBrowserDevice } from '../../src/gpu/browser-device.js';
import { download } from './downloads.js';

const $ = (id: string) => document.getElementById(id)!;
const mode = (new URLSearchParams(location.search).get('mode') ?? 'quick') as BenchMode;

async function run(): Promise<void> {
  ($('start') as HTMLButtonElement).disabled = true;
  const status = $('status');
  let gpu;
  try {
    const acquired = await requestBrowserDevice({ timestamps: true });
    gpu = { device: acquired.device, description: acquired.description };
  } catch (e) {
    gpu = { unavailable: (e as Error).message };
  }
  try {
    const report = await runBench(mode, {
      gpu,
      environment: { browser: navigator.userAgent, cores: navigator.hardwareConcurrency },
      log: (line) => (status.textContent = line),
    });
    const markdown = toMarkdown(report);
    $('report').textContent = markdown;
    status.textContent = 'done';
    const stem = `bench-${mode}-${report.date.replace(/[:.]/g, '-')}`;
    ($('json') as HTMLButtonElement).disabled = false;
    ($('md') as HTMLButtonElement).disabled = false;
    $('json').onclick = () => download(`${stem}.json`, JSON.stringify(report, null, 2), 'application/json');
    $('md').onclick = () => download(`${stem}.md`, markdown, 'text/markdown');
  } catch (e) {
    status.textContent = `failed: ${(e as Error).message}`;
  }
}

$('start').addEventListener('click', () => void run());
if (new URLSearchParams(location.search).has('autostart')) void run();
