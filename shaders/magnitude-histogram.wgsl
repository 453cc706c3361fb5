// A histogram of |v| over the first `count` values of a buffer, for a
// percentile read on the host from 1024 counts instead of n² floats
// (demos/src/magnitude-histogram.ts).
//
// The bin is the top ten bits of |v|'s IEEE 754 pattern below the sign: its
// eight exponent bits and two mantissa bits, so every octave [2^e, 2^(e+1))
// splits into four bins [1, 1.25, 1.5, 1.75, 2)·2^e. No log2 (WGSL's is
// approximate, and would move values across bin edges): the bit pattern of a
// non-negative float grows with its value, so the bins are ordered, exact,
// and cover zero (bin 0), subnormals, infinity and NaN (bins 1020-1023, where
// a host sort puts NaN too: last).
//
// Each workgroup walks the buffer with a grid stride, counts into
// workgroup-shared atomics (cheap, contended only within the group), then
// adds its non-zero bins to the global histogram: one global atomic per bin
// per workgroup instead of one per value.

const BINS: u32 = 1024u;
const WORKGROUP: u32 = 256u;

struct Params {
  count: u32,
  // Threads in the whole dispatch: the grid stride.
  stride: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> histogram: array<atomic<u32>, BINS>;

var<workgroup> local_bins: array<atomic<u32>, BINS>;

@compute @workgroup_size(WORKGROUP)
fn count_magnitudes(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  // Workgroup memory starts zeroed in WGSL: no clearing pass.
  for (var i = gid.x; i < params.count; i += params.stride) {
    let bits = bitcast<u32>(values[i]) & 0x7fffffffu;
    atomicAdd(&local_bins[bits >> 21u], 1u);
  }
  workgroupBarrier();
  for (var b = lid; b < BINS; b += WORKGROUP) {
    let c = atomicLoad(&local_bins[b]);
    if (c > 0u) {
      atomicAdd(&histogram[b], c);
    }
  }
}
