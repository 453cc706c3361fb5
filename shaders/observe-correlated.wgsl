// Spec §4 for correlated noise: the weight Δx²/(2D) becomes the inverse noise
// covariance H = ((1 − w) G Gᵀ + w I)⁻¹, applied in Fourier space
// (spectral.wgsl + fft.wgsl leave H F in the real parts of `hfPrev` and
// `hfNext`). Per cell,
//   s_i = Δx²/(2D) · [ Δ_i (H(F + F′))_i + (dt/2)(F′_i (HF′)_i − F_i (HF)_i) ],
// whose sum over cells is the exact log-ratio of the transition densities.
// Also the moments of u for the variance estimator, as drift.wgsl does.

const THREADS: u32 = 128u;

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read> uPrev: array<f32>;
@group(0) @binding(3) var<storage, read> driftPrev: array<f32>;
@group(0) @binding(4) var<storage, read> drift: array<f32>;
@group(0) @binding(5) var<storage, read> hfPrev: array<vec2f>;
@group(0) @binding(6) var<storage, read> hfNext: array<vec2f>;
@group(0) @binding(7) var<storage, read_write> density: array<f32>;
@group(0) @binding(8) var<storage, read_write> partials: array<f32>;

@compute @workgroup_size(8, 16)
fn observe_correlated(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                      @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  var value = vec3f(0.0);
  if (gid.x < params.n && gid.y < params.n) {
    let g = gid.z * params.n * params.n + gid.y * params.n + gid.x;
    let u1 = u[g];
    let f0 = driftPrev[g];
    let f1 = drift[g];
    let h0 = hfPrev[g].x;
    let h1 = hfNext[g].x;
    let s = params.epWeight * ((u1 - uPrev[g]) * (h0 + h1) + params.halfDt * (f1 * h1 - f0 * h0));
    density[g] += s;
    let d = u1 - params.reference;
    value = vec3f(s, d, d * d);
  }
  reduce_workgroup(wg, li, value, groups);
}
