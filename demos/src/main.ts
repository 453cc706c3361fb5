import { describeGrid, gridOf } from '../../src/config/geometry.js';
import { describeMap } from '../../src/config/maps.js';
import { DEFAULT_PRESET, presetNames, presets } from '../../src/config/presets.js';
import type { Config } from '../../src/config/schema.js';
import { SpectrumSampler } from '../../src/estimators/mode-spectrum/index.js';
import { requestBrowserDevice } from '../../src/gpu/browser-device.js';
import type { Palette } from '../../src/io/colormap.js';
import { Controls } from './controls.js';
import { cssGradient, download, downloadNpy, downloadSnapshot } from './downloads.js';
import { StorageConvolutionCache } from './convolution-cache.js';
import { describeLoss, LastGoodState, LOSS_WINDOW_MS, LossBudget } from './device-recovery.js';
import { DeviceStatus } from './device-status.js';
import { REDUCTIONS } from './field-renderer.js';
import { FieldView, type Panel } from './field-view.js';
import { gridSizesFor } from './grid-sizes.js';
import { Plots } from './plots.js';
import { relaxEnsemble } from './relaxation.js';
import { RingHistory } from './ring-history.js';
import { showRunning } from './running-readout.js';
import { checkConfig, UnloadableMaps } from './page-config.js';
import { decodeRunFile, RUN_FILE } from './run-file.js';
import { Simulation } from './simulation.js';
import { StartupStatus } from './startup-status.js';
import { exposeHooks } from './test-hooks.js';
import { Superseded } from './theory-client.js';
import { configFromHash, configToHash } from './url-state.js';
import { defaultStepsPerFrame, MAP_VIEWS, mapField, mapViewFor, mapViewOf, panelsOf, type PanelKind, type ViewState } from './views.js';

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

/** σ(k) from data transforms the whole field on the host, three times per sample: small grids only (256² cells, or a ring as long). */
const SPECTRUM_MAX_CELLS = 256 * 256;

async function start(): Promise<void> {
  // The status line says what start-up is doing from the first moment: at 4096² on a software adapter it takes a while.
  const status = new StartupStatus($('startup'));
  status.begin('requesting the adapter');
  let acquired;
  try {
    acquired = await requestBrowserDevice();
  } catch (e) {
    fatal('WebGPU is not available', (e as Error).message);
    return;
  }
  // Replaced when the device is lost (recover below): every closure of the page reads these bindings, never a copy.
  let { device, description } = acquired;
  /** Set once the frame loop runs: a loss before it (during start-up) is reported, not recovered from. */
  let started = false;
  let recovering = false;
  const deviceStatus = DeviceStatus.after($('startup'));
  const budget = new LossBudget();
  const lastGood = new LastGoodState();
  /** A loss from the page's own teardown (leaving the page) is not recovered from. */
  let leaving = false;
  addEventListener('pagehide', () => (leaving = true));
  const watch = (d: GPUDevice) => {
    void d.lost.then((info) => {
      if (d === device && !leaving) void recover(info);
    });
    d.addEventListener('uncapturederror', (e) => showError(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  };
  watch(device);
  exposeHooks({ loseDevice: () => device.destroy() });
  $('adapter').textContent = description;
  // The canvas is cleared before the first engine exists: an empty stage, not a black hole, while start-up runs.
  await status.stage('compiling the renderer');
  const view = new FieldView(device, $('field-canvas'));
  await view.init();
  view.draw([]);

  const simulationOn = (d: GPUDevice, adapter: string) =>
    new Simulation(d, adapter, { stage: (label) => status.stage(label), convolutionCache: new StorageConvolutionCache() });
  let sim = simulationOn(device, description);
  // What the panel shows: the requested config, even one the page cannot run (a map file), which links and exports keep.
  let shown: Config | undefined;
  try {
    await sim.apply(initialConfig() as Config);
  } catch (e) {
    if (e instanceof UnloadableMaps) {
      shown = e.config;
      showError(`the requested config was not run, running the default preset instead: ${e.message}`);
    } else {
      showError(`the requested config was refused, running the default preset instead: ${(e as Error).message}`);
    }
    await status.stage('refused (the banner says why); the default preset instead');
    await sim.apply(presets[DEFAULT_PRESET]);
  }
  /** Set when a config has been applied: the next drawn frame ends its start-up. */
  let starting = true;
  await status.stage('first frame');

  view.setGrid(gridOf(sim.config));
  // A ring is drawn as a space-time strip: its field's rows, appended on the GPU frame by frame.
  let ringHistory = new RingHistory(device);
  ringHistory.follow(sim.config, true);
  const plots = new Plots($('plots'));
  plots.setGrid(gridOf(sim.config));
  /**
   * σ(k) from data: none with a noise map, whose per-cell weights couple the
   * modes (docs/model.md §8), nor past SPECTRUM_MAX_CELLS (the sampler's tables
   * and its theory by shell are a number per cell each).
   */
  const samplerFor = (config: Config) =>
    typeof config.noise.amplitude === 'number' && gridOf(config).cells <= SPECTRUM_MAX_CELLS ? new SpectrumSampler(config) : undefined;
  const noSpectrum = (config: Config) =>
    typeof config.noise.amplitude !== 'number' ? 'none with a noise map: its per-cell weights couple the modes' : `sampled on grids up to ${SPECTRUM_MAX_CELLS} cells (256²) only`;
  let sampler = samplerFor(sim.config);
  const gridSizes = gridSizesFor(device.limits);
  const query = new URLSearchParams(location.search);
  const viewState: ViewState = {
    mode: query.get('view') ?? 'side by side',
    stepsPerFrame: Math.max(1, Math.min(500, Number(query.get('steps')) || defaultStepsPerFrame(gridOf(sim.config).cells))),
    map: mapViewOf(query.get('map')) ?? mapViewFor(sim.config, MAP_VIEWS[0]),
    reduction: REDUCTIONS.find((r) => r === query.get('pixels')) ?? 'mean',
  };

  /** After a config was applied (`fresh`: the field started again, as on reset). */
  const reconfigured = (fresh = false) => {
    starting = true;
    // The kept field is of the last config: the next frame saves one of this.
    lastGood.clear();
    void status.stage('first frame');
    view.setGrid(gridOf(sim.config));
    ringHistory.follow(sim.config, fresh);
    plots.setGrid(gridOf(sim.config));
    sampler = samplerFor(sim.config);
    viewState.map = mapViewFor(sim.config, viewState.map);
    controls.showView();
    history.replaceState(null, '', configToHash(controls.config()));
  };
  /** A refused config: the panel goes back to the last good one, except a config with map files, which it keeps (links and exports too). */
  const refused = (e: unknown, prefix: string) => {
    if (e instanceof Superseded) return;
    void status.stage('refused: still running the last good config').then(() => status.finish());
    if (e instanceof UnloadableMaps) {
      showError(`not run, still running the last good config: ${e.message}`);
      history.replaceState(null, '', configToHash(controls.config()));
      return;
    }
    // A grid too large for the adapter is a GpuError naming the limit (src/gpu/footprint.ts): shown as it is.
    showError(`${prefix}: ${(e as Error).message}`);
    controls.show(sim.config);
    history.replaceState(null, '', configToHash(controls.config()));
  };
  // "restore run" reads a saved run (run-file.ts: the page's own or a CLI checkpoint) through this input.
  const runFileInput = Object.assign(document.createElement('input'), { type: 'file', id: 'restore-file', accept: `.${RUN_FILE.split('.').pop()}`, hidden: true });
  document.body.appendChild(runFileInput);
  const controls = new Controls(shown ?? sim.config, gridSizes, {
    view: viewState,
    change: async (config) => {
      if (recovering) {
        refused(new Error('the GPU device is being replaced; change it again once the run goes on'), 'not applied');
        return;
      }
      try {
        await sim.apply(config);
        showError('');
        reconfigured();
      } catch (e) {
        refused(e, 'refused, still running the last good config');
      }
    },
    actions: {
      'pause / resume': () => (sim.running = !sim.running),
      step: () => void sim.advance(1),
      reset: () => void sim.apply(sim.config, false).then(() => reconfigured(true)),
      'export config': () => download('amari-ep-config.json', JSON.stringify(controls.config(), null, 2), 'application/json'),
      'import config': () => $('import-file').click(),
      'copy link': () => void navigator.clipboard?.writeText(location.href.split('#')[0] + configToHash(controls.config())),
      'snapshot PNG': async () => {
        const { lo, hi } = sim.fieldRange;
        await downloadSnapshot('amari-ep-field.png', await snapshotPicture(), lo, hi, 'sequential');
      },
      'field .npy': async () => downloadNpy('field.npy', await sim.readField(), gridOf(sim.config).shape),
      'density .npy': async () => {
        const d = await sim.readDensity();
        if (d) downloadNpy('epr-density.npy', d, gridOf(sim.config).shape);
        else showError('no density yet: the estimators attach after the burn-in');
      },
      'theory density .npy': () => {
        const t = sim.theory?.localDensity;
        if (t) downloadNpy('epr-density-theory.npy', t, gridOf(sim.config).shape);
        else showError(`no theory density: ${sim.theoryStatus === 'computing' ? 'the theory is still computing' : sim.theoryNote || 'none for this config'}`);
      },
      'ensemble relaxation': () => void runRelaxation(),
      'save run': async () => {
        const bytes = await sim.saveRun();
        if (bytes) download(RUN_FILE, bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
        else showError(`nothing to save: ${sim.estimatorNote}`);
      },
      'restore run': () => runFileInput.click(),
    },
  }, $('gui'));
  history.replaceState(null, '', configToHash(controls.config()));
  $<HTMLInputElement>('import-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
      // A config with map files: shown and kept, not run.
      controls.show(checkConfig(doc));
    } catch (err) {
      if (err instanceof UnloadableMaps) controls.show(err.config);
      else {
        showError(`import refused: ${(err as Error).message}`);
        return;
      }
    }
    try {
      await sim.apply(doc as Config);
      controls.show(sim.config);
      reconfigured();
      showError('');
    } catch (err) {
      refused(err, 'import refused, still running the last good config');
    }
  });

  runFileInput.addEventListener('change', async () => {
    const file = runFileInput.files?.[0];
    runFileInput.value = '';
    if (!file) return;
    if (recovering) {
      refused(new Error('the GPU device is being replaced; restore it again once the run goes on'), 'not restored');
      return;
    }
    let checkpoint;
    try {
      checkpoint = decodeRunFile(new Uint8Array(await file.arrayBuffer()));
    } catch (err) {
      showError(`restore refused, still running the last good config: ${file.name}: ${(err as Error).message}`);
      return;
    }
    try {
      await sim.restoreRun(checkpoint);
      controls.show(sim.config);
      reconfigured();
      showError('');
    } catch (err) {
      refused(err, `restore refused, still running the last good config: ${file.name}`);
    }
  });

  /** What "snapshot PNG" draws: the field; on a ring, its space-time strip (newest row at the bottom, as on the page). */
  const snapshotPicture = async () => {
    const grid = gridOf(sim.config);
    const strip = ringHistory.strip;
    if (strip && strip.appended > 0) {
      const rows = await sim.whileIdle(() => strip.read());
      // Oldest first from read(); the picture's row 0 is its bottom: the newest.
      const values = new Float32Array(rows.length * strip.n);
      rows.forEach((row, i) => values.set(row, (rows.length - 1 - i) * strip.n));
      return { values, nx: strip.n, ny: rows.length, extent: [1, 1] as const };
    }
    return { values: await sim.readField(), nx: grid.nx, ny: grid.ny, extent: view.extent };
  };

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

  /**
   * Keeps a copy of the field in memory for a recovery, when one is due
   * (device-recovery.ts: every 2 s, or 50 times a save's cost when that is
   * longer, so saving stays under 2% of the time on any grid).
   */
  const keepState = async () => {
    if (!lastGood.due(performance.now())) return;
    const s = sim;
    const began = performance.now();
    const { config, state } = await s.whileIdle(async () => ({ config: s.config, state: await s.engine.saveState() }));
    const now = performance.now();
    lastGood.offer(config, state, now - began, now);
  };

  /**
   * After the device was lost (device.lost resolved, not by the page's own
   * teardown): a new device, the renderer compiled on it, a new Simulation of
   * the same config from the last kept field (its estimators start again
   * there), and a new frame loop; the status line says what happened. The
   * page gives up after MAX_LOSSES losses within a minute. A loss during a
   * recovery starts another, and the older one stops at its next step.
   */
  let attempts = 0;
  async function recover(info: GPUDeviceLostInfo): Promise<void> {
    const what = describeLoss(info);
    if (!started) {
      fatal('The GPU device was lost while the page started', what);
      return;
    }
    loopGeneration++;
    recovering = true;
    const attempt = ++attempts;
    if (!budget.record(performance.now())) {
      deviceStatus.gaveUp(`${what}; ${budget.recent} losses within ${LOSS_WINDOW_MS / 1000} s`);
      fatal(`The GPU device was lost ${budget.recent} times within ${LOSS_WINDOW_MS / 1000} s`, `the page gave up recovering (last loss: ${what}). Reload the page to try again; if it keeps happening, try a smaller grid.`);
      return;
    }
    deviceStatus.lost(what);
    const superseded = () => attempt !== attempts;
    const old = sim;
    const { config, running } = old;
    const state = lastGood.stateFor(config);
    try {
      old.close();
      const next = await requestBrowserDevice();
      if (superseded()) return;
      [device, description] = [next.device, next.description];
      watch(device);
      $('adapter').textContent = description;
      await status.stage('compiling the renderer on the new device');
      await view.useDevice(device);
      starting = true;
      const fresh = simulationOn(device, description);
      fresh.running = running;
      await fresh.apply(config, true, state);
      if (superseded()) return fresh.close();
      sim = fresh;
      ringHistory = new RingHistory(device);
      ringHistory.follow(config, true);
      sampler = samplerFor(config);
      lastGood.clear();
    } catch (e) {
      if (superseded()) return;
      deviceStatus.gaveUp(`${what}; the new device failed: ${(e as Error).message}`);
      fatal('The GPU device was lost and could not be replaced', `${what}; then: ${(e as Error).message}. Reload the page to try again.`);
      return;
    }
    deviceStatus.recovered(what, sim.engine.stepIndex, state !== undefined);
    recovering = false;
    void loop(loopGeneration);
  }

  /** Whether `d` is lost now or within half a second: an error from a frame that a loss cut short is no error of the run. */
  const lostSoon = (d: GPUDevice) => Promise.race([d.lost.then(() => true), new Promise<boolean>((done) => setTimeout(() => done(false), 500))]);

  let frame = 0;
  let last = performance.now();
  let meanFrameMs = 0;
  /** Bumped when the device is lost: the frames of the loop on the old device stop. */
  let loopGeneration = 0;
  const loop = async (generation: number) => {
    if (generation !== loopGeneration) return;
    const frameDevice = device;
    const now = performance.now();
    const frameMs = now - last;
    last = now;
    meanFrameMs = frame === 0 ? frameMs : 0.9 * meanFrameMs + 0.1 * frameMs;
    try {
      sim.stepsPerFrame = viewState.stepsPerFrame;
      if (sim.running) {
        await sim.advance(sim.stepsPerFrame);
        if (sampler && frame % 10 === 0 && sim.observedSteps > 0) {
          const [u, uNext] = await sim.sampleStep();
          sampler.add(u, uNext);
        }
        // The density's colour range (a GPU histogram, 4 KiB back): every 30 frames, and as soon as there is a density to read.
        if (frame % 30 === 0 || sim.theoryRangePending || (sim.densityRange === 0 && sim.observedSteps > 0 && frame % 5 === 0)) await sim.updateDensityRange();
        // The map against the theory's: the whole map back, so slowly, and on small grids only.
        if (frame % 60 === 0 && sim.comparesDensity) await sim.updateDensityMatch();
        await keepState();
      }
      if (generation !== loopGeneration) return;
      // The strip's newest row: the field after this frame's steps (or a step from the button while paused).
      ringHistory.update(sim.engine, sim.config);
      render();
      if (starting) {
        starting = false;
        status.finish();
      }
      if (frame % 5 === 0) {
        plots.addSpeed(frame, sim.throughput, frameMs);
        plots.setEstimates(sim.history, sim.theory?.eprDiscrete ?? null);
        if (sampler) plots.setSpectrum(sampler.result(sim.theory?.fourier ?? null));
        else plots.spectrumUnavailable(noSpectrum(sim.config));
      }
    } catch (e) {
      if (generation !== loopGeneration || (await lostSoon(frameDevice))) return;
      console.error(e);
      showError((e as Error).message);
      sim.running = false;
    }
    frame++;
    requestAnimationFrame(() => void loop(generation));
  };

  const render = () => {
    const panels = panelsOf(viewState.mode).map(panelOf);
    view.reduction = viewState.reduction;
    fitHeight(panels.length);
    view.draw(panels);
    drawTitles(panels);
    drawBars(panels);
    $('step-count').textContent = String(sim.engine.stepIndex);
    $('epr-estimate').textContent = fmt(sim.latest?.estimate);
    $('epr-stderr').textContent = fmt(sim.latest?.stderr, 2);
    const theory = $('epr-theory');
    // At an equilibrium the rate is 0; the dense theory computes it to rounding (≈ 1e-31), which the note gives.
    const value = sim.theory && (sim.theory.equilibrium ? 0 : sim.theory.eprDiscrete);
    theory.textContent = sim.theory ? fmt(value) : sim.theoryStatus === 'computing' ? 'computing…' : '—';
    theory.dataset.value = sim.theory?.eprDiscrete != null ? String(sim.theory.eprDiscrete) : '';
    theory.dataset.status = sim.theoryStatus;
    $('theory-note').textContent = theoryNote();
    const match = $('density-match');
    match.textContent = sim.densityMatch
      ? `correlation ${fmt(sim.densityMatch.correlation, 3)} of the measured map with the theory's`
      : sim.theory?.method === 'fourier' && sim.theory.localDensity
        ? 'uniform theory density (no maps)'
        : '—';
    match.dataset.correlation = sim.densityMatch ? String(sim.densityMatch.correlation) : '';
    $('epr-blocks').textContent = String(sim.blocks);
    $('estimator-note').textContent = sim.estimatorNote || (sim.observedSteps === 0 ? 'burning in…' : '');
    $('throughput').textContent = `${fmt(sim.throughput / 1e6, 3)} M cell-steps/s`;
    $('frame-rate').textContent = fmt(1000 / meanFrameMs, 3);
    showRunning(sim.config);
  };

  /**
   * Panels shaped like the domain where the page allows (square for a square
   * or a ring's strip): the row as high as a panel is wide times Ly/Lx, within
   * 240 px and 70% of the window.
   */
  const fitHeight = (count: number) => {
    const row = $('canvas-row');
    const width = $('field-canvas').clientWidth;
    const [ex, ey] = view.extent;
    const height = `${Math.round(Math.min(0.7 * innerHeight, Math.max(240, ((width / count) * ey) / ex)) + $('panel-titles').offsetHeight)}px`;
    if (row.style.height !== height) row.style.height = height;
  };

  /** What the theory cell says beside the number: which theory, equilibrium, or why there is none. */
  const theoryNote = (): string => {
    const t = sim.theory;
    if (sim.theoryStatus === 'computing') {
      const what = sim.config.transfer.type === 'linear' ? `the theory of the ${maps()}` : 'the linearisation about the stationary state';
      const grid = gridOf(sim.config);
      const where = `${grid.dimensions === 1 ? 'on' : 'at'} ${describeGrid(grid)}`;
      return `(computing ${what} ${where} in a worker; it takes seconds to minutes at 32²)`;
    }
    if (!t) return sim.theoryNote ? `(none: ${sim.theoryNote})` : '';
    const mapped = `${t.maps.join(' and ')} map${t.maps.length > 1 ? 's' : ''}`;
    const state = t.linearisation !== undefined && t.linearisation.about !== 'uniform fixed point';
    const method =
      t.method === 'dense' ? `${state ? 'dense theory with the gain map f′(u*(x))' : `dense theory of the ${mapped}`}, ${fmt(sim.theorySeconds, 2)} s`
      : t.method === 'fourier-blocks' ? `Fourier-block theory of the one-axis ${mapped}, ${fmt(sim.theorySeconds, 2)} s`
      : 'Fourier theory';
    const kind = t.linearisation ? `${t.linearisation.text}; ${method}` : method;
    const rounding = t.eprDiscrete !== 0 && t.eprDiscrete !== null ? `, σ_dt = 0 to rounding (${fmt(t.eprDiscrete, 2)})` : '';
    const balance = t.equilibrium ? `equilibrium: A𝒟 = 𝒟Aᵀ${rounding}` : `out of equilibrium (‖A𝒟 − 𝒟Aᵀ‖/‖A𝒟‖ = ${fmt(t.equilibriumResidual, 2)})`;
    return `(${kind}; ${balance})`;
  };
  const maps = () => {
    const names = (['noise.amplitude', 'transfer.slope'] as const).filter((f) => sim.maps[f] && !sim.maps[f]!.uniform);
    return `${names.join(' and ')} map${names.length > 1 ? 's' : ''}`;
  };

  /** A panel of the view: what it draws and how its colour bar is labelled. */
  interface Shown extends Panel {
    title: string;
    /** Panels with the same bar key share one colour bar. */
    bar: string;
    symbol: string;
  }
  const panelOf = (kind: PanelKind): Shown => {
    const r = sim.sharedDensityRange;
    const density = { lo: -r, hi: r, palette: 'diverging' as Palette, bar: 'density' };
    switch (kind) {
      case 'field': {
        const field = { lo: sim.fieldRange.lo, hi: sim.fieldRange.hi, scale: 1, palette: 'sequential' as Palette, bar: 'field', symbol: 'u' };
        // A ring: its space-time strip, x across, time running down (the newest row at the bottom).
        const strip = ringHistory.strip;
        if (strip) return { ...field, buffer: strip.buffer, cells: strip.cells, title: `field u(x, t): the last ${strip.rows} frames, newest at the bottom` };
        return { ...field, buffer: sim.engine.fieldBuffer, title: 'field u' };
      }
      case 'density':
        return { ...density, buffer: sim.engine.densityBuffer, scale: sim.densityScale, title: 'measured σ(x)', symbol: 'σ(x)' };
      case 'theory': {
        const t = sim.theoryDensity;
        const why = sim.theoryStatus === 'computing' ? 'computing…' : `none${sim.theoryNote ? `: ${sim.theoryNote}` : ''}`;
        return { ...density, buffer: t?.buffer ?? null, cells: t?.cells, scale: 1, title: t ? 'theory σ(x)' : `theory σ(x): ${why}`, symbol: 'σ(x)' };
      }
      case 'map': {
        const field = mapField(viewState.map);
        const layer = sim.maps[field];
        const name = viewState.map;
        if (!layer) return { buffer: null, lo: 0, hi: 1, scale: 1, palette: 'sequential', title: `${name}: none (transfer.type = "${sim.config.transfer.type}")`, bar: 'map', symbol: name };
        const spec = field === 'noise.amplitude' ? sim.config.noise.amplitude : field === 'input' ? sim.config.input : sim.config.transfer.type === 'linear' ? sim.config.transfer.slope : 0;
        const what = typeof spec === 'number' ? `uniform ${fmt(spec)}` : describeMap(spec).replace(/^the /, '');
        // A uniform map sits in the middle of its bar.
        const half = layer.uniform ? Math.abs(layer.lo) / 2 || 1 : 0;
        return { buffer: layer.buffer, cells: layer.cells, lo: layer.lo - half, hi: layer.hi + half, scale: 1, palette: 'sequential', title: `${name}: ${what}`, bar: `map`, symbol: name.replace(/^\S+ /, '') };
      }
    }
  };

  const drawTitles = (panels: Shown[]) => {
    const box = $('panel-titles');
    while (box.children.length < panels.length) box.appendChild(document.createElement('span'));
    while (box.children.length > panels.length) box.lastChild!.remove();
    panels.forEach((p, i) => {
      const span = box.children[i] as HTMLElement;
      if (span.textContent !== p.title) [span.textContent, span.title] = [p.title, p.title];
    });
  };

  /** One colour bar per distinct scale (the measured and the theory's density share one). */
  const drawBars = (panels: Shown[]) => {
    const box = $('bars');
    const bars = panels.filter((p, i) => panels.findIndex((q) => q.bar === p.bar) === i);
    while (box.children.length < bars.length) {
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.innerHTML = '<span class="hi"></span><div class="gradient"></div><span class="lo"></span><small></small>';
      box.appendChild(bar);
    }
    while (box.children.length > bars.length) box.lastChild!.remove();
    bars.forEach((p, i) => {
      const bar = box.children[i] as HTMLElement;
      if (bar.dataset.palette !== p.palette) {
        bar.dataset.palette = p.palette;
        (bar.querySelector('.gradient') as HTMLElement).style.background = cssGradient(p.palette);
      }
      bar.dataset.bar = p.bar;
      bar.querySelector('.hi')!.textContent = fmt(p.hi, 3);
      bar.querySelector('.lo')!.textContent = fmt(p.lo, 3);
      bar.querySelector('small')!.textContent = p.symbol;
    });
  };
  started = true;
  void loop(loopGeneration);
}

void start();
