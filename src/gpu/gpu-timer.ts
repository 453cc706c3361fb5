/**
 * GPU time of compute passes from timestamp queries, where the device has the
 * 'timestamp-query' feature. Each timed pass writes its begin and end
 * timestamps; after the submission, one copy and one map read them back. Dawn
 * quantises timestamps unless started with
 * disable-dawn-features=timestamp_quantization (the benchmarks do so).
 */
export class GpuTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolved: GPUBuffer;
  private readonly readback: GPUBuffer;
  /** Sum of the timed passes, in seconds. */
  seconds = 0;

  static available(device: GPUDevice): boolean {
    return device.features.has('timestamp-query');
  }

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    this.resolved = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  }

  /** For beginComputePass: this pass's begin and end. */
  get timestampWrites(): GPUComputePassTimestampWrites {
    return { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
  }

  /** After the timed pass, in the same encoder. */
  resolve(encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(this.querySet, 0, 2, this.resolved, 0);
    encoder.copyBufferToBuffer(this.resolved, 0, this.readback, 0, 16);
  }

  /** After the submission: adds the pass's duration to `seconds`. */
  async collect(): Promise<void> {
    await this.readback.mapAsync(GPUMapMode.READ);
    const [begin, end] = new BigUint64Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    if (end > begin) this.seconds += Number(end - begin) / 1e9;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolved.destroy();
    this.readback.destroy();
  }
}
