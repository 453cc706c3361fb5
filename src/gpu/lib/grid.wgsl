// The grid as every engine pass indexes it (docs/model.md §2): n×n cells,
// flat index iy·n + ix within a replica, replicas one after another along z.
// Threads beyond the grid (a dispatch rounds up to whole workgroups) do nothing.

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.n && gid.y < params.n;
}

// The index of cell (x, y) of replica z in the replica-major field buffers.
fn cell_index(z: u32, x: u32, y: u32) -> u32 {
  return z * params.n * params.n + y * params.n + x;
}
