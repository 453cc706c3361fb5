"""The amari-ep model stepped by NumPy/SciPy: the peer a user would write instead.

Written from the spec (../shared/spec/model.md), not from amari-ep's code:
white noise, Euler-Maruyama, the linear/sigmoid/tanh transfers, Gaussian and
mexican-hat kernels on the rectangular stencil, and the per-cell
entropy-production accumulation of spec section 4, so that one timed step does
the same work as one step of amari-ep with its estimator attached; and the
same step without the entropy sums, the like of amari-ep's engine with nothing
observing it.

Grids of spec section 7: n cells a side or [nx, ny], length L or [Lx, Ly];
fields are arrays of shape [ny, nx] (row = y), dx = Lx/nx, dy = Ly/ny, and the
cell area a = dx*dy stands for dx^2 everywhere. Rings (dimensions 1) are not
stepped here.

Two convolutions: scipy.fft (circular convolution by the transform of the
stencil wrapped onto the torus) and scipy.ndimage.convolve(mode='wrap'), a
direct stencil. Both run single-threaded, as amari-ep's CPU reference does.
Three timed methods: fft and direct with the entropy sums, fft-noest without.

  numpy_step.py check DIR      steps DIR/config.json from DIR/u0.npy with the
                               normals in DIR/xi.npy and compares the field and
                               (methods with the estimator) the entropy sums
                               with DIR/expected*.npy
  numpy_step.py time CONFIG --seconds S --repeats R
                               cell-steps per second of each method (median,
                               min, max of the repeats after one warm-up), each
                               timed run sized to last about S seconds; fft and
                               fft-noest step the same normals the same number
                               of steps and must end on the same field
Prints one JSON object.
"""
import json
import math
import sys
import time

import numpy as np
import scipy.fft
import scipy.ndimage


def geometry(cfg):
    """(nx, ny, dx, dy) of a 2-D grid; a ring is refused."""
    g = cfg["grid"]
    if g.get("dimensions", 2) != 2:
        raise SystemExit("the NumPy peer steps 2-D grids only (grid.dimensions = 1 is a ring)")
    n, L = g["n"], g["length"]
    nx, ny = n if isinstance(n, list) else (n, n)
    lx, ly = L if isinstance(L, list) else (L, L)
    return nx, ny, lx / nx, ly / ny


def stencil(cfg):
    """W[my + ry, mx + rx] = a * w(mx*dx, my*dy) on |mx| <= ceil(R/dx), |my| <= ceil(R/dy)."""
    _, _, dx, dy = geometry(cfg)
    k = cfg["kernel"]
    sx, sy = k.get("shift", [0, 0])
    if k["type"] == "gaussian":
        parts = [(k["amplitude"], k["sigma"])]
    else:
        parts = [(k["excitation"]["amplitude"], k["excitation"]["sigma"]),
                 (-k["inhibition"]["amplitude"], k["inhibition"]["sigma"])]
    reach = k.get("radius", math.hypot(sx, sy) + 4 * max(s for _, s in parts))
    rx, ry = math.ceil(reach / dx), math.ceil(reach / dy)
    X, Y = np.meshgrid(np.arange(-rx, rx + 1) * dx, np.arange(-ry, ry + 1) * dy)  # [my, mx]
    W = np.zeros_like(X)
    for a, s in parts:
        W += a / (2 * np.pi * s * s) * np.exp(-((X - sx) ** 2 + (Y - sy) ** 2) / (2 * s * s))
    return dx * dy * W, rx, ry


def transfer(cfg):
    t = cfg["transfer"]
    if t["type"] == "linear":
        return lambda u: t["slope"] * u
    if t["type"] == "sigmoid":
        return lambda u: 1.0 / (1.0 + np.exp(-t["gain"] * (u - t["threshold"])))
    return lambda u: np.tanh(t["gain"] * (u - t["threshold"]))


class Model:
    def __init__(self, cfg, method):
        self.nx, self.ny, dx, dy = geometry(cfg)
        area = dx * dy
        self.dt, self.tau, self.h = cfg["dt"], cfg["tau"], cfg.get("input", 0.0)
        D = cfg["noise"]["amplitude"]
        self.scale = math.sqrt(2 * D * self.dt / area)
        self.weight = area / (2 * D)
        self.f = transfer(cfg)
        W, rx, ry = stencil(cfg)
        self.method = method
        if method == "fft":
            torus = np.zeros((self.ny, self.nx))
            for my in range(-ry, ry + 1):
                for mx in range(-rx, rx + 1):
                    torus[my % self.ny, mx % self.nx] += W[my + ry, mx + rx]
            self.kernel_hat = scipy.fft.rfft2(torus)
        else:
            self.W = W

    def conv(self, v):
        if self.method == "fft":
            return scipy.fft.irfft2(scipy.fft.rfft2(v) * self.kernel_hat, s=v.shape)
        return scipy.ndimage.convolve(v, self.W, mode="wrap")

    def drift(self, u):
        return (-u + self.conv(self.f(u)) + self.h) / self.tau

    def run(self, u, normals, F=None):
        """Steps u through the given normals from the drift F at u (computed here if not given);
        returns the field, the per-step entropy sums and the density."""
        F = self.drift(u) if F is None else F
        density = np.zeros_like(u)
        sums = []
        for xi in normals:
            u1 = u + self.dt * F + self.scale * xi
            F1 = self.drift(u1)
            s = self.weight * ((u1 - u) * (F + F1) + 0.5 * self.dt * (F1 * F1 - F * F))
            density += s
            sums.append(float(s.sum()))
            u, F = u1, F1
        return u, np.array(sums), density

    def run_plain(self, u, normals, F=None):
        """The same steps with no estimator: noise, convolution, update. Returns the field."""
        F = self.drift(u) if F is None else F
        for xi in normals:
            u = u + self.dt * F + self.scale * xi
            F = self.drift(u)
        return u


# Timed methods: (convolution, with the entropy sums).
METHODS = {"fft": ("fft", True), "fft-noest": ("fft", False), "direct": ("direct", True)}


def same_field(with_estimator, without, tolerance=0.0):
    """The no-estimator run must end on the with-estimator run's field (observers do not change the
    dynamics); NumPy repeats the same operations, so to the bit. Returns the relative difference."""
    scale = float(np.max(np.abs(with_estimator)))
    difference = float(np.max(np.abs(without - with_estimator))) / scale
    if not difference <= tolerance:
        raise SystemExit(f"fft-noest: output check failed: its field differs from the fft run's by {difference:.3g} "
                         f"of the field's largest value (tolerance {tolerance})")
    return difference


def check(folder):
    cfg = json.load(open(f"{folder}/config.json"))
    u0 = np.load(f"{folder}/u0.npy")
    xi = np.load(f"{folder}/xi.npy")
    expected = np.load(f"{folder}/expected.npy")
    expected_sums = np.load(f"{folder}/expected_sums.npy")
    out = {}
    for name, (method, estimator) in METHODS.items():
        model = Model(cfg, method)
        if estimator:
            u, sums, _ = model.run(u0, xi)
            entropy = float(np.max(np.abs(sums - expected_sums)) / np.max(np.abs(expected_sums)))
        else:
            u, entropy = model.run_plain(u0, xi), None
        out[name] = {
            "fieldRelativeError": float(np.max(np.abs(u - expected)) / np.max(np.abs(expected))),
            "entropyRelativeError": entropy,
        }
    print(json.dumps(out))


MAX_STEPS = 500


def timing(config_path, seconds, repeats):
    cfg = json.load(open(config_path))
    nx, ny, _, _ = geometry(cfg)
    u0 = 0.1 + 0.01 * np.random.default_rng(0).standard_normal((ny, nx))
    out = {"numpy": np.__version__, "scipy": __import__("scipy").__version__}
    last = {}
    steps = None
    for name, (method, estimator) in METHODS.items():
        model = Model(cfg, method)
        # The drift at u0 is state, as amari-ep's engines hold it from their start: not timed.
        F0 = model.drift(u0)

        def once(count, run_index):
            # Run k of every method draws the same normals (inside the step, as amari-ep draws its own).
            rng = np.random.default_rng([1, run_index])
            normals = (rng.standard_normal((ny, nx)) for _ in range(count))
            start = time.perf_counter()
            if estimator:
                u, sums, _ = model.run(u0, normals, F0)
            else:
                u, sums = model.run_plain(u0, normals, F0), np.zeros(1)
            elapsed = time.perf_counter() - start
            if not (np.all(np.isfinite(u)) and np.all(np.isfinite(sums))) or np.array_equal(u, u0):
                raise SystemExit(f"{name}: output check failed (non-finite or unchanged field)")
            last[name] = u
            return elapsed

        # Sized on this method's own step, except fft-noest, which takes the fft run's count so that
        # both end on comparable fields.
        per_step = once(1, 0)
        count = steps if name == "fft-noest" else max(1, min(MAX_STEPS, round(seconds / per_step)))
        if name == "fft":
            steps = count
        rates = sorted(nx * ny * count / once(count, r + 1) for r in range(repeats))
        out[name] = {"median": rates[len(rates) // 2], "min": rates[0], "max": rates[-1], "steps": count}
    out["noEstimatorFieldDifference"] = same_field(last["fft"], last["fft-noest"])
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        timing(sys.argv[2], float(args.get("--seconds", 0.3)), int(args.get("--repeats", 3)))
