// Draws a field straight from a storage buffer (no read-back): a full-screen
// triangle whose fragments map through the inverse view transform (pan and
// zoom) onto the torus, which repeats when zoomed out. The buffer holds
// nx × ny cells, flat index iy·nx + ix (row = y, drawn upwards); the domain
// may be a rectangle and its cells need not be square, so every length below
// is per axis. Values map linearly from [lo, hi] onto a 256-entry colour table.
//
// `row_offset` rotates the rows: logical row y is stored at row
// (y + row_offset) mod ny. A ring's space-time strip (demos/src/space-time-strip.ts)
// is a ring buffer of rows; the offset draws its newest row at the bottom
// without moving any data. Logical rows from `rows_shown` up hold nothing yet
// (a strip still filling): their pixels are the page's background.
//
// Each fragment reduces the cells its pixel covers. `footprint` is the side
// of a pixel in cells along x and y (from the view's scale, computed on the
// host). Along an axis where it is at most one cell, the fragment reads the
// one cell under its centre, so cells zoomed in are crisp; along an axis where
// it is more, it reads the `footprint` cells around its centre, and reduces
// the block:
// - mean: their average (what the pixel shows on average);
// - extreme: their min and max, shown as whichever lies farther from the
//   middle of the colour range: a lone spike or hole survives the reduction
//   and is drawn in its own colour, where a mean would wash it out.
// At most MAX_TAPS cells per axis are read (MAX_TAPS² per fragment): beyond
// that the block is read with a stride, so a 4096² field on a canvas of a
// few hundred pixels costs at most 256 reads per pixel, whatever the zoom.

const MAX_TAPS: u32 = 16u;
const REDUCE_MEAN: u32 = 0u;

struct View {
  inverse: mat3x3f,    // clip space → periods of the torus along x and y, y up
  lo: f32,
  hi: f32,
  nx: u32,
  ny: u32,
  footprint: vec2f,    // cells per pixel side, along x and y
  scale: f32,          // multiplies the stored value (the density map's 1/(T·a))
  reduce: u32,         // REDUCE_MEAN, or the extreme
  row_offset: u32,     // logical row y is stored at (y + row_offset) mod ny
  rows_shown: u32,     // logical rows below this hold data; the rest is background
}

// The canvas's clear colour (demos/src/field-view.ts): rows with no data yet look like no panel.
const BACKGROUND = vec4f(0.1, 0.1, 0.1, 1.0);

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> field: array<f32>;
@group(0) @binding(2) var<uniform> colours: array<vec4f, 256>;

struct Varyings {
  @builtin(position) position: vec4f,
  @location(0) clip: vec2f,
}

@vertex
fn vs(@builtin(vertex_index) index: u32) -> Varyings {
  let corner = vec2f(f32((index << 1u) & 2u), f32(index & 2u)) * 2.0 - 1.0;
  var out: Varyings;
  out.position = vec4f(corner, 0.0, 1.0);
  out.clip = corner;
  return out;
}

// The cell (x, y) on the torus, any integers.
fn cell(x: i32, y: i32) -> f32 {
  let nx = i32(view.nx);
  let ny = i32(view.ny);
  let ix = ((x % nx) + nx) % nx;
  let iy = ((y % ny) + ny) % ny;
  let row = (u32(iy) + view.row_offset) % view.ny;
  return field[row * view.nx + u32(ix)];
}

// Along one axis of n cells, at `w` periods (in [0, 1)) with a footprint of
// `f` cells: the first cell of the pixel's block, and how many it spans.
fn first_cell(w: f32, n: f32, f: f32) -> i32 {
  if (f <= 1.0) {
    return i32(min(w * n, n - 1.0));
  }
  return i32(floor(w * n - 0.5 * f + 0.5));
}

fn block_side(f: f32) -> u32 {
  return select(1u, u32(ceil(f)), f > 1.0);
}

@fragment
fn fs(in: Varyings) -> @location(0) vec4f {
  let p = (view.inverse * vec3f(in.clip, 1.0)).xy;
  let wrapped = p - floor(p);
  if (u32(min(wrapped.y * f32(view.ny), f32(view.ny) - 1.0)) >= view.rows_shown) {
    return BACKGROUND;
  }
  let first = vec2i(
    first_cell(wrapped.x, f32(view.nx), view.footprint.x),
    first_cell(wrapped.y, f32(view.ny), view.footprint.y),
  );
  // The cells whose centres lie in the pixel: `side` of them from `first` per axis, every `stride`-th read.
  let side = vec2u(block_side(view.footprint.x), block_side(view.footprint.y));
  let stride = (side + vec2u(MAX_TAPS - 1u)) / MAX_TAPS;
  var sum = 0.0;
  var lo = cell(first.x, first.y);
  var hi = lo;
  var count = 0.0;
  for (var dy = 0u; dy < side.y; dy += stride.y) {
    for (var dx = 0u; dx < side.x; dx += stride.x) {
      let v = cell(first.x + i32(dx), first.y + i32(dy));
      sum += v;
      lo = min(lo, v);
      hi = max(hi, v);
      count += 1.0;
    }
  }
  // Compared as drawn (times the scale, which is ≥ 0: min and max keep their order).
  let middle = 0.5 * (view.lo + view.hi);
  let extreme = select(lo, hi, hi * view.scale - middle > middle - lo * view.scale);
  let value = select(extreme, sum / count, view.reduce == REDUCE_MEAN);
  let shown = value * view.scale;
  let t = clamp((shown - view.lo) / (view.hi - view.lo), 0.0, 1.0);
  return colours[u32(round(t * 255.0))];
}
