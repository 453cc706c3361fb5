// 2-D complex FFT of R replicas of n×n values (vec2f: re, im), one dimension
// per dispatch. Twiddles tw[m] = exp(−2πi·m/n), m < n/2, are computed on the
// host in float64 (WGSL's sin and cos are only good to 2⁻¹¹).
//
// Shared path (n ≤ 2048): one 256-thread workgroup per line (a row, or a
// column: AXIS), one line per workgroup id (x: line, y: replica). The line is
// loaded in bit-reversed order into workgroup memory, then log2(n) radix-2
// decimation-in-time stages run in place between barriers, and the line is
// written back: every pass stays in workgroup memory.
//
// Global path (n > 2048, whose line does not fit workgroup memory): one
// dispatch per radix-2 Stockham stage, from `data` into `other` (the host
// swaps them between stages); `span` is that stage's half-length p. Output is
// in natural order after log2(n) stages.
//
// INVERSE uses conj(tw); neither direction scales by 1/n (the caller folds
// 1/n² into whatever it multiplies the spectrum by).

override AXIS: u32 = 0u;      // 0: rows (stride 1), 1: columns (stride n)
override INVERSE: u32 = 0u;

struct FftParams {
  n: u32,
  log2n: u32,
  span: u32,   // global path: this stage's p
  lines: u32,  // n (lines per replica)
}

@group(0) @binding(0) var<uniform> fft: FftParams;
@group(0) @binding(1) var<storage, read> tw: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> data: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> other: array<vec2f>;

const THREADS: u32 = 256u;
const MAX_SHARED: u32 = 2048u;
var<workgroup> line: array<vec2f, MAX_SHARED>;

fn element(replica: u32, lineIndex: u32, i: u32) -> u32 {
  let n = fft.n;
  if (AXIS == 0u) {
    return replica * n * n + lineIndex * n + i;
  }
  return replica * n * n + i * n + lineIndex;
}

fn twiddle(m: u32) -> vec2f {
  let w = tw[m];
  return select(w, vec2f(w.x, -w.y), INVERSE == 1u);
}

fn cmul(a: vec2f, b: vec2f) -> vec2f {
  return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(256)
fn fft_shared(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let n = fft.n;
  let bits = fft.log2n;
  for (var i = li; i < n; i += THREADS) {
    line[reverseBits(i) >> (32u - bits)] = data[element(wg.y, wg.x, i)];
  }
  workgroupBarrier();
  for (var half = 1u; half < n; half <<= 1u) {
    let stride = n / (2u * half);
    for (var j = li; j < n / 2u; j += THREADS) {
      let pos = j % half;
      let i0 = (j / half) * 2u * half + pos;
      let i1 = i0 + half;
      let t = cmul(twiddle(pos * stride), line[i1]);
      let a = line[i0];
      line[i0] = a + t;
      line[i1] = a - t;
    }
    workgroupBarrier();
  }
  for (var i = li; i < n; i += THREADS) {
    data[element(wg.y, wg.x, i)] = line[i];
  }
}

// One Stockham stage; threads cover n/2 butterflies per line, lines along y, replicas along z.
@compute @workgroup_size(256)
fn fft_global_stage(@builtin(global_invocation_id) gid: vec3u) {
  let n = fft.n;
  let j = gid.x;
  if (j >= n / 2u) {
    return;
  }
  let p = fft.span;
  let k = j % p;
  let a = data[element(gid.z, gid.y, j)];
  let b = cmul(twiddle(k * (n / (2u * p))), data[element(gid.z, gid.y, j + n / 2u)]);
  let o = (j - k) * 2u + k;
  other[element(gid.z, gid.y, o)] = a + b;
  other[element(gid.z, gid.y, o + p)] = a - b;
}
