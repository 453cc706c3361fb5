import type { BlockSums, CellVarianceEstimator, EntropyProductionEstimator } from '../engine/engine.js';
import { BlockAccumulator } from '../numeric/block-accumulator.js';
import type { GpuEngine } from './gpu-engine.js';

/**
 * The GPU side of the estimators. While any is attached, the engine runs the
 * observed drift kernel, which adds s_i(n) to the density map and leaves three
 * sums per workgroup (entropy, u − ref, (u − ref)²), and the reduce kernel,
 * which turns them into one row per step of the window's totals. After each
 * window the host reads the rows (3 floats a step) and adds them up in
 * float64 into each estimator's blocks. `ref` is the mean of the field when
 * the variance estimator attaches: it keeps the float32 moments free of the
 * field's mean.
 */
export class GpuObservation {
  readonly density: GPUBuffer;
  readonly partials: GPUBuffer;
  readonly totals: GPUBuffer;
  private readonly totalsRead: GPUBuffer;
  /** Three floats per replica per step. */
  private readonly rowBytes: number;
  private entropy: GpuEntropyProduction | undefined;
  private variance: GpuCellVariance | undefined;

  constructor(private readonly engine: GpuEngine, private readonly fieldBytes: number, partialCount: number) {
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage;
    this.density = engine.buffer('entropy density', fieldBytes, STORAGE | COPY_SRC | COPY_DST);
    this.partials = engine.buffer('workgroup partials', partialCount * 3 * 4, STORAGE);
    this.rowBytes = engine.replicas * 3 * 4;
    this.totals = engine.buffer('window totals', engine.windowSteps * this.rowBytes, STORAGE | COPY_SRC);
    this.totalsRead = engine.buffer('window totals (host)', engine.windowSteps * this.rowBytes, MAP_READ | COPY_DST);
  }

  get active(): boolean {
    return this.entropy !== undefined || this.variance !== undefined;
  }

  async attachEntropy(blockSteps: number): Promise<EntropyProductionEstimator> {
    if (this.entropy) throw new Error('an entropy-production estimator is already attached to this engine');
    const encoder = this.engine.device.createCommandEncoder();
    encoder.clearBuffer(this.density);
    this.engine.device.queue.submit([encoder.finish()]);
    const estimator = new GpuEntropyProduction(blockSteps, this.engine, this.density, this.fieldBytes, () => {
      this.entropy = undefined;
    });
    this.entropy = estimator;
    return estimator;
  }

  async attachVariance(blockSteps: number): Promise<CellVarianceEstimator> {
    if (this.variance) throw new Error('a cell-variance estimator is already attached to this engine');
    const field = await this.engine.readField();
    const reference = field.reduce((a, b) => a + b, 0) / field.length;
    this.engine.setReference(reference);
    const estimator = new GpuCellVariance(blockSteps, reference, field.length, () => {
      this.variance = undefined;
    });
    this.variance = estimator;
    return estimator;
  }

  encodeTotalsCopy(encoder: GPUCommandEncoder, steps: number): void {
    encoder.copyBufferToBuffer(this.totals, 0, this.totalsRead, 0, steps * this.rowBytes);
  }

  async collect(steps: number): Promise<void> {
    const bytes = steps * this.rowBytes;
    await this.totalsRead.mapAsync(GPUMapMode.READ, 0, bytes);
    const rows = new Float32Array(this.totalsRead.getMappedRange(0, bytes).slice(0));
    this.totalsRead.unmap();
    const R = this.engine.replicas;
    const entropy = new Float64Array(R);
    for (let s = 0; s < steps; s++) {
      let [total, first, second] = [0, 0, 0];
      for (let r = 0; r < R; r++) {
        const o = 3 * (s * R + r);
        entropy[r] = rows[o];
        total += rows[o];
        first += rows[o + 1];
        second += rows[o + 2];
      }
      this.entropy?.accumulator.add(total, entropy);
      this.variance?.add(first, second);
    }
  }
}

class GpuEntropyProduction implements EntropyProductionEstimator {
  readonly accumulator: BlockAccumulator;

  constructor(
    blockSteps: number,
    private readonly engine: GpuEngine,
    private readonly densityBuffer: GPUBuffer,
    private readonly bytes: number,
    readonly detach: () => void,
  ) {
    this.accumulator = new BlockAccumulator(blockSteps, engine.replicas);
  }

  async blocks(): Promise<BlockSums> {
    return this.accumulator.result();
  }

  async density(): Promise<Float64Array> {
    return Float64Array.from(new Float32Array(await this.engine.readBuffer(this.densityBuffer, this.bytes)));
  }
}

class GpuCellVariance implements CellVarianceEstimator {
  private readonly first: BlockAccumulator;
  private readonly second: BlockAccumulator;

  constructor(blockSteps: number, private readonly reference: number, private readonly samplesPerStep: number, readonly detach: () => void) {
    this.first = new BlockAccumulator(blockSteps);
    this.second = new BlockAccumulator(blockSteps);
  }

  add(first: number, second: number): void {
    this.first.add(first);
    this.second.add(second);
  }

  async blocks() {
    return { first: this.first.result(), second: this.second.result(), reference: this.reference, samplesPerStep: this.samplesPerStep };
  }
}
