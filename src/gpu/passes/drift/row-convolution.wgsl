// The separable stencil's pass along x (src/gpu/passes/drift/separable.ts),
// shared by the row pass of a 2-D grid (row-pass.wgsl) and a ring's fused
// drift (separable-ring.wgsl). A one-row workgroup of SEPARABLE_ROW_THREADS
// threads covers a segment of SEPARABLE_ROW_TILE cells of one row, ROW_CELLS
// neighbouring cells per thread. It first stages f(u) over the segment and its
// halo of rx cells each side in workgroup memory, wrapping periodically along
// the row, so that f is computed once per staged cell; each thread then
// slides a window of ROW_CELLS staged values along the row taps, so every
// staged value and tap it reads serves ROW_CELLS outputs (as tiled.wgsl does
// in 2-D with four).
// The taps come flipped (separable-taps.ts): row_tap(k) = weight·fx[rx − k],
// one component per term (Terms: f32 or vec2f, generated).
//
// rx ≤ MAX_SEPARABLE_RADIUS: (1024 + 2·511) floats, 8 KiB. Partial segments
// (nx not a multiple of the tile, or a row shorter than it) stage wrapped
// values like any other; the threads past the row load and synchronise but
// write nothing.

var<workgroup> row_staged: array<f32, SEPARABLE_ROW_TILE + 2u * MAX_SEPARABLE_RADIUS>;

// f(u) at cells x0 − rx .. x0 + SEPARABLE_ROW_TILE + rx − 1 of row y, replica z.
fn stage_row(x0: u32, y: u32, z: u32, li: u32) {
  let nx = params.nx;
  let rx = params.radiusX;
  let span = SEPARABLE_ROW_TILE + 2u * rx;
  // rx < nx (the stencil fits the row), so x0 + k + nx − rx never underflows.
  for (var k = li; k < span; k += SEPARABLE_ROW_THREADS) {
    let gx = (x0 + k + nx - rx) % nx;
    row_staged[k] = transfer(u[cell_index(z, gx, y)], plane_index(gx, y), z);
  }
  workgroupBarrier();
}

// row_convolution(li) (generated: separable.ts rowConvolutionWgsl) slides a
// window of ROW_CELLS staged values along the row taps for the thread's
// cells x = x0 + ROW_CELLS·li + j.
