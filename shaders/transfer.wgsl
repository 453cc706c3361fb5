// f(u) of spec §1. TRANSFER picks the function when the pipeline is made:
// 0 linear (slope = gain), 1 sigmoid, 2 tanh.
override TRANSFER: u32 = 0u;

fn transfer(u: f32) -> f32 {
  switch TRANSFER {
    case 1u: { return 1.0 / (1.0 + exp(-params.gain * (u - params.threshold))); }
    case 2u: { return tanh(params.gain * (u - params.threshold)); }
    default: { return params.gain * u; }
  }
}
