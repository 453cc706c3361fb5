// The machine's own limits, measured on the same adapter as the engine:
//   copy:  dst = src over a large buffer, vec4<f32> per thread: achievable bandwidth
//          (bytes read + bytes written per second);
//   fma:   a long chain of fused multiply-adds on four independent vec4
//          accumulators per thread, no memory traffic inside the loop:
//          achievable float32 arithmetic rate (2 flops per FMA lane).
// One-dimensional dispatches of 256-thread workgroups, laid out in 2-D when
// they exceed 65,535 per dimension (row pitch `pitch` workgroups).

struct Bench {
  count: u32,       // vec4 elements (copy) or threads (fma)
  pitch: u32,       // workgroups per row of the dispatch
  iterations: u32,  // FMA loop trips
  seed: f32,
}

@group(0) @binding(0) var<uniform> bench: Bench;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

fn thread_index(wg: vec3u, li: u32) -> u32 {
  return (wg.y * bench.pitch + wg.x) * 256u + li;
}

@compute @workgroup_size(256)
fn copy(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = thread_index(wg, li);
  if (i < bench.count) {
    dst[i] = src[i];
  }
}

@compute @workgroup_size(256)
fn fma_chain(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = thread_index(wg, li);
  let x = f32(i) * 1e-9 + bench.seed;
  var a = vec4f(x, x + 1.0, x + 2.0, x + 3.0);
  var b = a + 0.5;
  var c = a + 0.25;
  var d = a + 0.125;
  let m = vec4f(0.999999);
  let k = vec4f(1e-7);
  for (var t = 0u; t < bench.iterations; t++) {
    a = fma(a, m, k);
    b = fma(b, m, k);
    c = fma(c, m, k);
    d = fma(d, m, k);
  }
  if (i < bench.count) {
    // Written so the chain is not dead code; 16 FMA lanes per trip.
    dst[i % arrayLength(&dst)] = a + b + c + d;
  }
}
