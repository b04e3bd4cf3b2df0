"""High-precision simulation speed: the multi-word engine (double-double at 30 digits, quad-double at 60)
against the plain float64 loop, side by side in one run, plus the candidates it was chosen from.

    python benchmarks/precision_bench.py              # 10 x 50 and 1000 x 2000
    python benchmarks/precision_bench.py --quick      # fewer steps (noisier)
    python benchmarks/precision_bench.py --candidates # also the number types measured before choosing

Rows: the reference engine's per-step numpy loop (``run(..., engine="reference")``, float64: "the plain
loop", timed through its callback as in engine_bench.py), the 15-line naive numpy loop of
simulate_bench.py (no log-domain scaling), ``run(..., backend=backend_from_precision(30 | 60))`` (the
compiled double-double / quad-double engine, timed over the whole call after a warm-up that compiles or
loads the kernels) and the mpmath backend at 30 digits.  Ratios are plain-loop steps/s over the row's
steps/s (how many times slower than the plain loop).  Best of 3 (2 for mpmath); one BLAS thread.

Candidates (``--candidates``): the naive Inc-Adam loop on numpy object arrays of each number type at
~30 digits (100 bits), and on xprec's ddouble dtype; gmpy2 and xprec are not dependencies and are
measured only where installed.  One run on the 2-vCPU AMD EPYC of the README, under load, Inc-Adam:

| number type (naive loop)           | 10 x 50 steps/s | 1000 x 2000 steps/s |
|------------------------------------|-----------------|---------------------|
| float64 numpy                      | 94,847          | 65,007              |
| xprec ddouble (numpy dtype)        | 25,548          | 233                 |
| python-flint arb, 100 bits         | 14,872          | 415                 |
| gmpy2 mpfr, 100 bits               | 13,105          | 367                 |
| python-flint arb, 200 bits         | 9,735           | 324                 |
| gmpy2 mpfr, 200 bits               | 10,939          | 294                 |
| mpmath mpf, 30 digits              | 490             | 20                  |
| double-double, numba (this engine) | 146,045         | 4,548               |

Every Python-level number type pays ~0.1-1 us per element operation, 40-300x float64 at d = 2000;
only compiled multi-word arithmetic comes near the 5x target.  The engine rows of that run (Inc-Adam,
steps/s and times slower than the plain loop):

| size        | plain loop | naive loop | double-double[30] | quad-double[60] | mpmath[30]  |
|-------------|------------|------------|-------------------|-----------------|-------------|
| 10 x 50     | 40,948     | 104,446    | 146,045 (0.28x)   | 11,924 (3.4x)   | 413 (99x)   |
| 1000 x 2000 | 22,359     | 42,238     | 4,548 (4.9x)      | 291 (77x)       | 28 (787x)   |
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_bench import dataset, machine, plain_rate  # noqa: E402

from numerics.backend import backend_from_precision, mpmath_backend  # noqa: E402
from numerics.optimizers import make_optimizer, run  # noqa: E402

SIZES = ((10, 50), (1000, 2000))
OPTIMIZERS = (("inc-adam", {}), ("inc-signum", {}), ("adam-proxy", {}))


def naive_rate(X: np.ndarray, steps: int, conv=None, exp=np.exp, sqrt=np.sqrt, one=1.0) -> float:
    """steps/s of the naive Inc-Adam loop (simulate_bench.PLAIN) on ``conv``'s number type."""
    conv = conv or (lambda a: np.asarray(a, float))
    N, d = X.shape
    Xc, w, m, v = conv(X), conv(np.zeros(d)), conv(np.zeros(d)), conv(np.zeros(d))
    b1, b2 = conv(np.array([0.9]))[0], conv(np.array([0.999]))[0]
    c1, c2 = one - b1, one - b2
    t0 = time.perf_counter()
    for t in range(steps):
        x = Xc[t % N]
        g = -exp(-(x @ w)) * x
        m = b1 * m + c1 * g
        v = b2 * v + c2 * (g * g)
        w = w - conv(np.array([0.1 * (t + 2) ** -0.5]))[0] * (m / sqrt(v))
    return steps / (time.perf_counter() - t0)


def object_type(make, exp, sqrt):
    """(conv, exp, sqrt, one) for numpy object arrays of a Python number type."""
    e, s = np.frompyfunc(exp, 1, 1), np.frompyfunc(sqrt, 1, 1)
    conv = lambda a: np.frompyfunc(lambda x: make(float(x)), 1, 1)(np.asarray(a, float)).astype(object)  # noqa: E731
    return conv, (lambda x: e(x) if isinstance(x, np.ndarray) else exp(x)), s, make(1.0)


def candidates() -> dict:
    out = {}
    import flint
    import mpmath

    flint.ctx.prec = 100
    out["python-flint arb, 100 bits"] = object_type(flint.arb, lambda x: x.exp(), lambda x: x.sqrt())
    try:
        import gmpy2

        gmpy2.get_context().precision = 100
        out["gmpy2 mpfr, 100 bits"] = object_type(gmpy2.mpfr, gmpy2.exp, gmpy2.sqrt)
    except ImportError:
        print("(gmpy2 not installed: skipped)")
    try:
        import xprec

        dd = xprec.ddouble
        out["xprec ddouble"] = (lambda a: np.asarray(a, float).astype(dd), np.exp, np.sqrt,
                                np.array(1.0).astype(dd)[()])
    except ImportError:
        print("(xprec not installed: skipped)")
    mpmath.mp.dps = 30
    out["mpmath mpf, 30 digits"] = object_type(mpmath.mpf, mpmath.exp, mpmath.sqrt)
    return out


def compiled_rate(X, opt, steps: int, backend) -> tuple[float, float]:
    t = time.perf_counter()
    run(X, opt, 2, checkpoints=(2,), backend=backend, progress=False)
    warm = time.perf_counter() - t
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        run(X, opt, steps, checkpoints=(steps,), backend=backend, progress=False)
        best = max(best, steps / (time.perf_counter() - t))
    return best, warm


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="about 4x fewer steps")
    ap.add_argument("--candidates", action="store_true", help="also time the candidate number types")
    args = ap.parse_args(argv)
    q = 4 if args.quick else 1
    print(f"machine: {machine()}, load {os.getloadavg()[0]:.2f}\n")
    head = (f"{'size':>10}  {'optimizer':<11} {'engine':<26} {'steps/s':>11} {'x slower than plain':>20} "
            f"{'than naive':>10}  {'warm-up s':>9}")
    print(head + "\n" + "-" * len(head))
    for N, d in SIZES:
        X = dataset(N, d)
        big = N >= 1000
        naive = max(naive_rate(X, (2000 if big else 5000) // q) for _ in range(3))  # Inc-Adam only
        for name, settings in OPTIMIZERS:
            opt = make_optimizer(name, **settings)
            full = name == "adam-proxy"
            plain = plain_rate(X, opt, (20 if full else 500) if big else 3000 // q)
            rows = [("plain float64 loop", plain, 0.0)]
            if name == "inc-adam":
                rows.append(("naive numpy loop", naive, 0.0))
            for digits, n in ((30, (20 if full else 3000) if big else 100_000), (60, (4 if full else 300) if big else 20_000)):
                bk = backend_from_precision(digits)
                rate, warm = compiled_rate(X, opt, max(2, n // q), bk)
                rows.append((bk.name, rate, warm))
            if name == "inc-adam":
                rows.append(("mpmath[30]", plain_rate(X, opt, (4 if big else 40), backend=mpmath_backend(30), repeats=2),
                             0.0))
            for label, rate, warm in rows:
                vs_naive = f"{naive / rate:>10.2f}" if name == "inc-adam" else " " * 10
                print(f"{N:>4}x{d:<5}  {name:<11} {label:<26} {rate:>11,.0f} {plain / rate:>20.2f} {vs_naive}"
                      + (f"  {warm:>9.2f}" if warm else ""), flush=True)
    if args.candidates:
        print("\nCandidates: the naive Inc-Adam loop on each number type (steps/s)")
        cands = candidates()
        for N, d in SIZES:
            X = dataset(N, d)
            steps = (10 if N >= 1000 else 300) // (2 if args.quick else 1) + 2
            print(f"  {N}x{d}: float64 {naive_rate(X, steps * 10):,.0f}", flush=True)
            for label, (conv, exp, sqrt, one) in cands.items():
                n = max(3, steps // 10) if label.startswith("mpmath") else steps
                print(f"  {N}x{d}: {label} {naive_rate(X, n, conv, exp, sqrt, one):,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
