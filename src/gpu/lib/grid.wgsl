// The grid as every engine pass indexes it (docs/model.md §2, §7): nx × ny
// cells, flat index iy·nx + ix within a replica (row = y; a ring is one row,
// ny = 1), replicas of nx·ny cells one after another along z. Threads beyond
// the grid (a dispatch rounds up to whole workgroups) do nothing.

fn in_grid(gid: vec3u) -> bool {
  return gid.x < params.nx && gid.y < params.ny;
}

// The index of cell (x, y) within a replica: what the coefficient maps and
// the Philox counter's cell word use.
fn plane_index(x: u32, y: u32) -> u32 {
  return y * params.nx + x;
}

// The index of cell (x, y) of replica z in the replica-major field buffers.
fn cell_index(z: u32, x: u32, y: u32) -> u32 {
  return (z * params.ny + y) * params.nx + x;
}
