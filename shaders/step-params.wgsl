// The per-step uniform, bound with a dynamic offset: one 256-byte slot per step
// of a window, written once per window, so that no step needs a host round trip.
struct StepParams {
  step: u32,   // n: the Philox counter word c1 of this step's noise
  slot: u32,   // this step's row in the window's totals
}
@group(1) @binding(0) var<uniform> stepParams: StepParams;
