// F(u) = (−u + K f(u) + h)/τ on an n×n torus, R replicas along z (spec §2),
// optionally fused with the entropy production of spec §4 and the moments of
// the field for the variance estimator.
//
// Tiling: an 8×16 workgroup computes a 32×16 tile of F, each thread four
// neighbouring cells along x. It first stages f(u) over the tile and its halo
// of `radius` cells on every side, a (32 + 2r) × (16 + 2r) block, in workgroup
// memory: the 128 threads load it in ceil(span²/128) rounds, wrapping
// periodically. Each thread then slides a window of four staged values along
// each stencil row, so every staged value and weight it reads serves four
// outputs (the CPU reference does the same in registers). The weights come
// flipped, flipped[dy·size + dx] = W[r − dx, r − dy], so the convolution reads
// as a correlation over the tile. radius ≤ MAX_RADIUS = 16: 64 × 48 floats, 12 KiB.
//
// Grids narrower than a tile run with the out-of-grid threads loading and
// synchronising but writing nothing.

const TILE_X: u32 = 32u;
const TILE_Y: u32 = 16u;
const PER_THREAD: u32 = 4u;
const MAX_RADIUS: u32 = 16u;
const MAX_SPAN_X: u32 = TILE_X + 2u * MAX_RADIUS;
const MAX_SPAN_Y: u32 = TILE_Y + 2u * MAX_RADIUS;
const THREADS: u32 = (TILE_X / PER_THREAD) * TILE_Y;

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> u: array<f32>;
@group(0) @binding(3) var<storage, read_write> drift: array<f32>;
// Observation only: the previous state, and what is accumulated.
@group(0) @binding(4) var<storage, read> uPrev: array<f32>;
@group(0) @binding(5) var<storage, read> driftPrev: array<f32>;
@group(0) @binding(6) var<storage, read_write> density: array<f32>;
@group(0) @binding(7) var<storage, read_write> partials: array<f32>;
// Spectral path only: K f(u) in the real parts, left by spectral.wgsl and the inverse FFT.
@group(0) @binding(8) var<storage, read> convolved: array<vec2f>;

var<workgroup> staged: array<f32, MAX_SPAN_X * MAX_SPAN_Y>;

fn stage_tile(wg: vec3u, lid: u32) {
  let n = params.n;
  let r = params.radius;
  let spanX = TILE_X + 2u * r;
  let spanY = TILE_Y + 2u * r;
  let base = wg.z * n * n;
  for (var k = lid; k < spanX * spanY; k += THREADS) {
    let ty = k / spanX;
    let tx = k - ty * spanX;
    let gx = (wg.x * TILE_X + tx + n - r) % n;
    let gy = (wg.y * TILE_Y + ty + n - r) % n;
    staged[k] = transfer(u[base + gy * n + gx]);
  }
  workgroupBarrier();
}

// K f(u) at the thread's four cells (local x = 4·lx .. 4·lx + 3, local y = ly).
fn tile_convolution(local: vec2u) -> vec4f {
  let size = 2u * params.radius + 1u;
  let spanX = TILE_X + 2u * params.radius;
  var acc = vec4f(0.0);
  var w = 0u;
  for (var dy = 0u; dy < size; dy++) {
    let row = (local.y + dy) * spanX + local.x * PER_THREAD;
    var window = vec4f(0.0, staged[row], staged[row + 1u], staged[row + 2u]);
    for (var dx = 0u; dx < size; dx++) {
      window = vec4f(window.yzw, staged[row + dx + 3u]);
      acc += weights[w] * window;
      w++;
    }
  }
  return acc;
}

fn cell_x(wg: vec3u, lid: vec3u, j: u32) -> u32 {
  return wg.x * TILE_X + lid.x * PER_THREAD + j;
}

fn cell_y(wg: vec3u, lid: vec3u) -> u32 {
  return wg.y * TILE_Y + lid.y;
}

fn cell_index(z: u32, x: u32, y: u32) -> u32 {
  return z * params.n * params.n + y * params.n + x;
}

@compute @workgroup_size(8, 16)
fn drift_tiled(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32) {
  stage_tile(wg, li);
  let conv = tile_convolution(lid.xy);
  let y = cell_y(wg, lid);
  for (var j = 0u; j < PER_THREAD; j++) {
    let x = cell_x(wg, lid, j);
    if (x < params.n && y < params.n) {
      let g = cell_index(wg.z, x, y);
      drift[g] = (conv[j] - u[g] + params.h) * params.invTau;
    }
  }
}

// s_i(n) = Δx²/(2D)·[Δ_i (F_i + F′_i) + (dt/2)(F′_i² − F_i²)], added to the
// density map and summed over the workgroup, with (u − ref) and (u − ref)²,
// into partials[3·workgroup + 0..2].
fn observe(g: u32, f1: f32) -> vec3f {
  let u1 = u[g];
  let f0 = driftPrev[g];
  let s = params.epWeight * ((u1 - uPrev[g]) * (f0 + f1) + params.halfDt * (f1 * f1 - f0 * f0));
  density[g] += s;
  let d = u1 - params.reference;
  return vec3f(s, d, d * d);
}

@compute @workgroup_size(8, 16)
fn drift_tiled_observed(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                        @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  stage_tile(wg, li);
  let conv = tile_convolution(lid.xy);
  let y = cell_y(wg, lid);
  var value = vec3f(0.0);
  for (var j = 0u; j < PER_THREAD; j++) {
    let x = cell_x(wg, lid, j);
    if (x < params.n && y < params.n) {
      let g = cell_index(wg.z, x, y);
      let f1 = (conv[j] - u[g] + params.h) * params.invTau;
      drift[g] = f1;
      value += observe(g, f1);
    }
  }
  reduce_workgroup(wg, li, value, groups);
}

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

fn cell_of(gid: vec3u) -> u32 {
  return cell_index(gid.z, gid.x, gid.y);
}

// Stencils wider than MAX_RADIUS, one cell per thread over 8×16 workgroups:
// every tap read from global memory.
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
      acc += weights[w] * transfer(u[base + y * n + x]);
      w++;
    }
  }
  return acc;
}

@compute @workgroup_size(8, 16)
fn drift_direct(@builtin(global_invocation_id) gid: vec3u) {
  if (in_grid(gid)) {
    let g = cell_of(gid);
    drift[g] = (direct_convolution(gid) - u[g] + params.h) * params.invTau;
  }
}

@compute @workgroup_size(8, 16)
fn drift_direct_observed(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                         @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  var value = vec3f(0.0);
  if (in_grid(gid)) {
    let g = cell_of(gid);
    let f1 = (direct_convolution(gid) - u[g] + params.h) * params.invTau;
    drift[g] = f1;
    value = observe(g, f1);
  }
  reduce_workgroup(wg, li, value, groups);
}

// The spectral path's last step: K f(u) is already in `convolved`.
@compute @workgroup_size(8, 16)
fn drift_spectral(@builtin(global_invocation_id) gid: vec3u) {
  if (in_grid(gid)) {
    let g = cell_of(gid);
    drift[g] = (convolved[g].x - u[g] + params.h) * params.invTau;
  }
}

@compute @workgroup_size(8, 16)
fn drift_spectral_observed(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                           @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  var value = vec3f(0.0);
  if (in_grid(gid)) {
    let g = cell_of(gid);
    let f1 = (convolved[g].x - u[g] + params.h) * params.invTau;
    drift[g] = f1;
    value = observe(g, f1);
  }
  reduce_workgroup(wg, li, value, groups);
}
