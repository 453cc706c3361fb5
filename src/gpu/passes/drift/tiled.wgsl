// The tiled stencil convolution. An 8×16 workgroup computes a 32×16 tile of F
// (TILE_X × TILE_Y), each thread PER_THREAD = 4 neighbouring cells along x. It
// first stages f(u) over the tile and its halo of `radius` cells on every
// side, a (32 + 2r) × (16 + 2r) block, in workgroup memory: the 128 threads
// load it in ceil(span²/128) rounds, wrapping periodically. Each thread then
// slides a window of four staged values along each stencil row, so every
// staged value and weight it reads serves four outputs (the CPU reference
// does the same in registers). The weights come flipped,
// flipped[dy·size + dx] = W[r − dx, r − dy], so the convolution reads as a
// correlation over the tile. radius ≤ MAX_TILED_RADIUS = 16: 64 × 48 floats, 12 KiB.
//
// Grids narrower than a tile run with the out-of-grid threads loading and
// synchronising but writing nothing.

const MAX_SPAN_X: u32 = TILE_X + 2u * MAX_TILED_RADIUS;
const MAX_SPAN_Y: u32 = TILE_Y + 2u * MAX_TILED_RADIUS;
const TILE_THREADS: u32 = DRIFT_WORKGROUP_X * DRIFT_WORKGROUP_Y;

var<workgroup> staged: array<f32, MAX_SPAN_X * MAX_SPAN_Y>;

fn stage_tile(wg: vec3u, lid: u32) {
  let n = params.n;
  let r = params.radius;
  let spanX = TILE_X + 2u * r;
  let spanY = TILE_Y + 2u * r;
  let base = wg.z * n * n;
  for (var k = lid; k < spanX * spanY; k += TILE_THREADS) {
    let ty = k / spanX;
    let tx = k - ty * spanX;
    let gx = (wg.x * TILE_X + tx + n - r) % n;
    let gy = (wg.y * TILE_Y + ty + n - r) % n;
    staged[k] = transfer(u[base + gy * n + gx], gy * n + gx);
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

@compute @workgroup_size(DRIFT_WORKGROUP_X, DRIFT_WORKGROUP_Y)
fn drift_tiled(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) groups: vec3u) {
  stage_tile(wg, li);
  let conv = tile_convolution(lid.xy);
  let y = wg.y * TILE_Y + lid.y;
  var observed = start_observation();
  for (var j = 0u; j < PER_THREAD; j++) {
    let x = wg.x * TILE_X + lid.x * PER_THREAD + j;
    if (x < params.n && y < params.n) {
      let g = cell_index(wg.z, x, y);
      let cell = y * params.n + x;
      let f1 = drift_at(g, cell, conv[j]);
      drift[g] = f1;
      observed = observe_add(observed, g, cell, wg.z, f1);
    }
  }
  finish_observation(wg, li, observed, groups);
}
