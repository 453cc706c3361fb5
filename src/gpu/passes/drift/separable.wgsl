// The separable stencil's second pass on a 2-D grid, fused with the drift and
// the observation like the other variants (drift.wgsl): K f(u) at (x, y) is
// Σ_terms Σ_k column_tap(k)·rows(x, y − ry + k), rows the row pass's output
// (row-pass.wgsl), and F = drift_at(…) follows at once.
//
// A workgroup of SEPARABLE_COLUMN_THREADS_X × _Y threads covers a tile of
// SEPARABLE_COLUMN_TILE_X × _Y cells, COLUMN_CELLS cells per thread along y,
// the shape tuned per adapter (layout/tiles.ts SeparableShape).
// column_convolution (generated: separable.ts columnConvolutionWgsl) slides a
// window of COLUMN_CELLS values of the thread's column along the column
// taps, column_tap(k) = fy[ry − k] (flipped), one component per term.
//
// Threads past the grid's last column read that column (so every read is in
// range) and write nothing; rows past the grid wrap like any other.

@compute @workgroup_size(SEPARABLE_COLUMN_THREADS_X, SEPARABLE_COLUMN_THREADS_Y)
fn drift_separable(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                   @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  let x = wg.x * SEPARABLE_COLUMN_TILE_X + lid.x;
  let y0 = wg.y * SEPARABLE_COLUMN_TILE_Y + lid.y * COLUMN_CELLS;
  let conv = column_convolution(wg.z, min(x, params.nx - 1u), y0);
  var observed = start_observation();
  for (var j = 0u; j < COLUMN_CELLS; j++) {
    let y = y0 + j;
    if (x < params.nx && y < params.ny) {
      let g = cell_index(wg.z, x, y);
      let cell = plane_index(x, y);
      let f1 = drift_at(g, cell, wg.z, conv[j]);
      drift[g] = f1;
      observed = observe_add(observed, g, cell, wg.z, f1);
    }
  }
  finish_observation(wg, li, observed, groups);
}
