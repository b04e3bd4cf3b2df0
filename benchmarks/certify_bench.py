"""Time of the Thm 4.8 fixed point and its certificate at N in {10, 50, 100} (issue 5, items 1 and 5).

    python benchmarks/certify_bench.py                      # N = 10, 50, 100 (d = 2N)
    python benchmarks/certify_bench.py --sizes 10 50 200 400
    python benchmarks/certify_bench.py --mpmath-max 100     # also time the dense mpmath Newton at N = 100

Data: Gaussian X = default_rng(0).standard_normal((N, 2N)).  Columns:
  alg3      Algorithm 3 (float64, one Clarabel QP per iteration) -- the support and the start
  newton    robust.newton_fixed_point (float64 Newton on the support system; one QP when the first
            support guess is right) -- an alternative start for large N
  mpmath    adam_proxy_fixed_point (50-digit Newton with dense mpmath solves), given Algorithm 3's result;
            skipped above --mpmath-max (default 50): it grows like N^2 d at 60 digits in pure Python
  certify   certify_fixed_point given Algorithm 3's result: mixed-precision Newton polish (float64 Jacobian,
            199-bit residual), Krawczyk test with a 128-bit interval Jacobian, rigorous sign/slack/LICQ checks
  radius    largest half-width of the certified direction box (dps = 50)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numerics.fixed_point import adam_proxy_fixed_point, algorithm3  # noqa: E402
from numerics.fixed_point.certify import certify_fixed_point  # noqa: E402
from numerics.fixed_point.robust import newton_fixed_point  # noqa: E402


def bench(N: int, mpmath_max: int) -> dict:
    X = np.random.default_rng(0).standard_normal((N, 2 * N))
    t0 = time.perf_counter()
    a = algorithm3(X)
    t_alg3 = time.perf_counter() - t0
    t0 = time.perf_counter()
    nt = newton_fixed_point(X)
    t_newton = time.perf_counter() - t0
    assert np.abs(nt.c - a.c).sum() < 1e-7, "Newton and Algorithm 3 disagree"
    t_mp = None
    if N <= mpmath_max:
        t0 = time.perf_counter()
        adam_proxy_fixed_point(X, alg3=a)
        t_mp = time.perf_counter() - t0
    t0 = time.perf_counter()
    cert = certify_fixed_point(X, a)
    t_cert = time.perf_counter() - t0
    return {"N": N, "d": 2 * N, "support": len(cert.support), "alg3": t_alg3, "newton": t_newton, "mpmath": t_mp,
            "certify": t_cert, "proved": cert.proved, "radius": cert.radius}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    ap.add_argument("--mpmath-max", type=int, default=50, help="largest N for the dense mpmath Newton timing")
    args = ap.parse_args(argv)
    print(f"{'N':>6} {'d':>6} {'|S|':>5} {'alg3 s':>9} {'newton s':>9} {'mpmath s':>10} {'certify s':>10} "
          f"{'proved':>7} {'radius':>10}")
    for N in args.sizes:
        r = bench(N, args.mpmath_max)
        mp = f"{r['mpmath']:10.2f}" if r["mpmath"] is not None else f"{'skipped':>10}"
        print(f"{r['N']:>6} {r['d']:>6} {r['support']:>5} {r['alg3']:9.2f} {r['newton']:9.2f} {mp} "
              f"{r['certify']:10.2f} {str(r['proved']):>7} {r['radius']:10.1e}", flush=True)
    if max(args.sizes) > args.mpmath_max:
        print(f"mpmath Newton skipped above N = {args.mpmath_max} (measured 20 s at N = 50, d = 100; ~N^2 d growth); "
              "certify_fixed_point does not need it (its own polish starts from Algorithm 3's float64 duals).")


if __name__ == "__main__":
    main()
