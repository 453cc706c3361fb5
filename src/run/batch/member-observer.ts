import type { Config } from '../../config/schema.js';
import type { Observer, ObserverLink, ObserverSession } from '../../engine/observer.js';
import { memberSlice } from '../../gpu/batch.js';
import type { StepCoefficients } from '../../model/coefficients.js';

/** A config of a batch (GpuEngine.createBatch) and its step coefficients, as its own engine would have them. */
export interface BatchMember {
  config: Config;
  coefficients: StepCoefficients;
}

/**
 * One observer per member of a batch, attached to the batch's engine as one:
 * its arithmetic runs once over every replica, and each member's host side
 * sees only its own replicas (member m's are m·R … m·R + R − 1, R =
 * `replicasEach`): its sums, its slices of the field and of the map, its
 * config and its parameters (per replica on the device: `replicaParams`). So
 * each member's session receives what it would receive from an engine of its
 * own, in the same order, and its numbers are that engine's (batch.test.ts).
 *
 * `make(m)` builds member m's observer; all must share name, width, map,
 * parameters and arithmetic (the same factory, a member's own host state).
 * Observers that sample whole fields (σ(k), the ensemble's entropy) are
 * refused: they read replica 0, not each member's.
 */
export function perMember<H>(members: readonly BatchMember[], replicasEach: number, make: (member: number) => Observer<H>): Observer<H[]> {
  const inner = members.map((_, m) => make(m));
  const [first] = inner;
  for (const o of inner) {
    if (o.name !== first.name || o.width !== first.width || o.wgsl !== first.wgsl || o.cpu !== first.cpu || String(o.params) !== String(first.params)) {
      throw new Error(`the members' observers differ: ${o.name} is not ${first.name}'s arithmetic`);
    }
  }
  const R = replicasEach;
  return {
    ...first,
    async start(link: ObserverLink): Promise<ObserverSession<H[]>> {
      const cells = link.coefficients.cells;
      // While the members start, one read of the field serves them all (their references: cell-variance).
      let starting: Promise<Float64Array> | undefined;
      let started = false;
      const field = () => (started ? link.readField() : (starting ??= link.readField()));
      let open = inner.length;
      const sessions: ObserverSession<H>[] = [];
      for (const [m, observer] of inner.entries()) {
        const own: ObserverLink = {
          config: members[m].config,
          coefficients: members[m].coefficients,
          replicas: R,
          stepIndex: link.stepIndex,
          readField: async () => memberSlice(await field(), m, R, cells),
          readMap: async () => memberSlice(await link.readMap(), m, R, cells),
          writeMap: () => Promise.reject(new Error(`observer ${observer.name}: a batch member's map cannot be written (a batch is not resumed)`)),
          detach: () => {
            if (--open === 0) link.detach();
          },
        };
        const session = await observer.start(own);
        if (session.sample || 'deviceSample' in session) throw new Error(`observer ${observer.name} samples whole fields: it cannot observe the members of a batch`);
        sessions.push(session);
      }
      started = true;
      const width = first.width;
      const count = first.params?.length ?? 0;
      return {
        ...(count > 0 && {
          replicaParams: Array.from({ length: inner.length * R }, (_, r) => {
            const s = sessions[Math.floor(r / R)];
            return s.replicaParams ? s.replicaParams[r % R] : (s.params ?? []);
          }),
        }),
        add: (step, sums) => sessions.forEach((s, m) => s.add?.(step, memberSlice(sums, m, R, width))),
        handle: sessions.map((s) => s.handle),
      };
    },
  };
}
