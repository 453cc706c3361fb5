import type { Observer } from '../../engine/observer.js';
import type { ShaderPart } from '../errors.js';
import { storage, uniform, type BufferBinding } from '../layout/bindings.js';
import { struct, type StructLayout } from '../layout/struct.js';
import { generatedPart, shaderPart, type ShaderSources } from '../shaders.js';

/** What the observation generator needs of an observer. */
export type ObserverSpec = Pick<Observer<unknown>, 'name' | 'width' | 'cellMap' | 'params' | 'wgsl' | 'inverseCovariance'>;

/**
 * Where the inverse-covariance accessors come from: the drifts themselves
 * (white noise, H = I), the filtered buffers hfPrev/hfNext (the observe pass),
 * or nowhere (correlated noise with no observer that needs them: an observer
 * that reads them anyway does not compile).
 */
export type InverseDrift = 'identity' | 'filtered' | 'none';

/** Where an observer's sums sit in a row of CHUNKS vec4f: floats offset .. offset + width − 1. */
export interface ObserverSlot {
  name: string;
  offset: number;
  width: number;
}

export interface ObservationCode {
  chunks: number;
  slots: ObserverSlot[];
  /** Bindings the hosting kernel appends to its group 0: partials, observer_params, the maps. */
  bindings: Record<string, BufferBinding>;
  /** The ObserverParams uniform, when any observer has parameters: one value, or one per replica (`replicaParams`). */
  params: StructLayout | undefined;
  /** Replicas given their own ObserverParams (observer_params_all[replica]); undefined: one for all. */
  replicaParams: number | undefined;
  /** The module's observation parts, after the host's own files. */
  parts: ShaderPart[];
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Bytes of one replica's ObserverParams where each replica has its own (the
 * stride of observer_params_all): the observers' f32 parameters padded to
 * whole vec4s, as a uniform array's elements must lie 16 bytes apart.
 */
export function replicaParamStride(observers: readonly Pick<ObserverSpec, 'params'>[]): number {
  const count = observers.reduce((n, o) => n + (o.params?.length ?? 0), 0);
  return 16 * Math.ceil(count / 4);
}
const COMPONENTS = ['x', 'y', 'z', 'w'];

/** Packs observers' sums contiguously, in attachment order, four floats per chunk. */
export function observerSlots(observers: readonly Pick<ObserverSpec, 'name' | 'width'>[]): { slots: ObserverSlot[]; chunks: number } {
  let offset = 0;
  const slots = observers.map(({ name, width }) => {
    const slot = { name, offset, width };
    offset += width;
    return slot;
  });
  return { slots, chunks: Math.max(1, Math.ceil(offset / 4)) };
}

/**
 * The observation of a hosting kernel for an ordered set of observers: the
 * ObservedCell accessors, each observer's WGSL, `observe_cell` packing their
 * results at fixed slots, and the hooks the kernel calls (start_observation,
 * observe_add per cell, finish_observation per workgroup: the tree reduction
 * into `partials`).
 */
export function observationCode(
  observers: readonly ObserverSpec[],
  inverse: InverseDrift,
  replacements: ShaderSources = {},
  replicaParams?: number,
): ObservationCode {
  const seen = new Set<string>();
  for (const o of observers) {
    if (!IDENTIFIER.test(o.name)) throw new Error(`observer name ${JSON.stringify(o.name)} is not a WGSL identifier (letters and digits)`);
    if (seen.has(o.name)) throw new Error(`two observers named ${o.name}`);
    seen.add(o.name);
    if (!(Number.isInteger(o.width) && o.width >= 0)) throw new Error(`observer ${o.name}: width ${o.width} is not a count`);
    if (o.wgsl === undefined) throw new Error(`observer ${o.name} has no WGSL: the GPU engine cannot run it`);
  }
  const { slots, chunks } = observerSlots(observers);
  const paramFields: (readonly [string, 'f32'])[] = observers.flatMap((o) => (o.params ?? []).map((p) => [`${o.name}_${p}`, 'f32'] as const));
  const perReplica = paramFields.length > 0 && replicaParams !== undefined;
  // Padded to the stride (`pad<i>` has no underscore, so it names no observer's field).
  const stride = replicaParamStride(observers);
  if (perReplica) while (paramFields.length * 4 < stride) paramFields.push([`pad${paramFields.length}`, 'f32']);
  const params = paramFields.length ? struct('ObserverParams', paramFields) : undefined;
  const bindings: Record<string, BufferBinding> = { partials: storage('array<vec4f>', 'read_write') };
  if (params) bindings[perReplica ? 'observer_params_all' : 'observer_params'] = uniform(perReplica ? `array<ObserverParams, ${replicaParams}>` : 'ObserverParams');
  for (const o of observers) if (o.cellMap) bindings[`${o.name}_map`] = storage('array<f32>', 'read_write');

  const accessors = [
    'fn observed_u(c: ObservedCell) -> f32 {\n  return uPrev[c.g];\n}',
    'fn observed_drift(c: ObservedCell) -> f32 {\n  return driftPrev[c.g];\n}',
  ];
  if (inverse === 'identity') {
    accessors.push(
      'fn observed_inverse_drift(c: ObservedCell) -> f32 {\n  return driftPrev[c.g];\n}',
      'fn observed_inverse_drift_next(c: ObservedCell) -> f32 {\n  return c.drift_next;\n}',
    );
  } else if (inverse === 'filtered') {
    accessors.push(
      // diag(√D)·H·diag(1/√D)·F: the filter divided by √D, this multiplies it back.
      'fn observed_inverse_drift(c: ObservedCell) -> f32 {\n  return hfPrev[c.g].x * noise_root(c.cell, c.replica);\n}',
      'fn observed_inverse_drift_next(c: ObservedCell) -> f32 {\n  return hfNext[c.g].x * noise_root(c.cell, c.replica);\n}',
    );
  }
  const pack = observers.flatMap((o, i) => {
    const slot = slots[i];
    const lines = [`  let o_${o.name} = ${o.name}_observe(c);`];
    for (let j = 0; j < o.width; j++) {
      const at = slot.offset + j;
      // Width ≤ 4: the observer returns a vec4f; wider, array<vec4f, ⌈width/4⌉>.
      const from = o.width <= 4 ? `o_${o.name}.${COMPONENTS[j]}` : `o_${o.name}[${Math.floor(j / 4)}].${COMPONENTS[j % 4]}`;
      lines.push(`  out[${Math.floor(at / 4)}].${COMPONENTS[at % 4]} = ${from};`);
    }
    return lines;
  });
  const add = Array.from({ length: chunks }, (_, k) => `  sum[${k}] += o[${k}];`);
  const generated = [
    `const CHUNKS: u32 = ${chunks}u;`,
    params ? params.wgsl : '',
    // Per replica: the observers read `observer_params` as ever, set per cell from the replica's entry.
    perReplica ? 'var<private> observer_params: ObserverParams;' : '',
    ...accessors,
    `// Slots: ${slots.map((s) => `${s.name} ${s.offset}..${s.offset + s.width - 1}`).join(', ')} (float index in a row of CHUNKS vec4f).`,
    `fn observe_cell(c: ObservedCell) -> array<vec4f, CHUNKS> {\n  var out = array<vec4f, CHUNKS>();\n${pack.join('\n')}\n  return out;\n}`,
    'alias Observation = array<vec4f, CHUNKS>;',
    'fn start_observation() -> Observation {\n  return Observation();\n}',
    `fn observe_add(acc: Observation, g: u32, cell: u32, replica: u32, drift_next: f32) -> Observation {\n${perReplica ? '  observer_params = observer_params_all[replica];\n' : ''}  let o = observe_cell(ObservedCell(g, cell, replica, u[g], drift_next));\n  var sum = acc;\n${add.join('\n')}\n  return sum;\n}`,
    'fn finish_observation(wg: vec3u, li: u32, acc: Observation, groups: vec3u) {\n  reduce_workgroup(wg, li, acc, groups);\n}',
  ].filter((s) => s !== '').join('\n') + '\n';
  return {
    chunks,
    slots,
    bindings,
    params,
    replicaParams: perReplica ? replicaParams : undefined,
    parts: [
      shaderPart('observed-cell', replacements),
      generatedPart(`observation of ${observers.map((o) => o.name).join(', ')}`, generated),
      shaderPart('workgroup-reduce', replacements),
      ...observers.map((o) => ({ file: `${o.name} observer`, code: o.wgsl! })),
    ],
  };
}

/** The hooks of a kernel that observes nothing: no-ops the compiler removes. */
export const unobserved: ShaderPart = generatedPart('no observation', [
  'alias Observation = u32;',
  'fn start_observation() -> Observation {\n  return 0u;\n}',
  'fn observe_add(acc: Observation, g: u32, cell: u32, replica: u32, drift_next: f32) -> Observation {\n  return acc;\n}',
  'fn finish_observation(wg: vec3u, li: u32, acc: Observation, groups: vec3u) {\n}',
].join('\n') + '\n');
