"""The amari-ep model's FFT step in PyTorch on a CUDA GPU: the peer a user with a GPU would write.

It mirrors numpy_step.py's FFT method, with the same stencil wrapped onto the
torus (geometry, stencil and the spec they follow are numpy_step.py's, imported),
on the device: torch.fft.rfft2/irfft2, the update, the entropy-production sums of
spec section 4 (kept on the device: no host round trip per step, as a user who
cares about speed would write it) and the normals drawn there by torch.randn.
Timed in float32, amari-ep's GPU precision; checked in float64 and float32
against amari-ep's CPU reference. Each timed run is bracketed by
torch.cuda.synchronize(), so it counts the GPU's work, not its queueing.

  torch_step.py check DIR --dtype float64|float32
                               steps DIR/config.json from DIR/u0.npy with the
                               normals in DIR/xi.npy, with and without the
                               entropy sums, and compares with DIR/expected*.npy
  torch_step.py time CONFIG --seconds S --repeats R
                               cell-steps per second, float32, of fft (with the
                               entropy sums) and fft-noest (without): median,
                               min, max of the repeats, each run sized to last
                               about S seconds; both step the same normals the
                               same number of steps and must end on the same field
Prints one JSON object.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_step import geometry, stencil  # noqa: E402  (the spec's grid and stencil, written once)

DTYPES = {"float64": torch.float64, "float32": torch.float32}
MAX_STEPS = 10000
# float32 on a GPU: relative to the field's largest value (cuFFT repeats the same plan, so in practice 0).
SAME_FIELD_TOLERANCE = 1e-5


def transfer(cfg):
    t = cfg["transfer"]
    if t["type"] == "linear":
        return lambda u: t["slope"] * u
    if t["type"] == "sigmoid":
        return lambda u: torch.sigmoid(t["gain"] * (u - t["threshold"]))
    return lambda u: torch.tanh(t["gain"] * (u - t["threshold"]))


class Model:
    def __init__(self, cfg, device, dtype):
        self.nx, self.ny, dx, dy = geometry(cfg)
        area = dx * dy
        self.dt, self.tau, self.h = cfg["dt"], cfg["tau"], cfg.get("input", 0.0)
        D = cfg["noise"]["amplitude"]
        self.scale = math.sqrt(2 * D * self.dt / area)
        self.weight = area / (2 * D)
        self.f = transfer(cfg)
        W, rx, ry = stencil(cfg)
        torus = np.zeros((self.ny, self.nx))
        for my in range(-ry, ry + 1):
            for mx in range(-rx, rx + 1):
                torus[my % self.ny, mx % self.nx] += W[my + ry, mx + rx]
        self.kernel_hat = torch.fft.rfft2(torch.as_tensor(torus, dtype=dtype, device=device))

    def drift(self, u):
        conv = torch.fft.irfft2(torch.fft.rfft2(self.f(u)) * self.kernel_hat, s=u.shape)
        return (conv - u + self.h) / self.tau

    def run(self, u, normals, F, estimator):
        """Steps u through the normals from the drift F at u; returns the field and (with the
        estimator) the per-step entropy sums, a tensor on the device."""
        sums = []
        density = torch.zeros_like(u) if estimator else None
        for xi in normals:
            u1 = u + self.dt * F + self.scale * xi
            F1 = self.drift(u1)
            if estimator:
                s = self.weight * ((u1 - u) * (F + F1) + 0.5 * self.dt * (F1 * F1 - F * F))
                density += s
                sums.append(s.sum())
            u, F = u1, F1
        return u, (torch.stack(sums) if sums else torch.zeros(1, device=u.device))


def device():
    """CUDA, the peer's purpose; TORCH_PEER_DEVICE=cpu runs it on the CPU (the tests, where no GPU is)."""
    name = os.environ.get("TORCH_PEER_DEVICE", "cuda")
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("torch sees no CUDA device")
    return torch.device(name)


def synchronize(dev):
    """Waits for the device's queued work: a timed run ends when the GPU is done, not when Python is."""
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def check(folder, dtype_name):
    dev, dtype = device(), DTYPES[dtype_name]
    cfg = json.load(open(f"{folder}/config.json"))
    load = lambda name: torch.as_tensor(np.load(f"{folder}/{name}.npy"), dtype=dtype, device=dev)  # noqa: E731
    u0, xi, expected = load("u0"), load("xi"), load("expected")
    expected_sums = load("expected_sums")
    model = Model(cfg, dev, dtype)
    out = {}
    for name, estimator in (("fft", True), ("fft-noest", False)):
        u, sums = model.run(u0, xi, model.drift(u0), estimator)
        entropy = float((sums - expected_sums).abs().max() / expected_sums.abs().max()) if estimator else None
        out[name] = {"fieldRelativeError": float((u - expected).abs().max() / expected.abs().max()), "entropyRelativeError": entropy}
    print(json.dumps(out))


def timing(config_path, seconds, repeats):
    dev, dtype = device(), torch.float32
    cfg = json.load(open(config_path))
    nx, ny, _, _ = geometry(cfg)
    model = Model(cfg, dev, dtype)
    u0 = torch.as_tensor(0.1 + 0.01 * np.random.default_rng(0).standard_normal((ny, nx)), dtype=dtype, device=dev)
    # The drift at u0 is state, as amari-ep's engines hold it from their start: not timed.
    F0 = model.drift(u0)
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
    out = {"torch": torch.__version__, "device": name, "dtype": "float32"}
    last = {}

    def once(name, estimator, count, run_index):
        # Run k of both methods draws the same normals, on the device, inside the step.
        generator = torch.Generator(device=dev)
        generator.manual_seed(1000 + run_index)
        normals = (torch.randn((ny, nx), generator=generator, device=dev, dtype=dtype) for _ in range(count))
        synchronize(dev)
        start = time.perf_counter()
        u, sums = model.run(u0, normals, F0, estimator)
        synchronize(dev)
        elapsed = time.perf_counter() - start
        if not (bool(torch.isfinite(u).all()) and bool(torch.isfinite(sums).all())) or torch.equal(u, u0):
            raise SystemExit(f"{name}: output check failed (non-finite or unchanged field)")
        last[name] = u
        return elapsed

    # Warm up (CUDA context, cuFFT plans, kernels), then size the runs on ten steps of fft with the
    # estimator; fft-noest takes the same count so that both end on comparable fields.
    once("fft", True, 2, 0)
    per_step = once("fft", True, 10, 0) / 10
    count = max(1, min(MAX_STEPS, round(seconds / per_step)))
    for name, estimator in (("fft", True), ("fft-noest", False)):
        once(name, estimator, 1, 0)
        rates = sorted(nx * ny * count / once(name, estimator, count, r + 1) for r in range(repeats))
        out[name] = {"median": rates[len(rates) // 2], "min": rates[0], "max": rates[-1], "steps": count}
    a, b = last["fft"], last["fft-noest"]
    difference = float((b - a).abs().max() / a.abs().max())
    if not difference <= SAME_FIELD_TOLERANCE:
        raise SystemExit(f"fft-noest: output check failed: its field differs from the fft run's by {difference:.3g} "
                         f"of the field's largest value (tolerance {SAME_FIELD_TOLERANCE})")
    out["noEstimatorFieldDifference"] = difference
    print(json.dumps(out))


if __name__ == "__main__":
    args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    if sys.argv[1] == "check":
        check(sys.argv[2], args.get("--dtype", "float64"))
    else:
        timing(sys.argv[2], float(args.get("--seconds", 0.3)), int(args.get("--repeats", 3)))
