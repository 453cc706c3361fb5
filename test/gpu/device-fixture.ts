import { afterAll, beforeAll } from 'vitest';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';

/** A test file's GPU device, and what it made on it that must go before the device does. */
export interface GpuFixture extends AcquiredDevice {
  /** Disposes `thing` (an engine, a pass) once the file's tests are done, before the device is destroyed. */
  keep<T extends { dispose(): void }>(thing: T): T;
}

/**
 * One device for a test file (Dawn in Node, llvmpipe here): requested once in
 * beforeAll, since each request builds a Dawn instance and costs more than most
 * tests, and destroyed in afterAll after everything kept on it. Its fields
 * are read inside tests (they throw before beforeAll has run).
 */
export function useGpuDevice(options?: Parameters<typeof requestNodeDevice>[0]): GpuFixture {
  let acquired: AcquiredDevice | undefined;
  const kept: { dispose(): void }[] = [];
  beforeAll(async () => {
    acquired = await requestNodeDevice(options);
  });
  afterAll(() => {
    for (const thing of kept.splice(0)) thing.dispose();
    acquired?.device.destroy();
  });
  const get = (): AcquiredDevice => {
    if (!acquired) throw new Error('the GPU device is requested in beforeAll: read it inside a test or a hook');
    return acquired;
  };
  return {
    get device() {
      return get().device;
    },
    get adapter() {
      return get().adapter;
    },
    get description() {
      return get().description;
    },
    keep(thing) {
      kept.push(thing);
      return thing;
    },
  };
}
