// docs/model.md §4 per cell: the log-ratio of the forward and reversed
// Euler–Maruyama transition densities,
//   s_i(n) = a/(2 D_i) · [ Δ_i (HF + HF′)_i + (dt/2)(F′_i (HF′)_i − F_i (HF)_i) ],
// H the inverse normalised noise covariance (the identity for white noise).
// Added to the density map; the sum over cells is this observer's one value.
fn entropy_observe(c: ObservedCell) -> vec4f {
  let f0 = observed_drift(c);
  let h0 = observed_inverse_drift(c);
  let h1 = observed_inverse_drift_next(c);
  let s = entropy_weight(c.cell, c.replica) * ((c.u_next - observed_u(c)) * (h0 + h1) + half_dt_at(c.replica) * (c.drift_next * h1 - f0 * h0));
  entropy_map[c.g] += s;
  return vec4f(s, 0.0, 0.0, 0.0);
}
