import { FieldRenderer, type Panel, type Reduction } from './field-renderer.js';
import { ZOOM_RANGE, type Camera } from './view-transform.js';

export type { Panel, Reduction } from './field-renderer.js';

/**
 * The page's canvas: fields drawn straight from the engine's storage buffers
 * by the render pass of field-renderer.ts (no read-back; each pixel reduces
 * the cells it covers on the GPU), several panels side by side, with the pan
 * and zoom they share. The canvas carries the grid it draws (`data-n`).
 */
export class FieldView {
  private readonly context: GPUCanvasContext;
  private readonly format: GPUTextureFormat;
  private renderer!: FieldRenderer;
  private readonly camera: Camera = { centre: [0.5, 0.5], zoom: 1 };
  /** How a pixel over many cells shows them. */
  reduction: Reduction = 'mean';
  /** Panels in the last frame: the wheel zooms about the cursor within its panel. */
  private panels = 1;

  constructor(private readonly device: GPUDevice, readonly canvas: HTMLCanvasElement, private n: number) {
    this.context = canvas.getContext('webgpu') as GPUCanvasContext;
    this.format = navigator.gpu.getPreferredCanvasFormat();
    this.context.configure({ device, format: this.format, alphaMode: 'opaque' });
    this.canvas.dataset.n = String(n);
    this.attachPointer();
  }

  async init(): Promise<void> {
    this.renderer = await FieldRenderer.create(this.device, this.format);
  }

  setGrid(n: number): void {
    this.n = n;
    this.canvas.dataset.n = String(n);
  }

  resetView(): void {
    this.camera.centre = [0.5, 0.5];
    this.camera.zoom = 1;
  }

  draw(panels: Panel[]): void {
    const canvas = this.canvas;
    const width = Math.max(1, Math.floor(canvas.clientWidth * devicePixelRatio));
    const height = Math.max(1, Math.floor(canvas.clientHeight * devicePixelRatio));
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    const encoder = this.device.createCommandEncoder({ label: 'draw fields' });
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0.1, 0.1, 0.1, 1] }],
    });
    // No panels: the pass only clears the canvas.
    const panelWidth = Math.floor(width / Math.max(1, panels.length));
    this.panels = Math.max(1, panels.length);
    panels.forEach((panel, i) => {
      this.renderer.draw(pass, i, panel, this.n, { x: i * panelWidth, y: 0, width: panelWidth, height }, this.camera, this.reduction);
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Drag to pan, wheel to zoom about the cursor (the field point under it stays put), double-click to reset. */
  private attachPointer(): void {
    const c = this.canvas;
    let last: [number, number] | undefined;
    // One period spans the shorter side of a panel (view-transform.ts).
    const unitsPerPixel = () => 1 / (this.camera.zoom * Math.min(c.clientWidth / this.panels, c.clientHeight));
    c.addEventListener('pointerdown', (e) => {
      last = [e.clientX, e.clientY];
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!last) return;
      const k = unitsPerPixel();
      this.camera.centre[0] -= (e.clientX - last[0]) * k;
      this.camera.centre[1] += (e.clientY - last[1]) * k;
      last = [e.clientX, e.clientY];
    });
    c.addEventListener('pointerup', () => (last = undefined));
    c.addEventListener('dblclick', () => this.resetView());
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const box = c.getBoundingClientRect();
        const panelWidth = box.width / this.panels;
        // The cursor from its panel's centre, in CSS pixels, y up.
        const dx = ((e.clientX - box.left) % panelWidth) - panelWidth / 2;
        const dy = box.height / 2 - (e.clientY - box.top);
        const before = unitsPerPixel();
        this.camera.zoom = Math.min(ZOOM_RANGE.max, Math.max(ZOOM_RANGE.min, this.camera.zoom * Math.exp(-e.deltaY * 0.0015)));
        const after = unitsPerPixel();
        this.camera.centre[0] += dx * (before - after);
        this.camera.centre[1] += dy * (before - after);
      },
      { passive: false },
    );
  }
}
