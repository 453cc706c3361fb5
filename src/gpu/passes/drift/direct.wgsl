// Stencils wider than MAX_TILED_RADIUS, one cell per thread over 8×16
// workgroups: every tap read from global memory.

fn direct_convolution(gid: vec3u) -> f32 {
  let n = params.n;
  let r = params.radius;
  let size = 2u * r + 1u;
  let base = gid.z * n * n;
  var acc = 0.0;
  var w = 0u;
  for (var dy = 0u; dy < size; dy++) {
    let y = (gid.y + dy + n - r) % n;
    for (var dx = 0u; dx < size; dx++) {
      let x = (gid.x + dx + n - r) % n;
      acc += weights[w] * transfer(u[base + y * n + x], y * n + x);
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
    let cell = gid.y * params.n + gid.x;
    let f1 = drift_at(g, cell, direct_convolution(gid));
    drift[g] = f1;
    observed = observe_add(observed, g, cell, gid.z, f1);
  }
  finish_observation(wg, li, observed, groups);
}
