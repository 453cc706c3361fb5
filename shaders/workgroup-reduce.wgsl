// The first stage of the per-step reduction, shared by the kernels that
// observe a step: the workgroup's THREADS values (entropy, u − ref, (u − ref)²)
// summed as a tree into partials[3·workgroup + 0..2]. The including module
// declares THREADS and the `partials` binding.

var<workgroup> sums: array<vec3f, THREADS>;

fn reduce_workgroup(wg: vec3u, li: u32, value: vec3f, groups: vec3u) {
  sums[li] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride >>= 1u) {
    if (li < stride) {
      sums[li] += sums[li + stride];
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    let index = (wg.z * groups.y + wg.y) * groups.x + wg.x;
    partials[3u * index] = sums[0].x;
    partials[3u * index + 1u] = sums[0].y;
    partials[3u * index + 2u] = sums[0].z;
  }
}
