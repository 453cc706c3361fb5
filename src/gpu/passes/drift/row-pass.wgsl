// The separable stencil's first pass on a 2-D grid: per term, the row
// convolution of f(u) (row-convolution.wgsl) into `rows`, read by the column
// pass (separable.wgsl). One workgroup per row segment, rows along y,
// replicas along z.
//
// Two entry points: separable_rows convolves field u as it is (the drift of
// a field that is already there: at the start, after a restore);
// separable_rows_stepping takes the step's white-noise update with it. That
// update needs no neighbour, so instead of a pass of its own that writes
// u_{n+1} for this pass to read back, this pass computes u_{n+1} for every
// cell it stages (update.wgsl update_white's expression, so the same bits),
// writes the segment's own cells to uNext and convolves f(u_{n+1}). The halo's
// cells are updated again by the neighbouring segments that own them (2rx
// of every SEPARABLE_ROW_TILE cells, the Philox draws included), and only
// their owner writes them.

fn write_rows(x0: u32, y: u32, z: u32, acc: array<Terms, ROW_CELLS>, li: u32) {
  for (var j = 0u; j < ROW_CELLS; j++) {
    let x = x0 + li * ROW_CELLS + j;
    if (x < params.nx) {
      rows[cell_index(z, x, y)] = acc[j];
    }
  }
}

@compute @workgroup_size(SEPARABLE_ROW_THREADS, 1)
fn separable_rows(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let x0 = wg.x * SEPARABLE_ROW_TILE;
  stage_row(x0, wg.y, wg.z, li);
  write_rows(x0, wg.y, wg.z, row_convolution(li), li);
}

// u_{n+1} = u_n + dt·F(u_n) + √(2D·dt/a)·ξ at cells x0 − rx .. x0 +
// SEPARABLE_ROW_TILE + rx − 1 of row y, replica z: the segment's own cells
// written to uNext, f(u_{n+1}) staged for all.
fn stage_row_stepped(x0: u32, y: u32, z: u32, li: u32) {
  let nx = params.nx;
  let rx = params.radiusX;
  let span = SEPARABLE_ROW_TILE + 2u * rx;
  // x0 < nx: the dispatch covers the row with ceil(nx / SEPARABLE_ROW_TILE) segments.
  let owned = min(SEPARABLE_ROW_TILE, nx - x0);
  for (var k = li; k < span; k += SEPARABLE_ROW_THREADS) {
    let gx = (x0 + k + nx - rx) % nx;
    let g = cell_index(z, gx, y);
    let cell = plane_index(gx, y);
    let xi = philox_normal(cell, stepParams.step, stepParams.stepHi, noise_replica(z), 0u, noise_key(z));
    let next = u[g] + dt_at(z) * drift[g] + noise_scale(cell, z) * xi;
    if (k >= rx && k - rx < owned) {
      uNext[g] = next;
    }
    row_staged[k] = transfer(next, cell, z);
  }
  workgroupBarrier();
}

@compute @workgroup_size(SEPARABLE_ROW_THREADS, 1)
fn separable_rows_stepping(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let x0 = wg.x * SEPARABLE_ROW_TILE;
  stage_row_stepped(x0, wg.y, wg.z, li);
  write_rows(x0, wg.y, wg.z, row_convolution(li), li);
}
