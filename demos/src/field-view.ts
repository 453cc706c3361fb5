import { mat3 } from 'wgpu-matrix';
import { withErrorScopes } from '../../src/gpu/errors.js';
import { wgsl } from '../../src/gpu/wgsl.generated.js';
import { colourTable, LUT_SIZE, type Palette } from '../../src/io/colormap.js';

/**
 * One panel: a buffer of n×n values (replica 0 of a field; a map; one value
 * for a uniform map, with `n` = 1), its colour range and palette. A null
 * buffer leaves the panel empty (nothing to draw: no theory).
 */
export interface Panel {
  buffer: GPUBuffer | null;
  /** Cells per side of the buffer; default: the grid's. */
  n?: number;
  lo: number;
  hi: number;
  scale: number;
  palette: Palette;
}

const VIEW_BYTES = 64;

/**
 * Draws fields straight from the engine's storage buffers with a render
 * pipeline (shaders/render-field.wgsl): no read-back; maps and the theory's
 * density from buffers uploaded once per config. Holds the pan and zoom
 * (wgpu-matrix mat3) shared by every panel; several panels sit side by side.
 */
export class FieldView {
  private readonly context: GPUCanvasContext;
  private readonly format: GPUTextureFormat;
  private pipeline!: GPURenderPipeline;
  private readonly palettes: Record<Palette, GPUBuffer>;
  private readonly viewBuffers: GPUBuffer[] = [];
  private centre = [0.5, 0.5];
  private zoom = 1;

  constructor(private readonly device: GPUDevice, readonly canvas: HTMLCanvasElement, private n: number) {
    this.context = canvas.getContext('webgpu') as GPUCanvasContext;
    this.format = navigator.gpu.getPreferredCanvasFormat();
    this.context.configure({ device, format: this.format, alphaMode: 'opaque' });
    const table = (p: Palette) => {
      const rgb = colourTable(p);
      const rgba = new Float32Array(LUT_SIZE * 4);
      for (let i = 0; i < LUT_SIZE; i++) rgba.set([rgb[3 * i] / 255, rgb[3 * i + 1] / 255, rgb[3 * i + 2] / 255, 1], 4 * i);
      const b = device.createBuffer({ label: `${p} colours`, size: rgba.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, rgba);
      return b;
    };
    this.palettes = { sequential: table('sequential'), diverging: table('diverging') };
    this.attachPointer();
  }

  async init(): Promise<void> {
    this.pipeline = await withErrorScopes(this.device, 'creating the render pipeline', async () => {
      const module = this.device.createShaderModule({ label: 'render-field.wgsl', code: wgsl['render-field'] });
      return this.device.createRenderPipelineAsync({
        label: 'field',
        layout: 'auto',
        vertex: { module, entryPoint: 'vs' },
        fragment: { module, entryPoint: 'fs', targets: [{ format: this.format }] },
        primitive: { topology: 'triangle-list' },
      });
    });
  }

  setGrid(n: number): void {
    this.n = n;
  }

  resetView(): void {
    this.centre = [0.5, 0.5];
    this.zoom = 1;
  }

  /** Clip space of a panel → field units: pan, zoom, and the panel's aspect. */
  private inverse(width: number, height: number): Float32Array {
    const side = Math.min(width, height);
    const m = mat3.translation([this.centre[0], this.centre[1]]);
    mat3.scale(m, [(0.5 / this.zoom) * (width / side), (0.5 / this.zoom) * (height / side)], m);
    return m as Float32Array;
  }

  draw(panels: Panel[]): void {
    const canvas = this.canvas;
    const width = Math.max(1, Math.floor(canvas.clientWidth * devicePixelRatio));
    const height = Math.max(1, Math.floor(canvas.clientHeight * devicePixelRatio));
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    while (this.viewBuffers.length < panels.length) {
      this.viewBuffers.push(this.device.createBuffer({ size: VIEW_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
    }
    const encoder = this.device.createCommandEncoder({ label: 'draw fields' });
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0.1, 0.1, 0.1, 1] }],
    });
    const panelWidth = Math.floor(width / panels.length);
    panels.forEach((panel, i) => {
      if (!panel.buffer) return;
      const view = new ArrayBuffer(VIEW_BYTES);
      new Float32Array(view, 0, 12).set(this.inverse(panelWidth, height));
      const tail = new DataView(view, 48);
      tail.setFloat32(0, panel.lo, true);
      tail.setFloat32(4, panel.hi > panel.lo ? panel.hi : panel.lo + 1, true);
      tail.setUint32(8, panel.n ?? this.n, true);
      tail.setFloat32(12, panel.scale, true);
      this.device.queue.writeBuffer(this.viewBuffers[i], 0, view);
      const group = this.device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.viewBuffers[i] } },
          { binding: 1, resource: { buffer: panel.buffer } },
          { binding: 2, resource: { buffer: this.palettes[panel.palette] } },
        ],
      });
      pass.setViewport(i * panelWidth, 0, panelWidth, height, 0, 1);
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, group);
      pass.draw(3);
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Drag to pan, wheel to zoom about the cursor, double-click to reset. */
  private attachPointer(): void {
    const c = this.canvas;
    let last: [number, number] | undefined;
    const unitsPerPixel = () => 1 / (this.zoom * Math.min(c.clientWidth, c.clientHeight));
    c.addEventListener('pointerdown', (e) => {
      last = [e.clientX, e.clientY];
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!last) return;
      const k = unitsPerPixel();
      this.centre[0] -= (e.clientX - last[0]) * k;
      this.centre[1] += (e.clientY - last[1]) * k;
      last = [e.clientX, e.clientY];
    });
    c.addEventListener('pointerup', () => (last = undefined));
    c.addEventListener('dblclick', () => this.resetView());
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoom = Math.min(256, Math.max(0.25, this.zoom * Math.exp(-e.deltaY * 0.0015)));
      },
      { passive: false },
    );
  }
}
