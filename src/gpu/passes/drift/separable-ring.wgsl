// The separable stencil on a ring (ny = 1): the row pass is the whole
// convolution, so it is fused with the drift and the observation
// (drift.wgsl) and nothing is written in between. The terms were summed into
// one row of taps on the host (separable-taps.ts: Terms = f32), which makes
// this the 1-D stencil staged in workgroup memory, up to radius
// MAX_SEPARABLE_RADIUS (the tiled kernel's halo stops at MAX_TILED_RADIUS).

@compute @workgroup_size(SEPARABLE_ROW_THREADS, 1)
fn drift_separable_ring(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32,
                        @builtin(num_workgroups) groups: vec3u) {
  let x0 = wg.x * SEPARABLE_ROW_TILE;
  stage_row(x0, 0u, wg.z, li);
  let acc = row_convolution(li);
  var observed = start_observation();
  for (var j = 0u; j < ROW_CELLS; j++) {
    let x = x0 + li * ROW_CELLS + j;
    if (x < params.nx) {
      let g = cell_index(wg.z, x, 0u);
      let cell = plane_index(x, 0u);
      let f1 = drift_at(g, cell, wg.z, term_sum(acc[j]));
      drift[g] = f1;
      observed = observe_add(observed, g, cell, wg.z, f1);
    }
  }
  finish_observation(wg, li, observed, groups);
}
