import type { EngineContext } from '../../context.js';
import type { ShaderPart } from '../../errors.js';
import { bindings, storage, uniform, type BindingSet, type BufferResource } from '../../layout/bindings.js';
import { DEFAULT_SEPARABLE_SHAPE, MAX_SEPARABLE_TAPS, SEPARABLE_ROW_CELLS, separableRowDispatch, separableTileWgsl, type Dispatch, type SeparableShape } from '../../layout/tiles.js';
import { generatedPart } from '../../shaders.js';
import type { SeparableTaps } from './separable-taps.js';

/** What the separable kernels' layouts depend on: the terms per cell, and whether the grid is a ring. */
export type SeparableForm = Pick<SeparableTaps, 'terms' | 'ring'>;

/** The WGSL type of the row pass's output per cell: one f32 per term. */
export function termsType(form: SeparableForm): string {
  return form.terms === 1 ? 'f32' : `vec${form.terms}f`;
}

/** The taps' uniform (separable-taps.ts): MAX_SEPARABLE_TAPS vec4f, row taps in .xy, column taps in .zw. */
export const tapsBinding = uniform(`array<vec4f, ${MAX_SEPARABLE_TAPS}>`);

/**
 * The generated head of every separable module: the tile constants, `Terms`
 * (the per-cell type of the row pass's output) and the tap accessors. It
 * depends only on the number of terms and the column pass's shape, so one
 * pipeline serves every radius.
 */
export function separableHead(form: SeparableForm, shape: SeparableShape = DEFAULT_SEPARABLE_SHAPE): ShaderPart {
  const components = ['x', 'y', 'z', 'w'].slice(0, form.terms);
  const row = components.join('');
  const column = ['z', 'w'].slice(0, form.terms).join('');
  const sum = form.terms === 1 ? 'v' : components.map((c) => `v.${c}`).join(' + ');
  return generatedPart(`separable stencil, ${form.terms} term(s)`, [
    separableTileWgsl(shape),
    ...(form.ring ? [] : [columnConvolutionWgsl(shape[2])]),
    `alias Terms = ${termsType(form)};`,
    `fn row_tap(k: u32) -> Terms {\n  return taps[k].${row};\n}`,
    `fn column_tap(k: u32) -> Terms {\n  return taps[k].${column};\n}`,
    `fn term_sum(v: Terms) -> f32 {\n  return ${sum};\n}`,
  ].join('\n') + '\n');
}

/** `count` lines from `line(j)`, j = 0 .. count − 1. */
function each(count: number, line: (j: number) => string): string[] {
  return Array.from({ length: count }, (_, j) => line(j));
}

/**
 * The row pass's convolution for `cells` cells per thread, Σ_k row_tap(k)·f(u)
 * at x − rx + k per term, for the thread's cells x = x0 + cells·li + j: a
 * window of `cells` staged values (row-convolution.wgsl) slides along the
 * row taps, so each staged value and tap it reads serves `cells` outputs.
 * Generated, like the column pass's, so the window stays in registers.
 */
export function rowConvolutionWgsl(cells: number): string {
  checkCells(cells);
  const last = cells - 1;
  return [
    `fn row_convolution(li: u32) -> array<Terms, ${cells}> {`,
    '  let base = li * ROW_CELLS;',
    ...each(last, (j) => `  var w${j} = row_staged[base + ${j}u];`),
    ...each(cells, (j) => `  var a${j} = Terms();`),
    '  for (var k = 0u; k < 2u * params.radiusX + 1u; k++) {',
    `    let w${last} = row_staged[base + k + ${last}u];`,
    '    let tap = row_tap(k);',
    ...each(cells, (j) => `    a${j} += tap * w${j};`),
    ...each(last, (j) => `    w${j} = w${j + 1};`),
    '  }',
    `  return array<Terms, ${cells}>(${each(cells, (j) => `a${j}`).join(', ')});`,
    '}',
  ].join('\n');
}

/** The row convolution's parts: its generated window, then the staging it reads (row-convolution.wgsl). */
function rowConvolutionParts(ctx: EngineContext): ShaderPart[] {
  return [generatedPart(`row convolution, ${SEPARABLE_ROW_CELLS} cells per thread`, `${rowConvolutionWgsl(SEPARABLE_ROW_CELLS)}\n`), ctx.source('drift-row-convolution')];
}

function checkCells(cells: number): void {
  if (!(Number.isInteger(cells) && cells >= 1)) throw new Error(`cells per thread must be a positive integer (got ${cells})`);
}

/**
 * The column pass's convolution for `cells` cells per thread, generated so
 * that the window lives in registers whatever its length: K f(u) at (x, y0 + j),
 * j < cells, is Σ_k column_tap(k)·rows(x, y0 + j − ry + k). The thread slides
 * a window of `cells` values down its column along the taps, so each value
 * and tap it reads serves `cells` outputs (2ry + cells reads for `cells`
 * outputs). The values come from global memory, not a staged tile: along x
 * there is no halo, neighbouring threads read neighbouring cells of a row,
 * and the window's overlap with the threads above and below it is left to
 * the caches. Rows past the grid wrap; ry < ny (the stencil fits the
 * column), so y0 + k + ny − ry never underflows.
 */
export function columnConvolutionWgsl(cells: number): string {
  checkCells(cells);
  const row = (k: string) => `rows[cell_index(z, x, (y0 + ${k} + ny - ry) % ny)]`;
  const last = cells - 1;
  const lines = [
    `fn column_convolution(z: u32, x: u32, y0: u32) -> array<f32, ${cells}> {`,
    '  let ny = params.ny;',
    '  let ry = params.radiusY;',
    ...each(last, (j) => `  var w${j} = ${row(`${j}u`)};`),
    ...each(cells, (j) => `  var a${j} = Terms();`),
    '  for (var k = 0u; k < 2u * ry + 1u; k++) {',
    `    let w${last} = ${row(`k + ${last}u`)};`,
    '    let c = column_tap(k);',
    ...each(cells, (j) => `    a${j} += c * w${j};`),
    ...each(last, (j) => `    w${j} = w${j + 1};`),
    '  }',
    `  return array<f32, ${cells}>(${each(cells, (j) => `term_sum(a${j})`).join(', ')});`,
    '}',
  ];
  return lines.join('\n');
}

/**
 * The row pass's group 0 (row-pass.wgsl), for both of its entry points: the
 * rows of field p (u), or, stepping, the rows of the field it updates
 * (u_{n+1} into uNext from u_n = u and F(u_n) = drift).
 */
export function rowPassBindings(form: SeparableForm): BindingSet {
  return bindings(0, {
    params: uniform('SimParams'),
    u: storage('array<f32>'),
    drift: storage('array<f32>'),
    uNext: storage('array<f32>', 'read_write'),
    rows: storage(`array<${termsType(form)}>`, 'read_write'),
    taps: tapsBinding,
  }, `separable rows (${form.terms} term(s))`);
}

interface RowPass {
  /** The rows of field p. */
  plain: GPUComputePipeline;
  /** The update of field p into field 1 − p, fused with the rows of the new field. */
  stepping: GPUComputePipeline;
  /** Group p: u = field p, drift = its drift, uNext = field 1 − p. */
  groups: [GPUBindGroup, GPUBindGroup];
  dispatch: Dispatch;
}

/**
 * The separable stencil's buffers and, on a 2-D grid, its first pass: the
 * taps' uniform, and the row convolution of f(u) per term into `rows` (one
 * buffer for both fields: the column pass consumes it in the same step). On
 * a ring there is no first pass: the drift kernel convolves the row itself.
 */
export class SeparableStencil {
  private constructor(
    readonly form: SeparableForm,
    /** The column pass's workgroup (2-D grids; a ring's fused row pass has one shape). */
    readonly shape: SeparableShape,
    readonly taps: GPUBuffer,
    readonly rows: GPUBuffer | undefined,
    private readonly rowPass: RowPass | undefined,
  ) {}

  static async create(
    ctx: EngineContext, taps: SeparableTaps, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer],
    shape: SeparableShape = DEFAULT_SEPARABLE_SHAPE,
  ): Promise<SeparableStencil> {
    const form: SeparableForm = { terms: taps.terms, ring: taps.ring };
    const tapsBuffer = ctx.upload('separable taps', taps.data, GPUBufferUsage.UNIFORM);
    if (taps.ring) return new SeparableStencil(form, DEFAULT_SEPARABLE_SHAPE, tapsBuffer, undefined, undefined);
    const rows = ctx.buffer('separable rows', ctx.fieldBytes * taps.terms, GPUBufferUsage.STORAGE);
    const layout = rowPassBindings(form);
    const parts = [ctx.source('transfer'), ctx.source('philox'), separableHead(form), ...rowConvolutionParts(ctx), ctx.source('drift-row-pass')];
    const [plain, stepping] = await Promise.all(
      ['separable_rows', 'separable_rows_stepping'].map((entry) => ctx.pipeline('drift-row-pass.wgsl', layout, parts, entry, ctx.transferConstants)),
    );
    const groups = [0, 1].map((p) =>
      layout.bindGroup(ctx.device, `separable rows[${p}]`, { params: ctx.params, u: fields[p], drift: drifts[p], uNext: fields[1 - p], rows, taps: tapsBuffer }),
    ) as [GPUBindGroup, GPUBindGroup];
    return new SeparableStencil(form, shape, tapsBuffer, rows, { plain, stepping, groups, dispatch: separableRowDispatch(ctx.grid, ctx.replicas) });
  }

  /** Whether the row pass can take the white-noise update of the step with it (encodeStepping): a 2-D grid's. */
  get steps(): boolean {
    return this.rowPass !== undefined;
  }

  /** The drift kernel's own resources beyond params, u and drift. */
  get resources(): Record<string, BufferResource> {
    return this.rows ? { rows: this.rows, taps: this.taps } : { taps: this.taps };
  }

  /** The drift kernel's parts after drift.wgsl: the generated head, then the column pass, or on a ring the fused row pass. */
  parts(ctx: EngineContext): ShaderPart[] {
    const files = this.form.ring ? [...rowConvolutionParts(ctx), ctx.source('drift-separable-ring')] : [ctx.source('drift-separable')];
    return [separableHead(this.form, this.shape), ...files];
  }

  /** The row pass of field p, before the drift kernel (nothing on a ring). */
  encode(pass: GPUComputePassEncoder, p: number): void {
    if (this.rowPass) this.dispatchRows(pass, this.rowPass.plain, p);
  }

  /**
   * The white-noise Euler–Maruyama update of field p into field 1 − p, fused
   * with the row pass of the new field (row-pass.wgsl separable_rows_stepping):
   * it replaces the update pass and this row pass (a 2-D grid only: steps).
   */
  encodeStepping(pass: GPUComputePassEncoder, p: number): void {
    if (!this.rowPass) throw new Error('the separable stencil steps in its row pass only on a 2-D grid');
    this.dispatchRows(pass, this.rowPass.stepping, p);
  }

  private dispatchRows(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, p: number): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.rowPass!.groups[p]);
    pass.dispatchWorkgroups(...this.rowPass!.dispatch);
  }
}
