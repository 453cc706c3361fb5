// The separable stencil's second pass on a 2-D grid, fused with the drift and
// the observation like the other variants (drift.wgsl): K f(u) at (x, y) is
// Σ_terms Σ_k column_tap(k)·rows(x, y − ry + k), rows the row pass's output
// (row-pass.wgsl), and F = drift_at(…) follows at once.
//
// A 32 × 4 workgroup covers a 32 × 16 tile, four cells per thread along y: a
// thread slides a window of four values of its column along the column taps,
// so every value and tap it reads serves four outputs. The values come from
// global memory, not a staged tile: along x there is no halo, neighbouring
// threads read neighbouring cells of a row, and the window's overlap with
// the threads above and below it is left to the caches. Nothing limits ry
// but the taps' array (MAX_SEPARABLE_RADIUS). The column taps come flipped,
// column_tap(k) = fy[ry − k], one component per term.
//
// Threads past the grid's last column read that column (so every read is in
// range) and write nothing; rows past the grid wrap like any other.

fn column_convolution(z: u32, x: u32, y0: u32) -> vec4f {
  let ny = params.ny;
  let ry = params.radiusY;
  let size = 2u * ry + 1u;
  // ry < ny (the stencil fits the column), so y0 + k + ny − ry never underflows.
  var w0 = rows[cell_index(z, x, (y0 + ny - ry) % ny)];
  var w1 = rows[cell_index(z, x, (y0 + 1u + ny - ry) % ny)];
  var w2 = rows[cell_index(z, x, (y0 + 2u + ny - ry) % ny)];
  var a0 = Terms();
  var a1 = Terms();
  var a2 = Terms();
  var a3 = Terms();
  for (var k = 0u; k < size; k++) {
    let w3 = rows[cell_index(z, x, (y0 + k + 3u + ny - ry) % ny)];
    let c = column_tap(k);
    a0 += c * w0;
    a1 += c * w1;
    a2 += c * w2;
    a3 += c * w3;
    w0 = w1;
    w1 = w2;
    w2 = w3;
  }
  return vec4f(term_sum(a0), term_sum(a1), term_sum(a2), term_sum(a3));
}

@compute @workgroup_size(SEPARABLE_COLUMN_THREADS_X, SEPARABLE_COLUMN_THREADS_Y)
fn drift_separable(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                   @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  let x = wg.x * SEPARABLE_COLUMN_TILE_X + lid.x;
  let y0 = wg.y * SEPARABLE_COLUMN_TILE_Y + lid.y * PER_THREAD;
  let conv = column_convolution(wg.z, min(x, params.nx - 1u), y0);
  var observed = start_observation();
  for (var j = 0u; j < PER_THREAD; j++) {
    let y = y0 + j;
    if (x < params.nx && y < params.ny) {
      let g = cell_index(wg.z, x, y);
      let cell = plane_index(x, y);
      let f1 = drift_at(g, cell, conv[j]);
      drift[g] = f1;
      observed = observe_add(observed, g, cell, wg.z, f1);
    }
  }
  finish_observation(wg, li, observed, groups);
}
