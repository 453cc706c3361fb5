import type { Observer, ObserverSession } from './observer.js';

/**
 * The session's parameter values, replica-major: each replica's row of
 * `replicaParams`, or `params` repeated (the CPU arithmetic's contract; the GPU
 * engine uploads them as one ObserverParams per replica where they differ).
 */
export function replicaParams(observer: Observer<unknown>, session: ObserverSession<unknown>, replicas: number): Float64Array {
  const rows = session.replicaParams ?? Array.from({ length: replicas }, () => session.params ?? []);
  const count = (observer.params ?? []).length;
  if (rows.length !== replicas) throw new Error(`observer ${observer.name} gives parameters for ${rows.length} replica(s), not the engine's ${replicas}`);
  for (const row of rows) {
    if (row.length !== count) throw new Error(`observer ${observer.name} declares ${count} parameter(s) but its session gives ${row.length}`);
  }
  return Float64Array.from(rows.flat());
}
