// The tiled stencil convolution. A workgroup of DRIFT_WORKGROUP_X ×
// DRIFT_WORKGROUP_Y = 128 threads computes a TILE_X × TILE_Y tile of F (32×16
// on a 2-D grid, 512×1 on a ring: src/gpu/layout/tiles.ts), each thread
// PER_THREAD = 4 neighbouring cells along x. It first stages f(u) over the
// tile and its halo of rx cells left and right and ry cells above and below,
// a (TILE_X + 2rx) × (TILE_Y + 2ry) block, in workgroup memory: the threads
// load it in ceil(span/128) rounds, wrapping periodically on the nx × ny
// torus. Each thread then slides a window of four staged values along each
// stencil row, so every staged value and weight it reads serves four outputs
// (the CPU reference does the same in registers). The weights come flipped,
// flipped[dy·sizeX + dx] = W[rx − dx, ry − dy], so the convolution reads as a
// correlation over the tile. rx ≤ MAX_TILED_RADIUS = 16 and ry ≤
// MAX_TILED_RADIUS_Y (16; 0 on a ring, whose stencils have no y radius): at
// most 64 × 48 floats, 12 KiB, on a 2-D grid, 544 floats on a ring.
//
// Partial tiles (nx or ny not a multiple of the tile, or a grid narrower than
// one) stage wrapped values past the grid's edge like any other: the
// out-of-grid threads load and synchronise but write nothing.

const MAX_SPAN_X: u32 = TILE_X + 2u * MAX_TILED_RADIUS;
const MAX_SPAN_Y: u32 = TILE_Y + 2u * MAX_TILED_RADIUS_Y;
const TILE_THREADS: u32 = DRIFT_WORKGROUP_X * DRIFT_WORKGROUP_Y;

var<workgroup> staged: array<f32, MAX_SPAN_X * MAX_SPAN_Y>;

fn stage_tile(wg: vec3u, lid: u32) {
  let nx = params.nx;
  let ny = params.ny;
  let rx = params.radiusX;
  let ry = params.radiusY;
  let spanX = TILE_X + 2u * rx;
  let spanY = TILE_Y + 2u * ry;
  // r < n on each axis (the stencil fits the grid), so x + n − r never underflows.
  for (var k = lid; k < spanX * spanY; k += TILE_THREADS) {
    let ty = k / spanX;
    let tx = k - ty * spanX;
    let gx = (wg.x * TILE_X + tx + nx - rx) % nx;
    let gy = (wg.y * TILE_Y + ty + ny - ry) % ny;
    staged[k] = transfer(u[cell_index(wg.z, gx, gy)], plane_index(gx, gy), wg.z);
  }
  workgroupBarrier();
}

// K f(u) at the thread's four cells (local x = 4·lx .. 4·lx + 3, local y = ly).
fn tile_convolution(local: vec2u) -> vec4f {
  let sizeX = 2u * params.radiusX + 1u;
  let sizeY = 2u * params.radiusY + 1u;
  let spanX = TILE_X + 2u * params.radiusX;
  var acc = vec4f(0.0);
  var w = 0u;
  for (var dy = 0u; dy < sizeY; dy++) {
    let row = (local.y + dy) * spanX + local.x * PER_THREAD;
    var window = vec4f(0.0, staged[row], staged[row + 1u], staged[row + 2u]);
    for (var dx = 0u; dx < sizeX; dx++) {
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
    if (x < params.nx && y < params.ny) {
      let g = cell_index(wg.z, x, y);
      let cell = plane_index(x, y);
      let f1 = drift_at(g, cell, wg.z, conv[j]);
      drift[g] = f1;
      observed = observe_add(observed, g, cell, wg.z, f1);
    }
  }
  finish_observation(wg, li, observed, groups);
}
