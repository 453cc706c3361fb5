// Stencils wider than MAX_TILED_RADIUS along either axis, one cell per thread
// over the drift workgroups (8×16, 128×1 on a ring): every tap read from
// global memory. The weights are flipped as in tiled.wgsl:
// flipped[dy·sizeX + dx] = W[rx − dx, ry − dy].

fn direct_convolution(gid: vec3u) -> f32 {
  let nx = params.nx;
  let ny = params.ny;
  let rx = params.radiusX;
  let ry = params.radiusY;
  let sizeX = 2u * rx + 1u;
  let sizeY = 2u * ry + 1u;
  var acc = 0.0;
  var w = 0u;
  // r < n on each axis (the stencil fits the grid), so x + n − r never underflows.
  for (var dy = 0u; dy < sizeY; dy++) {
    let y = (gid.y + dy + ny - ry) % ny;
    for (var dx = 0u; dx < sizeX; dx++) {
      let x = (gid.x + dx + nx - rx) % nx;
      acc += weights[w] * transfer(u[cell_index(gid.z, x, y)], plane_index(x, y), gid.z);
      w++;
    }
  }
  return acc;
}

@compute @workgroup_size(DRIFT_WORKGROUP_X, DRIFT_WORKGROUP_Y)
fn drift_direct(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  var observed = start_observation();
  if (in_grid(gid)) {
    let g = cell_index(gid.z, gid.x, gid.y);
    let cell = plane_index(gid.x, gid.y);
    let f1 = drift_at(g, cell, gid.z, direct_convolution(gid));
    drift[g] = f1;
    observed = observe_add(observed, g, cell, gid.z, f1);
  }
  finish_observation(wg, li, observed, groups);
}
