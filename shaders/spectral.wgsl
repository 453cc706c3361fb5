// The synaptic convolution through the FFT (the spectral path, for wide
// kernels): f(u) into a complex buffer, forward FFT (fft.wgsl), multiply by
// the kernel's spectrum Ŵ_k/n² (host-computed in float64: the even part of the
// stencil gives Re, the odd part Im), inverse FFT; drift.wgsl's
// drift_spectral then reads the real part as K f(u). The stencil laid on the
// torus has 2r + 1 ≤ n, so the circular convolution is exactly the spec's sum.
// The same passes apply the inverse noise covariance H (multiplier 1/q̂_k/n²)
// to the drift for the correlated-noise estimator (real_to_complex).

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read_write> spectrum: array<vec2f>;
@group(0) @binding(3) var<storage, read> kernelHat: array<vec2f>;

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

@compute @workgroup_size(16, 16)
fn to_complex(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let g = gid.z * params.n * params.n + gid.y * params.n + gid.x;
  spectrum[g] = vec2f(transfer(u[g]), 0.0);
}

// The correlated-noise estimator's input: a real field (the drift) as complex.
@compute @workgroup_size(16, 16)
fn real_to_complex(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let g = gid.z * params.n * params.n + gid.y * params.n + gid.x;
  spectrum[g] = vec2f(u[g], 0.0);
}

// Spectral noise shaping (the alternative to noise.wgsl's separable filter):
// ξ drawn into a complex buffer, then forward FFT, multiply by Ĝ/n², inverse FFT.
@compute @workgroup_size(16, 16)
fn draw_complex(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let cell = gid.y * params.n + gid.x;
  let g = gid.z * params.n * params.n + cell;
  spectrum[g] = vec2f(philox_normal(cell, stepParams.step, gid.z, 0u, vec2u(params.seedLo, params.seedHi)), 0.0);
}

@compute @workgroup_size(16, 16)
fn multiply_kernel(@builtin(global_invocation_id) gid: vec3u) {
  if (!in_grid(gid)) {
    return;
  }
  let cell = gid.y * params.n + gid.x;
  let g = gid.z * params.n * params.n + cell;
  let a = spectrum[g];
  let w = kernelHat[cell];
  spectrum[g] = vec2f(a.x * w.x - a.y * w.y, a.x * w.y + a.y * w.x);
}
