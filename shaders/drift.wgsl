// F(u) = (−u + K f(u) + h)/τ on an n×n torus, R replicas along z (spec §2),
// optionally fused with the entropy production of spec §4 and the moments of
// the field for the variance estimator.
//
// Tiling: a 16×16 workgroup computes a 16×16 tile of F. It first stages f(u)
// over the tile and its halo of `radius` cells on every side, a
// (16 + 2·radius)² block, in workgroup memory: 256 threads load it in
// ceil(span²/256) rounds, wrapping periodically. Each thread then sums the
// (2·radius + 1)² taps from workgroup memory alone. The weights come flipped,
// flipped[dy·size + dx] = W[r − dx, r − dy], so the convolution reads as a
// correlation over the tile. radius ≤ MAX_RADIUS = 16: 48² floats, 9 KiB.
//
// Grids smaller than a tile (n < 16) run with the out-of-grid threads loading
// and synchronising but writing nothing.

const TILE: u32 = 16u;
const MAX_RADIUS: u32 = 16u;
const MAX_SPAN: u32 = TILE + 2u * MAX_RADIUS;
const THREADS: u32 = TILE * TILE;

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> u: array<f32>;
@group(0) @binding(3) var<storage, read_write> drift: array<f32>;
// Observation only: the previous state, and what is accumulated.
@group(0) @binding(4) var<storage, read> uPrev: array<f32>;
@group(0) @binding(5) var<storage, read> driftPrev: array<f32>;
@group(0) @binding(6) var<storage, read_write> density: array<f32>;
@group(0) @binding(7) var<storage, read_write> partials: array<f32>;

var<workgroup> staged: array<f32, MAX_SPAN * MAX_SPAN>;
var<workgroup> sums: array<vec3f, THREADS>;

fn stage_tile(wg: vec3u, lid: u32) {
  let n = params.n;
  let r = params.radius;
  let span = TILE + 2u * r;
  let base = wg.z * n * n;
  for (var k = lid; k < span * span; k += THREADS) {
    let ty = k / span;
    let tx = k - ty * span;
    let gx = (wg.x * TILE + tx + n - r) % n;
    let gy = (wg.y * TILE + ty + n - r) % n;
    staged[k] = transfer(u[base + gy * n + gx]);
  }
  workgroupBarrier();
}

fn tile_convolution(local: vec2u) -> f32 {
  let size = 2u * params.radius + 1u;
  let span = TILE + 2u * params.radius;
  var acc = 0.0;
  var w = 0u;
  for (var dy = 0u; dy < size; dy++) {
    let row = (local.y + dy) * span + local.x;
    for (var dx = 0u; dx < size; dx++) {
      acc += weights[w] * staged[row + dx];
      w++;
    }
  }
  return acc;
}

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

fn cell_of(gid: vec3u) -> u32 {
  return gid.z * params.n * params.n + gid.y * params.n + gid.x;
}

@compute @workgroup_size(16, 16)
fn drift_tiled(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
               @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  stage_tile(wg, li);
  let conv = tile_convolution(lid.xy);
  if (in_grid(gid)) {
    let g = cell_of(gid);
    drift[g] = (conv - u[g] + params.h) * params.invTau;
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

fn reduce_workgroup(wg: vec3u, li: u32, value: vec3f, groups: vec3u) {
  sums[li] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride >>= 1u) {
    if (li < stride) {
      sums[li] += sums[li + stride];
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    let index = (wg.z * groups.y + wg.y) * groups.x + wg.x;
    partials[3u * index] = sums[0].x;
    partials[3u * index + 1u] = sums[0].y;
    partials[3u * index + 2u] = sums[0].z;
  }
}

@compute @workgroup_size(16, 16)
fn drift_tiled_observed(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
                        @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32,
                        @builtin(num_workgroups) groups: vec3u) {
  stage_tile(wg, li);
  let conv = tile_convolution(lid.xy);
  var value = vec3f(0.0);
  if (in_grid(gid)) {
    let g = cell_of(gid);
    let f1 = (conv - u[g] + params.h) * params.invTau;
    drift[g] = f1;
    value = observe(g, f1);
  }
  reduce_workgroup(wg, li, value, groups);
}

// Stencils wider than MAX_RADIUS: every tap read from global memory.
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

@compute @workgroup_size(16, 16)
fn drift_direct(@builtin(global_invocation_id) gid: vec3u) {
  if (in_grid(gid)) {
    let g = cell_of(gid);
    drift[g] = (direct_convolution(gid) - u[g] + params.h) * params.invTau;
  }
}

@compute @workgroup_size(16, 16)
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
