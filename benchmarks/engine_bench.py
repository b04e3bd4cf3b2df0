"""Steps per second of the engines of numerics.optimizers.run, side by side in one run.

    python benchmarks/engine_bench.py            # N=10,d=50 and N=1000,d=2000
    python benchmarks/engine_bench.py --quick    # fewer steps (noisier)
    python benchmarks/engine_bench.py --json out.json

Engines: the reference per-step numpy loop (``run(..., engine="reference")``, float64), the compiled
engine (``run(..., engine="compiled")``) and the mpmath backend at 30 digits (``run(...,
backend=mpmath_backend(30))``), the latter with gmpy2 if installed (mpmath picks it up
automatically) and, for comparison, with mpmath's pure-Python integers (a subprocess with
MPMATH_NOGMPY=1); the double-double / quad-double engine that ``backend_from_precision`` chooses up
to 62 digits is timed by benchmarks/precision_bench.py.  Data: Gaussian rows with a positive first
coordinate (separable), exp loss, default hyperparameters, w0 = 0, one checkpoint (the last step).

Timing: the plain and mpmath loops are timed per step through ``run``'s callback, from the
first to the last update (per-run setup and the first step, which builds e.g. the epoch
map's circulants, are excluded); the fast engine is compiled first (compile time printed
separately) and timed over the whole call.  Each figure is the best of 3 runs (2 for mpmath),
with one BLAS thread (see below).  Ratios are steps/s relative to the plain loop.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# One BLAS thread: the engines are compared core for core, and a multi-threaded OpenBLAS on a
# loaded machine can be 10x slower than one thread (busy-waiting threads). Override with
# OPENBLAS_NUM_THREADS / OMP_NUM_THREADS in the environment.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numerics.backend import mpmath_backend  # noqa: E402
from numerics.optimizers import make_optimizer, run  # noqa: E402

SIZES = ((10, 50), (1000, 2000))
# optimizer name, settings
OPTIMIZERS = (
    ("inc-adam", {}),
    ("adam", {"batch_size": 1, "sampling": "replacement"}),
    ("adam", {"batch_size": 1, "sampling": "reshuffle"}),
    ("inc-signum", {}),
    ("adam-proxy", {}),
    ("epoch-map", {}),
    ("det-adam", {}),
    ("gd", {}),
)


def label(name: str, settings: dict) -> str:
    return name if not settings else f"{name}[{settings.get('sampling', '')}]"


def dataset(N: int, d: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    X[:, 0] = np.abs(X[:, 0]) + 0.5
    return X


REPEATS = 3  # best of: other processes on a shared machine only ever slow a run down


def plain_rate(X, opt, steps: int, backend=None, repeats: int = REPEATS) -> float:
    """steps/s of ``run`` between its first and last update (callback timestamps), best of ``repeats``."""
    best = 0.0
    kw = {} if backend is None else {"backend": backend}
    for _ in range(repeats):
        stamps = []
        run(X, opt, steps, checkpoints=(steps,), progress=False, engine="reference",
            callback=lambda *a: stamps.append(time.perf_counter()), **kw)
        best = max(best, (len(stamps) - 1) / (stamps[-1] - stamps[0]))
    return best


def fast_rate(X, opt, steps: int, repeats: int = REPEATS) -> tuple[float, float]:
    """(steps/s best of ``repeats``, compile-or-cache-load seconds) of the compiled engine."""
    t = time.perf_counter()
    run(X, opt, 2, checkpoints=(2,), progress=False, engine="compiled")
    warm = time.perf_counter() - t
    best = 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        run(X, opt, steps, checkpoints=(steps,), progress=False, engine="compiled")
        best = max(best, steps / (time.perf_counter() - t))
    return best, warm


def steps_for(engine: str, name: str, N: int, quick: bool) -> int:
    big = N >= 1000
    full = name in ("adam-proxy", "epoch-map", "det-adam", "gd")
    if engine == "plain":
        n = (3 if name == "epoch-map" else 20) if (big and full) else (300 if big else 2000)
    elif engine == "fast":
        n = (20 if full else 20_000) if big else 200_000
    else:  # mpmath
        n = 4 if big else 40
    return max(3, n // 4) if quick else n


def mpmath_rates(quick: bool) -> dict[str, float]:
    """Inc-Adam steps/s on the mpmath backend at 30 digits, per size."""
    out = {}
    for N, d in SIZES:
        X = dataset(N, d)
        out[f"{N}x{d}"] = plain_rate(X, make_optimizer("inc-adam"), steps_for("mpmath", "inc-adam", N, quick),
                                     backend=mpmath_backend(30), repeats=2)
    return out


def mpmath_without_gmpy(quick: bool) -> dict | None:
    """The same measurement in a subprocess with MPMATH_NOGMPY=1 (mpmath's Python integers)."""
    env = dict(os.environ, MPMATH_NOGMPY="1")
    cmd = [sys.executable, __file__, "--mpmath-only"] + (["--quick"] if quick else [])
    try:
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"(mpmath without gmpy2 not measured: {exc})", file=sys.stderr)
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    return f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="about 4x fewer steps")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--no-fast", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--mpmath-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    import mpmath

    if args.mpmath_only:
        print(json.dumps({"backend": mpmath.libmp.BACKEND, "rates": mpmath_rates(args.quick)}))
        return 0

    import numba

    results = {"machine": machine(), "numpy": np.__version__, "numba": numba.__version__,
               "mpmath": mpmath.__version__, "mpmath_backend": mpmath.libmp.BACKEND, "rows": []}
    print(f"machine: {results['machine']}")
    print(f"numpy {np.__version__}, numba {numba.__version__}, mpmath {mpmath.__version__} "
          f"(integer backend: {mpmath.libmp.BACKEND})\n")
    header = f"{'size':>10}  {'optimizer':<22} {'plain steps/s':>14} {'fast steps/s':>14} {'fast/plain':>10}  {'compile s':>9}"
    print(header)
    print("-" * len(header))
    for N, d in SIZES:
        X = dataset(N, d)
        for name, settings in OPTIMIZERS:
            opt = make_optimizer(name, **settings)
            p = plain_rate(X, opt, steps_for("plain", name, N, args.quick))
            f, warm = fast_rate(X, opt, steps_for("fast", name, N, args.quick))
            row = {"N": N, "d": d, "optimizer": label(name, settings), "plain": p, "fast": f, "fast_over_plain": f / p,
                   "compile_s": warm}
            results["rows"].append(row)
            print(f"{N:>4}x{d:<5}  {row['optimizer']:<22} {p:>14,.0f} {f:>14,.0f} {f / p:>10.1f}  {warm:>9.2f}",
                  flush=True)

    print("\nmpmath backend at 30 digits, Inc-Adam (ratio = plain float64 steps/s / mpmath steps/s):")
    mp = {"with": (mpmath.libmp.BACKEND, mpmath_rates(args.quick))}
    other = mpmath_without_gmpy(args.quick) if mpmath.libmp.BACKEND == "gmpy" else None
    if other is not None:
        mp["without"] = (other["backend"], other["rates"])
    plain = {f"{r['N']}x{r['d']}": r["plain"] for r in results["rows"] if r["optimizer"] == "inc-adam"}
    results["mpmath30"] = {}
    for key, (backend, rates) in mp.items():
        for size, rate in rates.items():
            slow = plain[size] / rate
            results["mpmath30"][f"{backend}:{size}"] = {"steps_per_s": rate, "slowdown_vs_plain": slow}
            print(f"  {size:>10}  integers={backend:<7} {rate:>10.1f} steps/s   {slow:>8.0f}x slower than plain")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
