// Second stage of the per-step reduction: the workgroup partials that
// drift.wgsl wrote for this step (three sums per workgroup: entropy, u − ref,
// (u − ref)²) become one row per replica of the window's totals. One
// workgroup per replica (a replica's partials are contiguous): 256 threads
// stride over them, then reduce as a tree (a tree, not compensated sums: WGSL
// may reassociate those away); the host adds the rows up in float64.

const THREADS: u32 = 256u;

@group(0) @binding(0) var<uniform> params: SimParams;
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> totals: array<f32>;

var<workgroup> sums: array<vec3f, THREADS>;

@compute @workgroup_size(256)
fn reduce_step(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3u,
               @builtin(num_workgroups) groups: vec3u) {
  let replica = wg.x;
  let first = replica * params.partialsPerReplica;
  var acc = vec3f(0.0);
  for (var k = first + li; k < first + params.partialsPerReplica; k += THREADS) {
    acc += vec3f(partials[3u * k], partials[3u * k + 1u], partials[3u * k + 2u]);
  }
  sums[li] = acc;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride >>= 1u) {
    if (li < stride) {
      sums[li] += sums[li + stride];
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    let row = 3u * (stepParams.slot * groups.x + replica);
    totals[row] = sums[0].x;
    totals[row + 1u] = sums[0].y;
    totals[row + 2u] = sums[0].z;
  }
}
