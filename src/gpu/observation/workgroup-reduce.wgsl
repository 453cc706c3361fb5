// The first stage of the per-step reduction, shared by the kernels that
// observe a step: the workgroup's OBSERVE_THREADS values of CHUNKS vec4f each
// summed as a tree into partials[workgroup·CHUNKS + k], one chunk at a time
// through one vec4f per thread of workgroup memory (2 KiB, whatever the
// number of observers: the tiled drift keeps its 12 KiB of staged tile).

var<workgroup> sums: array<vec4f, OBSERVE_THREADS>;

fn reduce_workgroup(wg: vec3u, li: u32, value: array<vec4f, CHUNKS>, groups: vec3u) {
  let index = (wg.z * groups.y + wg.y) * groups.x + wg.x;
  var values = value;
  for (var chunk = 0u; chunk < CHUNKS; chunk++) {
    sums[li] = values[chunk];
    workgroupBarrier();
    for (var stride = OBSERVE_THREADS / 2u; stride > 0u; stride >>= 1u) {
      if (li < stride) {
        sums[li] += sums[li + stride];
      }
      workgroupBarrier();
    }
    if (li == 0u) {
      partials[index * CHUNKS + chunk] = sums[0];
    }
    workgroupBarrier();
  }
}
