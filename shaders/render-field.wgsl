// Draws a field straight from the engine's storage buffer (no read-back):
// a full-screen triangle whose fragments map through the inverse view
// transform (pan and zoom) onto the torus, which repeats when zoomed out.
// Values map linearly from [lo, hi] onto a 256-entry colour table.

struct View {
  inverse: mat3x3f,  // clip space → field units (one unit = the whole side), y up
  lo: f32,
  hi: f32,
  n: u32,
  scale: f32,        // multiplies the stored value (the density map's 1/(T·Δx²))
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

@fragment
fn fs(in: Varyings) -> @location(0) vec4f {
  let p = (view.inverse * vec3f(in.clip, 1.0)).xy;
  let wrapped = p - floor(p);
  let n = view.n;
  let ix = min(u32(wrapped.x * f32(n)), n - 1u);
  let iy = min(u32(wrapped.y * f32(n)), n - 1u);
  let value = field[iy * n + ix] * view.scale;
  let t = clamp((value - view.lo) / (view.hi - view.lo), 0.0, 1.0);
  return colours[u32(round(t * 255.0))];
}
