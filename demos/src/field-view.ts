import { describeGrid, type Grid } from '../../src/config/geometry.js';
import { FieldRenderer, type DrawnGrid, type Panel, type Reduction } from './field-renderer.js';
import { extentIn, periodsPerPixel, ZOOM_RANGE, type Camera, type Extent } from './view-transform.js';

export type { Panel, Reduction } from './field-renderer.js';

/**
 * What the panels draw of a grid: its cells, and the domain's shape (Lx : Ly).
 * A ring's panels are pictures of its n cells against something else (time in
 * a space-time strip, or one row repeated down the panel): they fill the
 * panel, whose shape is theirs.
 */
export function drawnGridOf(grid: Grid): DrawnGrid {
  if (grid.dimensions === 1) return { cells: { nx: grid.nx, ny: 1 }, extent: 'fill' };
  const longer = Math.max(grid.lx, grid.ly);
  return { cells: { nx: grid.nx, ny: grid.ny }, extent: [grid.lx / longer, grid.ly / longer] };
}

/**
 * The page's canvas: fields drawn straight from the engine's storage buffers
 * by the render pass of field-renderer.ts (no read-back; each pixel reduces
 * the cells it covers on the GPU), several panels side by side, with the pan
 * and zoom they share. The canvas carries the grid it draws: `data-n` (the
 * cells per side of a square, a ring's n, or "nx×ny") and `data-grid` (in words).
 */
export class FieldView {
  private readonly context: GPUCanvasContext;
  private readonly format: GPUTextureFormat;
  private renderer!: FieldRenderer;
  private readonly camera: Camera = { centre: [0.5, 0.5], zoom: 1 };
  private grid: DrawnGrid = { cells: { nx: 1, ny: 1 }, extent: [1, 1] };
  /** How a pixel over many cells shows them. */
  reduction: Reduction = 'mean';
  /** Panels in the last frame: the wheel zooms about the cursor within its panel. */
  private panels = 1;

  constructor(private device: GPUDevice, readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('webgpu') as GPUCanvasContext;
    this.format = navigator.gpu.getPreferredCanvasFormat();
    this.context.configure({ device, format: this.format, alphaMode: 'opaque' });
    this.attachPointer();
  }

  async init(): Promise<void> {
    this.renderer = await FieldRenderer.create(this.device, this.format);
  }

  /**
   * Draws with another device from now on (the last one was lost): the canvas
   * is configured for it and the renderer compiled again; the camera, the
   * grid and the pointer handlers stay.
   */
  async useDevice(device: GPUDevice): Promise<void> {
    this.renderer.destroy();
    this.device = device;
    this.context.unconfigure();
    this.context.configure({ device, format: this.format, alphaMode: 'opaque' });
    await this.init();
  }

  /** The grid the panels draw; a grid of another shape starts from the whole domain in view. */
  setGrid(grid: Grid): void {
    const next = drawnGridOf(grid);
    const same = next.cells.nx === this.grid.cells.nx && next.cells.ny === this.grid.cells.ny && String(next.extent) === String(this.grid.extent);
    if (!same) this.resetView();
    this.grid = next;
    this.canvas.dataset.n = grid.dimensions === 1 || grid.nx === grid.ny ? String(grid.nx) : `${grid.nx}×${grid.ny}`;
    this.canvas.dataset.grid = describeGrid(grid);
  }

  /** The domain's shape as drawn (its longer side 1; a ring's, square): the page sizes its panels by it. */
  get extent(): Extent {
    return this.grid.extent === 'fill' ? [1, 1] : this.grid.extent;
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
      this.renderer.draw(pass, i, panel, this.grid, { x: i * panelWidth, y: 0, width: panelWidth, height }, this.camera, this.reduction);
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Drag to pan, wheel to zoom about the cursor (the field point under it stays put), double-click to reset. */
  private attachPointer(): void {
    const c = this.canvas;
    let last: [number, number] | undefined;
    // Periods of the torus per CSS pixel along x and y (view-transform.ts): the same scale the renderer draws with.
    const perPixel = () => {
      const [width, height] = [c.clientWidth / this.panels, c.clientHeight];
      return periodsPerPixel(width, height, extentIn(this.grid.extent, width, height), this.camera.zoom);
    };
    c.addEventListener('pointerdown', (e) => {
      last = [e.clientX, e.clientY];
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!last) return;
      const [kx, ky] = perPixel();
      this.camera.centre[0] -= (e.clientX - last[0]) * kx;
      this.camera.centre[1] += (e.clientY - last[1]) * ky;
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
        const before = perPixel();
        this.camera.zoom = Math.min(ZOOM_RANGE.max, Math.max(ZOOM_RANGE.min, this.camera.zoom * Math.exp(-e.deltaY * 0.0015)));
        const after = perPixel();
        this.camera.centre[0] += dx * (before[0] - after[0]);
        this.camera.centre[1] += dy * (before[1] - after[1]);
      },
      { passive: false },
    );
  }
}
