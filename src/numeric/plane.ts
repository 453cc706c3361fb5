/** The cells of a grid, nx × ny, flat index iy·nx + ix (a ring: ny = 1). */
export interface Plane {
  readonly nx: number;
  readonly ny: number;
}

/** A stencil's weights W[mx, my], |mx| ≤ rx, |my| ≤ ry, row-major from (−rx, −ry) (src/model/stencil.ts builds them). */
export interface StencilWeights {
  readonly rx: number;
  readonly ry: number;
  readonly sizeX: number;
  readonly weights: Float64Array;
}
