// The moments of u_{n+1} about the reference: (u − ref, (u − ref)²).
fn variance_observe(c: ObservedCell) -> vec4f {
  let d = c.u_next - observer_params.variance_reference;
  return vec4f(d, d * d, 0.0, 0.0);
}
