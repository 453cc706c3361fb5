// The spectral path's last step: K f(u) is already in the real parts of
// `convolved` (the spectral pass and the inverse FFT left it there).

@compute @workgroup_size(DRIFT_WORKGROUP_X, DRIFT_WORKGROUP_Y)
fn drift_spectral(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                  @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  var observed = start_observation();
  if (in_grid(gid)) {
    let g = cell_index(gid.z, gid.x, gid.y);
    let cell = plane_index(gid.x, gid.y);
    let f1 = drift_at(g, cell, gid.z, convolved[g].x);
    drift[g] = f1;
    observed = observe_add(observed, g, cell, gid.z, f1);
  }
  finish_observation(wg, li, observed, groups);
}
