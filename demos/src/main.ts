import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_PRESET, presetNames, presets } from '../../src/config/presets.js';
import { SpectrumSampler } from '../../src/estimators/mode-spectrum/index.js';
import { requestBrowserDevice } from '../../src/gpu/browser-device.js';
import { Controls } from './controls.js';
import { cssGradient, download, downloadNpy, downloadSnapshot } from './downloads.js';
import { FieldView } from './field-view.js';
import { Plots } from './plots.js';
import { relaxEnsemble } from './relaxation.js';
import { Simulation } from './simulation.js';
import { configFromHash, configToHash } from './url-state.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(digits - 1) : Number(x.toPrecision(digits)).toString();
}

/** A page that says what is wrong and what to do, instead of a blank one. */
function fatal(title: string, detail: string): void {
  document.body.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'fatal';
  box.dataset.testid = 'webgpu-error';
  box.innerHTML = `<h1></h1><p></p><p>amari-ep draws and simulates with WebGPU. Use a recent Chrome or Edge (or another browser with WebGPU enabled), on https or localhost; on Linux, Chrome may need <code>--enable-unsafe-webgpu</code>. Then <a href="">reload</a>.</p>`;
  box.querySelector('h1')!.textContent = title;
  box.querySelector('p')!.textContent = detail;
  document.body.appendChild(box);
}

function showError(message: string): void {
  const banner = $('config-error');
  banner.textContent = message;
  banner.hidden = !message;
}

function initialConfig(): unknown {
  try {
    const fromHash = configFromHash(location.hash);
    if (fromHash) return fromHash;
  } catch (e) {
    showError(`ignored the config in the link: ${(e as Error).message}`);
  }
  const name = new URLSearchParams(location.search).get('preset') ?? DEFAULT_PRESET;
  if (!(presetNames as string[]).includes(name)) showError(`unknown preset "${name}"; allowed: ${presetNames.join(', ')}`);
  return structuredClone(presets[(presetNames as string[]).includes(name) ? (name as keyof typeof presets) : DEFAULT_PRESET]);
}

async function start(): Promise<void> {
  let acquired;
  try {
    acquired = await requestBrowserDevice();
  } catch (e) {
    fatal('WebGPU is not available', (e as Error).message);
    return;
  }
  const { device, description } = acquired;
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') fatal('The GPU device was lost', `${info.reason}: ${info.message || 'no message'}`);
  });
  device.addEventListener('uncapturederror', (e) => showError(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  $('adapter').textContent = description;

  const sim = new Simulation(device, description);
  try {
    await sim.apply(parseConfig(initialConfig()));
  } catch (e) {
    showError(`the requested config was refused, running the default preset instead: ${(e as Error).message}`);
    await sim.apply(presets[DEFAULT_PRESET]);
  }

  const view = new FieldView(device, $('field-canvas'), sim.config.grid.n);
  await view.init();
  const plots = new Plots($('plots'));
  let sampler = new SpectrumSampler(sim.config);
  const maxN = 2 ** Math.floor(Math.log2(Math.sqrt(device.limits.maxStorageBufferBindingSize / 4)));
  const gridSizes = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384].filter((n) => n <= maxN);
  const query = new URLSearchParams(location.search);
  const viewState = {
    mode: query.get('view') ?? 'side by side',
    stepsPerFrame: Math.max(1, Math.min(500, Number(query.get('steps')) || sim.stepsPerFrame)),
  };

  const reconfigured = () => {
    view.setGrid(sim.config.grid.n);
    sampler = new SpectrumSampler(sim.config);
    history.replaceState(null, '', configToHash(controls.config()));
  };
  const controls = new Controls(sim.config, gridSizes, {
    view: viewState,
    change: async (config) => {
      try {
        await sim.apply(config);
        showError('');
        reconfigured();
      } catch (e) {
        showError(e instanceof ConfigError ? `refused, still running the last good config: ${e.message}` : `refused: ${(e as Error).message}`);
        controls.show(sim.config);
      }
    },
    actions: {
      'pause / resume': () => (sim.running = !sim.running),
      step: () => void sim.advance(1),
      reset: () => void sim.apply(sim.config, false).then(reconfigured),
      'export config': () => download('amari-ep-config.json', JSON.stringify(controls.config(), null, 2), 'application/json'),
      'import config': () => $('import-file').click(),
      'copy link': () => void navigator.clipboard?.writeText(location.href.split('#')[0] + configToHash(controls.config())),
      'snapshot PNG': async () => {
        const f = await sim.readField();
        await downloadSnapshot('amari-ep-field.png', f, sim.config.grid.n, sim.fieldRange.lo, sim.fieldRange.hi, 'sequential');
      },
      'field .npy': async () => downloadNpy('field.npy', await sim.readField(), sim.config.grid.n),
      'ensemble relaxation': () => void runRelaxation(),
    },
  }, $('gui'));
  history.replaceState(null, '', configToHash(controls.config()));
  $<HTMLInputElement>('import-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      await sim.apply(JSON.parse(await file.text()));
      controls.show(sim.config);
      reconfigured();
      showError('');
    } catch (err) {
      showError(`import refused: ${(err as Error).message}`);
    }
  });
  $('field-bar').style.background = cssGradient('sequential');
  $('density-bar').style.background = cssGradient('diverging');

  const runRelaxation = async () => {
    const status = $('relax-status');
    const wasRunning = sim.running;
    sim.running = false;
    try {
      const { result, note } = await sim.whileIdle(() =>
        relaxEnsemble(device, description, sim.config, (done, total) => (status.textContent = `relaxing: step ${done} of ${total}`)),
      );
      const rows = result.rows.filter((r) => r.interval);
      plots.setBalance(
        rows.map((r) => ({
          time: r.time,
          rate: r.interval!.entropyRate.value,
          flow: r.interval!.flow.value,
          production: r.interval!.production.value,
          rateTheory: r.interval!.entropyRate.theory,
          flowTheory: r.interval!.flow.theory,
          productionTheory: r.interval!.production.theory,
        })),
      );
      const lastRow = rows[rows.length - 1].interval!.production;
      status.textContent =
        `done: ${note}; last interval σ = ${fmt(lastRow.value)} ± ${fmt(lastRow.stderr, 2)} (theory ${fmt(lastRow.theory)})` +
        (result.entropyNote ? '; nonlinear field: S is a Gaussian upper bound on the Shannon entropy, so dS/dt and σ are not exact' : '');
      status.dataset.rows = String(rows.length);
      status.dataset.sigma = String(lastRow.value);
      status.dataset.stderr = String(lastRow.stderr);
      status.dataset.theory = String(lastRow.theory ?? '');
    } catch (e) {
      status.textContent = `relaxation failed: ${(e as Error).message}`;
    } finally {
      sim.running = wasRunning;
    }
  };

  let frame = 0;
  let last = performance.now();
  let meanFrameMs = 0;
  const loop = async () => {
    const now = performance.now();
    const frameMs = now - last;
    last = now;
    meanFrameMs = frame === 0 ? frameMs : 0.9 * meanFrameMs + 0.1 * frameMs;
    try {
      sim.stepsPerFrame = viewState.stepsPerFrame;
      if (sim.running) {
        await sim.advance(sim.stepsPerFrame);
        if (frame % 10 === 0 && sim.config.grid.n <= 256 && sim.observedSteps > 0) {
          const [u, uNext] = await sim.sampleStep();
          sampler.add(u, uNext);
        }
        if (frame % 30 === 0) await sim.updateDensityRange();
      }
      render();
      if (frame % 5 === 0) {
        plots.addSpeed(frame, sim.throughput, frameMs);
        plots.setEstimates(sim.history, sim.theory?.eprDiscrete ?? null);
        plots.setSpectrum(sampler.result(sim.theory));
      }
    } catch (e) {
      console.error(e);
      showError((e as Error).message);
      sim.running = false;
    }
    frame++;
    requestAnimationFrame(() => void loop());
  };

  const render = () => {
    const field = { buffer: sim.engine.fieldBuffer, lo: sim.fieldRange.lo, hi: sim.fieldRange.hi, scale: 1, palette: 'sequential' as const };
    const r = sim.densityRange;
    const density = { buffer: sim.engine.densityBuffer, lo: -r, hi: r, scale: sim.densityScale, palette: 'diverging' as const };
    const panels = viewState.mode === 'field' ? [field] : viewState.mode === 'entropy density' ? [density] : [field, density];
    view.draw(panels);
    $('field-lo').textContent = fmt(sim.fieldRange.lo, 3);
    $('field-hi').textContent = fmt(sim.fieldRange.hi, 3);
    $('density-lo').textContent = fmt(-r, 3);
    $('density-hi').textContent = fmt(r, 3);
    $('step-count').textContent = String(sim.engine.stepIndex);
    $('epr-estimate').textContent = fmt(sim.latest?.estimate);
    $('epr-stderr').textContent = fmt(sim.latest?.stderr, 2);
    $('epr-theory').textContent = sim.theory ? fmt(sim.theory.eprDiscrete) : `— (${sim.theoryNote})`;
    $('epr-blocks').textContent = String(sim.blocks);
    $('estimator-note').textContent = sim.estimatorNote || (sim.observedSteps === 0 ? 'burning in…' : '');
    $('throughput').textContent = `${fmt(sim.throughput / 1e6, 3)} M cell-steps/s`;
    $('frame-rate').textContent = fmt(1000 / meanFrameMs, 3);
  };
  void loop();
}

void start();
