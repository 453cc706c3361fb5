// The separable stencil's first pass on a 2-D grid: per term, the row
// convolution of f(u) (row-convolution.wgsl) into `rows`, read by the column
// pass (separable.wgsl). One workgroup per row segment, rows along y,
// replicas along z.

@compute @workgroup_size(SEPARABLE_ROW_THREADS, 1)
fn separable_rows(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let x0 = wg.x * SEPARABLE_ROW_TILE;
  stage_row(x0, wg.y, wg.z, li);
  let acc = row_convolution(li);
  for (var j = 0u; j < ROW_CELLS; j++) {
    let x = x0 + li * ROW_CELLS + j;
    if (x < params.nx) {
      rows[cell_index(wg.z, x, wg.y)] = acc[j];
    }
  }
}
