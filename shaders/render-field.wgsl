// Draws a field straight from the engine's storage buffer (no read-back):
// a full-screen triangle whose fragments map through the inverse view
// transform (pan and zoom) onto the torus, which repeats when zoomed out.
// Values map linearly from [lo, hi] onto a 256-entry colour table.
//
// Each fragment reduces the cells its pixel covers. `footprint` is the side
// of a pixel in cells (from the view's scale, computed on the host). Below one
// cell per pixel the fragment reads the one cell under its centre, so cells
// zoomed in are crisp squares; above, it reads the square of cells around its
// centre, `footprint` cells on a side, and reduces them:
// - mean: their average (what the pixel shows on average);
// - extreme: their min and max, shown as whichever lies farther from the
//   middle of the colour range: a lone spike or hole survives the reduction
//   and is drawn in its own colour, where a mean would wash it out.
// At most MAX_TAPS cells per axis are read (MAX_TAPS² per fragment): beyond
// that the square is read with a stride, so a 4096² field on a canvas of a
// few hundred pixels costs at most 256 reads per pixel, whatever the zoom.

const MAX_TAPS: u32 = 16u;
const REDUCE_MEAN: u32 = 0u;

struct View {
  inverse: mat3x3f,  // clip space → field units (one unit = the whole side), y up
  lo: f32,
  hi: f32,
  n: u32,
  scale: f32,        // multiplies the stored value (the density map's 1/(T·Δx²))
  footprint: f32,    // cells per pixel side
  reduce: u32,       // REDUCE_MEAN, or the extreme
}

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
  let n = i32(view.n);
  let ix = ((x % n) + n) % n;
  let iy = ((y % n) + n) % n;
  return field[u32(iy * n + ix)];
}

@fragment
fn fs(in: Varyings) -> @location(0) vec4f {
  let p = (view.inverse * vec3f(in.clip, 1.0)).xy;
  let wrapped = p - floor(p);
  let nf = f32(view.n);
  var value: f32;
  if (view.footprint <= 1.0) {
    value = cell(i32(min(wrapped.x * nf, nf - 1.0)), i32(min(wrapped.y * nf, nf - 1.0)));
  } else {
    // The cells whose centres lie in the pixel: `side` of them from `first`, every `stride`-th read.
    let side = u32(ceil(view.footprint));
    let stride = (side + MAX_TAPS - 1u) / MAX_TAPS;
    let first = vec2i(floor(wrapped * nf - 0.5 * view.footprint + 0.5));
    var sum = 0.0;
    var lo = cell(first.x, first.y);
    var hi = lo;
    var count = 0.0;
    for (var dy = 0u; dy < side; dy += stride) {
      for (var dx = 0u; dx < side; dx += stride) {
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
    value = select(extreme, sum / count, view.reduce == REDUCE_MEAN);
  }
  let shown = value * view.scale;
  let t = clamp((shown - view.lo) / (view.hi - view.lo), 0.0, 1.0);
  return colours[u32(round(t * 255.0))];
}
