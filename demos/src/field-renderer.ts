import { withErrorScopes } from '../../src/gpu/errors.js';
import { wgsl } from '../../src/gpu/wgsl.generated.js';
import { colourTable, LUT_SIZE, type Palette } from '../../src/io/colormap.js';
import { extentIn, viewTransform, type Camera, type CellGrid, type Shape } from './view-transform.js';

/** How a pixel covering many cells shows them (shaders/render-field.wgsl): their mean, or the extreme of their min and max. */
export const REDUCTIONS = ['mean', 'min/max'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/**
 * How a panel's buffer is laid out: nx × ny cells, flat index iy·nx + ix, and
 * optionally its rows rotated (logical row y stored at (y + rowOffset) mod ny:
 * a ring buffer of rows, see space-time-strip.ts), of which only the first
 * `rowsShown` logical rows hold data yet (the others are drawn as background).
 */
export interface PanelCells extends CellGrid {
  rowOffset?: number;
  rowsShown?: number;
}

/** A uniform map's buffer: one value for every cell. */
export const ONE_CELL: Readonly<PanelCells> = { nx: 1, ny: 1 };

/**
 * What the panels of a page share: the cells of a field (the default layout
 * of a panel's buffer) and the domain's extent, which fixes the picture's
 * shape (or `fill`: the panel's).
 */
export interface DrawnGrid {
  cells: CellGrid;
  extent: Shape;
}

/**
 * One panel: a buffer of cells (replica 0 of a field; a map; one value for a
 * uniform map, with `cells` = ONE_CELL; a ring's space-time strip), its colour
 * range and palette. A null buffer leaves the panel empty (nothing to draw: no
 * theory).
 */
export interface Panel {
  buffer: GPUBuffer | null;
  /** The buffer's layout; default: the grid's cells. */
  cells?: PanelCells;
  lo: number;
  hi: number;
  scale: number;
  palette: Palette;
}

/**
 * The View struct of render-field.wgsl: mat3x3f (48 bytes), then lo, hi, nx, ny
 * at 48–60, footprint (vec2f) at 64, scale, reduce at 72, 76, row_offset and
 * rows_shown at 80, 84, padded to a multiple of 16.
 */
const VIEW_BYTES = 96;

/** The viewport of one panel in the target, in pixels. */
export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The render pipeline of shaders/render-field.wgsl and what it binds: a colour
 * table per palette and a uniform View per panel slot. It draws into any
 * render pass (the page's canvas; a texture in the tests), one panel per
 * viewport, straight from the panel's storage buffer.
 */
export class FieldRenderer {
  private readonly palettes: Record<Palette, GPUBuffer>;
  private readonly views: GPUBuffer[] = [];

  private constructor(private readonly device: GPUDevice, private readonly pipeline: GPURenderPipeline) {
    const table = (p: Palette) => {
      const rgb = colourTable(p);
      const rgba = new Float32Array(LUT_SIZE * 4);
      for (let i = 0; i < LUT_SIZE; i++) rgba.set([rgb[3 * i] / 255, rgb[3 * i + 1] / 255, rgb[3 * i + 2] / 255, 1], 4 * i);
      const b = device.createBuffer({ label: `${p} colours`, size: rgba.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, rgba);
      return b;
    };
    this.palettes = { sequential: table('sequential'), diverging: table('diverging') };
  }

  static async create(device: GPUDevice, format: GPUTextureFormat): Promise<FieldRenderer> {
    const pipeline = await withErrorScopes(device, 'creating the render pipeline', () => {
      const module = device.createShaderModule({ label: 'render-field.wgsl', code: wgsl['render-field'] });
      return device.createRenderPipelineAsync({
        label: 'field',
        layout: 'auto',
        vertex: { module, entryPoint: 'vs' },
        fragment: { module, entryPoint: 'fs', targets: [{ format }] },
        primitive: { topology: 'triangle-list' },
      });
    });
    return new FieldRenderer(device, pipeline);
  }

  /**
   * Encodes the draw of `panel` (laid out as the grid's cells unless the panel
   * says otherwise) into `viewport` of `pass`. `slot` picks the panel's uniform
   * buffer: each panel of one frame needs its own, since the queue writes
   * them all before the pass runs.
   */
  draw(pass: GPURenderPassEncoder, slot: number, panel: Panel, grid: DrawnGrid, viewport: Viewport, camera: Camera, reduction: Reduction): void {
    if (!panel.buffer) return;
    while (this.views.length <= slot) {
      this.views.push(this.device.createBuffer({ label: `view ${this.views.length}`, size: VIEW_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
    }
    const cells: PanelCells = panel.cells ?? grid.cells;
    const extent = extentIn(grid.extent, viewport.width, viewport.height);
    const { inverse, footprint } = viewTransform(camera, viewport.width, viewport.height, cells, extent);
    const view = new ArrayBuffer(VIEW_BYTES);
    new Float32Array(view, 0, 12).set(inverse);
    const tail = new DataView(view, 48);
    tail.setFloat32(0, panel.lo, true);
    tail.setFloat32(4, panel.hi > panel.lo ? panel.hi : panel.lo + 1, true);
    tail.setUint32(8, cells.nx, true);
    tail.setUint32(12, cells.ny, true);
    tail.setFloat32(16, footprint[0], true);
    tail.setFloat32(20, footprint[1], true);
    tail.setFloat32(24, panel.scale, true);
    tail.setUint32(28, REDUCTIONS.indexOf(reduction), true);
    tail.setUint32(32, (((cells.rowOffset ?? 0) % cells.ny) + cells.ny) % cells.ny, true);
    tail.setUint32(36, Math.max(0, Math.min(cells.ny, cells.rowsShown ?? cells.ny)), true);
    this.device.queue.writeBuffer(this.views[slot], 0, view);
    const group = this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.views[slot] } },
        { binding: 1, resource: { buffer: panel.buffer } },
        { binding: 2, resource: { buffer: this.palettes[panel.palette] } },
      ],
    });
    pass.setViewport(viewport.x, viewport.y, viewport.width, viewport.height, 0, 1);
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, group);
    pass.draw(3);
  }

  destroy(): void {
    for (const b of [...this.views, ...Object.values(this.palettes)]) b.destroy();
  }
}
