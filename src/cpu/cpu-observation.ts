import type { Observer, ObserverLink, ObserverSession, StepView } from '../engine/observer.js';
import { replicaParams } from '../engine/observer-params.js';

/** One attached observer on the CPU engine: its session, params, sums and map. */
interface Attached {
  observer: Observer<unknown>;
  session: ObserverSession<unknown>;
  params: Float64Array;
  sums: Float64Array;
  map: Float64Array | undefined;
}

/**
 * The CPU engine's side of the observer contract: runs each attached
 * observer's float64 arithmetic on a step and hands the per-replica sums to
 * its session; hands sampled fields to the sessions that want them.
 */
export class CpuObservation {
  private readonly attached = new Set<Attached>();
  /** Host seconds spent copying and handing over sampled fields. */
  sampleSeconds = 0;

  get active(): boolean {
    return this.attached.size > 0;
  }

  /** Whether any attached observer needs H F (correlated noise). */
  get needsInverseCovariance(): boolean {
    for (const a of this.attached) if (a.observer.inverseCovariance) return true;
    return false;
  }

  async attach<H>(
    observer: Observer<H>,
    link: Omit<ObserverLink, 'readMap' | 'writeMap' | 'detach'>,
    replicas: number,
    cells: number,
  ): Promise<H> {
    if (observer.width > 0 && !observer.cpu) throw new Error(`observer ${observer.name} has no CPU arithmetic`);
    const map = observer.cellMap ? new Float64Array(replicas * cells) : undefined;
    let entry: Attached | undefined;
    const session = await observer.start({
      ...link,
      readMap: async () => {
        if (!map) throw new Error(`observer ${observer.name} keeps no per-cell map`);
        return map.slice();
      },
      writeMap: async (values) => {
        if (!map) throw new Error(`observer ${observer.name} keeps no per-cell map`);
        map.set(values);
      },
      detach: () => {
        if (entry) this.attached.delete(entry);
      },
    });
    entry = {
      observer: observer as Observer<unknown>,
      session,
      params: replicaParams(observer, session, replicas),
      sums: new Float64Array(replicas * observer.width),
      map,
    };
    this.attached.add(entry);
    return session.handle;
  }

  /** Feeds one step to every attached observer. */
  step(view: StepView): void {
    for (const a of this.attached) {
      if (a.observer.width > 0) {
        a.sums.fill(0);
        a.observer.cpu!(view, a.params, a.sums, a.map);
        a.session.add?.(view.step, a.sums);
      }
      if (a.session.sample?.wants(view.step)) {
        const started = performance.now();
        a.session.sample.add(view.step, view.u.slice(), view.uNext.slice());
        this.sampleSeconds += (performance.now() - started) / 1000;
      }
    }
  }

  clear(): void {
    this.attached.clear();
  }
}

