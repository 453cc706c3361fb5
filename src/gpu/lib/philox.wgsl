// Philox4x32-10 and its Box–Muller normal, exactly as docs/model.md §3 and src/rng/philox.ts.
// WGSL has no 64-bit integers and no mul-hi: the 32×32→64 product is built
// from 16-bit limbs, each partial product exact in u32.

fn mulhilo(a: u32, b: u32) -> vec2u {
  let aL = a & 0xffffu;
  let aH = a >> 16u;
  let bL = b & 0xffffu;
  let bH = b >> 16u;
  let ll = aL * bL;
  let lh = aL * bH;
  let hl = aH * bL;
  let hh = aH * bH;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  let hi = hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
  return vec2u(hi, a * b);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let p0 = mulhilo(0xd2511f53u, c.x);
    let p1 = mulhilo(0xcd9e8d57u, c.z);
    c = vec4u(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k = k + vec2u(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}

const TWO_PI: f32 = 6.283185307179586;

// The top 24 bits of two words, strictly inside (0, 1) and exact in f32; the
// angle 2π(u1 − ½) stays in [−π, π] where WGSL's cos keeps its accuracy.
fn normal_from_words(x0: u32, x1: u32) -> f32 {
  let u0 = (f32(x0 >> 8u) + 0.5) * 5.9604644775390625e-8;
  let u1 = (f32(x1 >> 8u) + 0.5) * 5.9604644775390625e-8;
  return sqrt(-2.0 * log(u0)) * cos(TWO_PI * (u1 - 0.5));
}

// The counter of (cell, step n, replica, stream), n = step_hi·2³² + step_lo:
// c1 = n mod 2³², and ⌊n/2³²⌋ above the stream's 8 bits in c3 (0 for n < 2³²,
// so those draws are the contract's own; docs/model.md §3, src/rng/philox.ts).
fn philox_counter(cell: u32, step_lo: u32, step_hi: u32, replica: u32, stream: u32) -> vec4u {
  return vec4u(cell, step_lo, replica, stream | (step_hi << 8u));
}

fn philox_normal(cell: u32, step_lo: u32, step_hi: u32, replica: u32, stream: u32, key: vec2u) -> f32 {
  let w = philox4x32(philox_counter(cell, step_lo, step_hi, replica, stream), key);
  return normal_from_words(w.x, w.y);
}
