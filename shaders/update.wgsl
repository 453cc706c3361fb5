// The Euler–Maruyama update of spec §2, one thread per cell, R replicas along z:
//   u_{n+1} = u_n + dt·F(u_n) + √(2D·dt)/Δx · ξ
// ξ is the Philox normal of (cell, n, replica, stream 0) for white noise, or
// the filtered field G ξ that noise.wgsl left in `shaped` for correlated noise.

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read> drift: array<f32>;
@group(0) @binding(3) var<storage, read_write> uNext: array<f32>;
@group(0) @binding(4) var<storage, read> shaped: array<f32>;

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

@compute @workgroup_size(16, 16)
fn update_white(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let cell = gid.y * params.n + gid.x;
  let g = gid.z * params.n * params.n + cell;
  let xi = philox_normal(cell, stepParams.step, gid.z, 0u, vec2u(params.seedLo, params.seedHi));
  uNext[g] = u[g] + params.dt * drift[g] + params.noiseScale * xi;
}

// Correlated noise, with the white floor w of noise.whiteFraction:
// √(1 − w)·G ξ + √w·ξ′, ξ′ from the words x2, x3 of the same Philox draw.
fn shaped_update(gid: vec3u, filtered: f32) {
  let cell = gid.y * params.n + gid.x;
  let g = gid.z * params.n * params.n + cell;
  var noise = params.shapedWeight * filtered;
  if (params.floorWeight > 0.0) {
    let w = philox4x32(vec4u(cell, stepParams.step, gid.z, 0u), vec2u(params.seedLo, params.seedHi));
    noise += params.floorWeight * normal_from_words(w.z, w.w);
  }
  uNext[g] = u[g] + params.dt * drift[g] + params.noiseScale * noise;
}

// G ξ from noise.wgsl's separable filter.
@compute @workgroup_size(16, 16)
fn update_shaped(@builtin(global_invocation_id) gid: vec3u) {
  if (in_grid(gid)) {
    shaped_update(gid, shaped[gid.z * params.n * params.n + gid.y * params.n + gid.x]);
  }
}

// G ξ from spectral shaping, in the real parts of a complex buffer
// (interleaved re, im: the real part of cell g is at 2g).
@compute @workgroup_size(16, 16)
fn update_spectral_shaped(@builtin(global_invocation_id) gid: vec3u) {
  if (in_grid(gid)) {
    shaped_update(gid, shaped[2u * (gid.z * params.n * params.n + gid.y * params.n + gid.x)]);
  }
}
