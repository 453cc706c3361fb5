/**
 * Bind groups declared once, by name (TypeGPU's `bindGroupLayout`, webgpu-utils'
 * data definitions): one list gives the WGSL `@group @binding var` lines that a
 * pass's shader is compiled with, the GPUBindGroupLayout its pipelines use,
 * and a `bindGroup` that takes the buffers by name. A pass's .wgsl file holds
 * no @binding line: binding numbers exist only here, in declaration order.
 */
export interface BufferBinding {
  readonly kind: 'uniform' | 'storage';
  /** The WGSL type of the variable: `SimParams`, `array<f32>`, … */
  readonly type: string;
  /** Storage only: `read` (read-only-storage) or `read_write` (storage). */
  readonly access?: 'read' | 'read_write';
  /** Bound with a dynamic offset (uniform only; the per-step slot). */
  readonly dynamicSize?: number;
}

/** A uniform, e.g. `uniform('SimParams')`; `{ dynamicSize }` binds `dynamicSize` bytes at a dynamic offset. */
export function uniform(type: string, options: { dynamicSize?: number } = {}): BufferBinding {
  return { kind: 'uniform', type, dynamicSize: options.dynamicSize };
}

/** A storage buffer, read-only unless `read_write`. */
export function storage(type: string, access: 'read' | 'read_write' = 'read'): BufferBinding {
  return { kind: 'storage', type, access };
}

export function bufferBindingType(b: BufferBinding): GPUBufferBindingType {
  return b.kind === 'uniform' ? 'uniform' : b.access === 'read_write' ? 'storage' : 'read-only-storage';
}

/** What a bind group is made of: a whole buffer, or a range of one. */
export type BufferResource = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

/** GPUShaderStage.COMPUTE, spelled out so that layouts can be generated (and tested) without WebGPU. */
const COMPUTE = 0x4;

const layouts = new WeakMap<GPUDevice, Map<string, GPUBindGroupLayout>>();

export class BindingSet<Name extends string = string> {
  readonly names: readonly Name[];

  constructor(
    readonly group: number,
    readonly entries: Readonly<Record<Name, BufferBinding>>,
    readonly label: string,
  ) {
    this.names = Object.keys(entries) as Name[];
  }

  /** The binding number of a name. */
  binding(name: Name): number {
    return this.names.indexOf(name);
  }

  /** The WGSL declarations, one line per binding. */
  get wgsl(): string {
    return this.names
      .map((name, i) => {
        const b = this.entries[name];
        const space = b.kind === 'uniform' ? 'uniform' : `storage, ${b.access}`;
        return `@group(${this.group}) @binding(${i}) var<${space}> ${name}: ${b.type};`;
      })
      .join('\n') + '\n';
  }

  /** How many storage buffers a stage binds through this set (maxStorageBuffersPerShaderStage). */
  get storageCount(): number {
    return this.names.filter((n) => this.entries[n].kind === 'storage').length;
  }

  get layoutEntries(): GPUBindGroupLayoutEntry[] {
    return this.names.map((name, binding) => {
      const b = this.entries[name];
      return {
        binding,
        visibility: COMPUTE,
        buffer: { type: bufferBindingType(b), hasDynamicOffset: b.dynamicSize !== undefined },
      };
    });
  }

  /** Identifies the layout: sets with equal keys have interchangeable layouts. */
  get key(): string {
    return this.names.map((n) => {
      const b = this.entries[n];
      return `${bufferBindingType(b)}${b.dynamicSize !== undefined ? '+dyn' : ''}`;
    }).join(',');
  }

  /** The bind-group layout on a device (made once per device and key). */
  layout(device: GPUDevice): GPUBindGroupLayout {
    let cache = layouts.get(device);
    if (!cache) layouts.set(device, (cache = new Map()));
    let layout = cache.get(this.key);
    if (!layout) {
      layout = device.createBindGroupLayout({ label: this.label, entries: this.layoutEntries });
      cache.set(this.key, layout);
    }
    return layout;
  }

  /** A bind group of this layout from buffers given by name (every name is needed). */
  bindGroup(device: GPUDevice, label: string, buffers: Readonly<Record<Name, BufferResource>>): GPUBindGroup {
    return device.createBindGroup({
      label,
      layout: this.layout(device),
      entries: this.names.map((name, binding) => {
        const r = buffers[name];
        if (!r) throw new Error(`bind group ${label}: no buffer for ${name}`);
        // A GPUBuffer has no `buffer` field; a range does.
        const resource: GPUBufferBinding = 'buffer' in r ? { ...r } : { buffer: r };
        const dynamicSize = this.entries[name].dynamicSize;
        if (dynamicSize !== undefined) resource.size = dynamicSize;
        return { binding, resource };
      }),
    });
  }

  /** This set with more bindings after its own. */
  extend<More extends string>(entries: Readonly<Record<More, BufferBinding>>, label = this.label): BindingSet<Name | More> {
    for (const name of Object.keys(entries)) if (name in this.entries) throw new Error(`binding ${name} declared twice`);
    return new BindingSet<Name | More>(this.group, { ...this.entries, ...entries } as Record<Name | More, BufferBinding>, label);
  }
}

/** Declares a bind group: `bindings(0, { params: uniform('SimParams'), u: storage('array<f32>') })`. */
export function bindings<const T extends Record<string, BufferBinding>>(group: number, entries: T, label = `group ${group}`): BindingSet<keyof T & string> {
  return new BindingSet<keyof T & string>(group, entries, label);
}
