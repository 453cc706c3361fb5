// Correlated noise (spec §2, λ > 0): G ξ with G the Gaussian filter
// Δx²·exp(−|r|²/λ²)/(πλ²) on a square stencil. The filter is the product of two
// 1-D filters Δx·exp(−m²Δx²/λ²)/(√π λ), so it runs as two separable passes:
// draw ξ → filter along x → filter along y. Each pass reads global memory
// directly: the noise stencil is short (4·λ/√2 cells each side).

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> taps: array<f32>;   // 1-D filter, taps[m + noiseRadius]
@group(0) @binding(2) var<storage, read_write> fieldIn: array<f32>;
@group(0) @binding(3) var<storage, read_write> fieldOut: array<f32>;

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

@compute @workgroup_size(16, 16)
fn draw(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let cell = gid.y * params.n + gid.x;
  fieldOut[gid.z * params.n * params.n + cell] =
      philox_normal(cell, stepParams.step, gid.z, 0u, vec2u(params.seedLo, params.seedHi));
}

// fieldOut(x, y) = Σ_m taps[m] · fieldIn(x − m, y), periodic.
@compute @workgroup_size(16, 16)
fn filter_x(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let n = params.n;
  let r = params.noiseRadius;
  let row = gid.z * n * n + gid.y * n;
  var acc = 0.0;
  for (var k = 0u; k <= 2u * r; k++) {
    // m = k − r; x − m = x + r − k.
    acc += taps[k] * fieldIn[row + (gid.x + n + r - k) % n];
  }
  fieldOut[row + gid.x] = acc;
}

@compute @workgroup_size(16, 16)
fn filter_y(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let n = params.n;
  let r = params.noiseRadius;
  let plane = gid.z * n * n;
  var acc = 0.0;
  for (var k = 0u; k <= 2u * r; k++) {
    acc += taps[k] * fieldIn[plane + ((gid.y + n + r - k) % n) * n + gid.x];
  }
  fieldOut[plane + gid.y * n + gid.x] = acc;
}
