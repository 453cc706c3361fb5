import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Grid } from '../../src/config/geometry.js';

/** Rows of the balance σ = dS/dt + Φ over each interval, with the theory where there is one. */
export interface BalancePoint {
  time: number;
  rate: number;
  flow: number;
  production: number;
  rateTheory: number | null;
  flowTheory: number | null;
  productionTheory: number | null;
}

/**
 * The σ(k) chart's title and x axis for a grid, in the units of the
 * sampler's shells (src/estimators/mode-spectrum/shells.ts): |k| in units of
 * 2π/L on a square, of 2π/max(Lx, Ly) on a rectangle; a ring's shells are its
 * modes ±p, k = 2πp/L.
 */
export function spectrumAxis(grid: Pick<Grid, 'dimensions' | 'lx' | 'ly'>): { title: string; axis: string } {
  if (grid.dimensions === 1) return { title: 'σ(k) by mode |k|·L/2π of the ring', axis: '|k| L / 2π' };
  if (grid.lx === grid.ly) return { title: 'σ(k) by shell |k|·L/2π', axis: '|k| L / 2π' };
  return { title: 'σ(k) by shell |k|·max(Lx, Ly)/2π', axis: '|k| max(Lx, Ly) / 2π' };
}

/** The demo's three live charts (uPlot): estimate over time, σ(k), throughput. */
export class Plots {
  private readonly epr: uPlot;
  private readonly spectrum: uPlot;
  private readonly speed: uPlot;
  private readonly speedData: [number[], number[], number[]] = [[], [], []];
  private balance: uPlot | undefined;
  private readonly container: HTMLElement;
  private readonly width: number;
  /** The σ(k) chart's names for the current grid (spectrumAxis): its axis label is read at every draw. */
  private spectrumNames = spectrumAxis({ dimensions: 2, lx: 1, ly: 1 });

  constructor(container: HTMLElement) {
    const width = Math.max(280, Math.floor((container.clientWidth - 24) / 3));
    this.container = container;
    this.width = width;
    const box = (title: string) => {
      const div = document.createElement('div');
      div.className = 'plot';
      div.title = title;
      container.appendChild(div);
      return div;
    };
    this.epr = new uPlot(
      {
        title: 'entropy production (nats / unit time)',
        width,
        height: 180,
        scales: { x: { time: false } },
        series: [
          { label: 't' },
          { label: 'estimate', stroke: '#c0392b', width: 2 },
          { label: '−1 s.e.', stroke: 'rgba(192,57,43,0.3)' },
          { label: '+1 s.e.', stroke: 'rgba(192,57,43,0.3)' },
          { label: 'theory σ_dt', stroke: '#2c3e50', dash: [6, 4] },
        ],
        bands: [{ series: [3, 2], fill: 'rgba(192,57,43,0.15)' }],
        axes: [{ label: 'time' }, {}],
      },
      [[], [], [], [], []],
      box('EPR estimate with its standard-error band, and the theory'),
    );
    this.spectrum = new uPlot(
      {
        title: this.spectrumNames.title,
        width,
        height: 180,
        scales: { x: { time: false } },
        series: [
          { label: '|k|' },
          { label: 'data', stroke: '#c0392b', points: { show: true } },
          { label: '−1 s.e.', stroke: 'rgba(192,57,43,0.3)' },
          { label: '+1 s.e.', stroke: 'rgba(192,57,43,0.3)' },
          { label: 'theory', stroke: '#2c3e50', dash: [6, 4] },
        ],
        bands: [{ series: [3, 2], fill: 'rgba(192,57,43,0.15)' }],
        axes: [{ label: () => this.spectrumNames.axis }, {}],
      },
      [[], [], [], [], []],
      box('mode-resolved entropy production with its standard-error band, and the theory'),
    );
    this.speed = new uPlot(
      {
        title: 'throughput and frame time',
        width,
        height: 150,
        scales: { x: { time: false }, cs: { auto: true }, ms: { auto: true } },
        series: [
          { label: 'frame' },
          { label: 'Mcell-steps/s', stroke: '#27ae60', scale: 'cs' },
          { label: 'frame ms', stroke: '#8e44ad', scale: 'ms' },
        ],
        axes: [{}, { scale: 'cs' }, { scale: 'ms', side: 1 }],
      },
      [[], [], []],
      box('throughput'),
    );
  }

  setEstimates(points: { time: number; estimate: number; stderr: number }[], theory: number | null): void {
    const t = points.map((p) => p.time);
    this.epr.setData([
      t,
      points.map((p) => p.estimate),
      points.map((p) => p.estimate - p.stderr),
      points.map((p) => p.estimate + p.stderr),
      points.map(() => theory),
    ] as uPlot.AlignedData);
  }

  /** Names the σ(k) chart's shells for a grid (a new config); its data waits for the next samples. */
  setGrid(grid: Grid): void {
    this.spectrumNames = spectrumAxis(grid);
    this.spectrumTitle(this.spectrumNames.title);
    this.spectrum.setData([[], [], [], [], []]);
  }

  /** σ(k) by shell with its batch-means standard-error band (src/estimators/mode-spectrum/sampler.ts), and the theory. */
  setSpectrum(s: { shell: number[]; data: (number | null)[]; stderr: (number | null)[]; theory: (number | null)[] }): void {
    this.spectrumTitle(this.spectrumNames.title);
    const edge = (sign: number) => s.data.map((d, i) => (d === null || s.stderr[i] === null ? null : d + sign * s.stderr[i]!));
    this.spectrum.setData([s.shell, s.data, edge(-1), edge(1), s.theory] as uPlot.AlignedData);
  }

  /** No σ(k) for this config: an empty chart whose title says why. */
  spectrumUnavailable(why: string): void {
    if (this.spectrumTitle(`${this.spectrumNames.title}: ${why}`)) this.spectrum.setData([[], [], [], [], []]);
  }

  /** Sets the σ(k) chart's title; whether it changed. */
  private spectrumTitle(text: string): boolean {
    const title = this.spectrum.root.querySelector('.u-title');
    if (!title || title.textContent === text) return false;
    title.textContent = text;
    return true;
  }

  /** The ensemble relaxation's balance: dS/dt, Φ and σ, estimates solid, theory dashed. */
  setBalance(points: BalancePoint[]): void {
    if (!this.balance) {
      const div = document.createElement('div');
      div.className = 'plot';
      div.dataset.testid = 'balance-plot';
      this.container.appendChild(div);
      this.balance = new uPlot(
        {
          title: 'relaxation: σ = dS/dt + Φ',
          width: this.width,
          height: 200,
          scales: { x: { time: false } },
          series: [
            { label: 't' },
            { label: 'σ', stroke: '#c0392b', width: 2 },
            { label: 'Φ', stroke: '#2980b9', width: 2 },
            { label: 'dS/dt', stroke: '#27ae60', width: 2 },
            { label: 'σ theory', stroke: '#c0392b', dash: [6, 4] },
            { label: 'Φ theory', stroke: '#2980b9', dash: [6, 4] },
            { label: 'dS/dt theory', stroke: '#27ae60', dash: [6, 4] },
          ],
          axes: [{ label: 'time' }, {}],
        },
        [[], [], [], [], [], [], []],
        div,
      );
    }
    this.balance.setData([
      points.map((p) => p.time),
      points.map((p) => p.production),
      points.map((p) => p.flow),
      points.map((p) => p.rate),
      points.map((p) => p.productionTheory),
      points.map((p) => p.flowTheory),
      points.map((p) => p.rateTheory),
    ] as uPlot.AlignedData);
  }

  addSpeed(frame: number, cellStepsPerSecond: number, frameMs: number): void {
    const [f, c, m] = this.speedData;
    f.push(frame);
    c.push(cellStepsPerSecond / 1e6);
    m.push(frameMs);
    if (f.length > 300) for (const a of this.speedData) a.shift();
    this.speed.setData(this.speedData);
  }
}

