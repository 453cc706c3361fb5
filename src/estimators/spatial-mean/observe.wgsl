// The field itself, summed over the cells: the spatial mean ⟨u⟩ once divided by their number.
fn mean_observe(c: ObservedCell) -> vec4f {
  return vec4f(c.u_next, 0.0, 0.0, 0.0);
}
