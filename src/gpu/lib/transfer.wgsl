// f(u) of docs/model.md §1 at a cell of a replica. TRANSFER picks the function when the pipeline is
// made: 0 linear (slope = gain), 1 sigmoid, 2 tanh. The gain is read through
// gain_at(cell, replica) (generated: the uniform, a per-cell map, or a batch's per-replica value).
override TRANSFER: u32 = 0u;

fn transfer(u: f32, cell: u32, replica: u32) -> f32 {
  switch TRANSFER {
    case 1u: { return 1.0 / (1.0 + exp(-gain_at(cell, replica) * (u - params.threshold))); }
    case 2u: { return tanh(gain_at(cell, replica) * (u - params.threshold)); }
    default: { return gain_at(cell, replica) * u; }
  }
}
