"""Finite-beta2 and batch-size predictors against simulation (docs/math.md §13.1-§13.2).

    python benchmarks/finite_beta2_bench.py              # both tables (~2 min)
    python benchmarks/finite_beta2_bench.py --quick      # epoch maps only, no step-by-step Adam runs

Data: Gaussian X = default_rng(0).standard_normal((10, 50)).  All numbers are 1 - cos.

Table 1 (item 3): for each (beta1, beta2) the long epoch-map run (Eq. (2), --epochs epochs, eta0 = 0.1)
and, for beta2 <= 0.9, Inc-Adam (1e5 steps, eta0 = 0.01), compared with
  pred  the Eq. (8) equal-margin closure (numerics.fixed_point.finite_beta2, a conjecture-level predictor)
  fp    the beta2 -> 1 (Thm 4.8) fixed point, Algorithm 3.
Table 3 (--failure-rate): how often the predictor fails (cyclic mini-batch Adam, (0.9, 0.999)) on 200
random separable sets (seed s: N in {10, 20}, d in [N/2, 2N], Gaussian rows signed by a random plane), for
b = 5 and b = N/2, with the seeds that still fail.  Measured: 5 / 200 at b = 5 and 11 / 200 at b = N/2 (19 and 74
before the path stepped over points where all batch means of one coordinate vanish).
Table 2 (item 4): cyclic mini-batch Adam (beta1, beta2) = (0.9, 0.999), eta0 = 0.01, 1e5 steps, and the
batch epoch map Eq. (2_b) (--epochs epochs), compared with the batch predictor and with the l_inf max margin;
'pred-linf' is the predicted gap to l_inf (larger b -> closer to l_inf).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numerics.fixed_point import algorithm3  # noqa: E402
from numerics.fixed_point.finite_beta2 import epoch_map_batch, finite_beta2_fixed_point  # noqa: E402
from numerics.maxmargin import linf_max_margin  # noqa: E402
from numerics.optimizers import epoch_map, inc_adam, minibatch_adam, run  # noqa: E402


def unit(v):
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def omc(a, b):
    return 1 - float(unit(a) @ unit(b))


def batch_epoch_sim(X, beta1, beta2, b, epochs, eta0=0.1):
    w, M = np.zeros(X.shape[1]), X.shape[0] // b
    for r in range(epochs):
        w = w - eta0 * (r * M + 2) ** -0.5 * epoch_map_batch(X, w, beta1, beta2, b)
    return w


def failure_rate(count: int = 200) -> None:
    from numerics.errors import ToolkitError

    fails = {"b=5": [], "b=N/2": []}
    t0 = time.perf_counter()
    for seed in range(count):
        rng = np.random.default_rng(seed)
        N = int(rng.choice([10, 20]))
        d = int(rng.integers(N // 2, 2 * N + 1))
        X = rng.standard_normal((N, d))
        X = np.sign(X @ rng.standard_normal(d))[:, None] * X
        for key, b in (("b=5", 5), ("b=N/2", N // 2)):
            try:
                finite_beta2_fixed_point(X, 0.9, 0.999, batch_size=b)
            except ToolkitError:
                fails[key].append(seed)
    print(f"Table 3: failures over {count} random sets ({time.perf_counter() - t0:.0f} s)")
    for key, seeds in fails.items():
        print(f"  {key:6} {len(seeds):4d} / {count}  seeds: {seeds}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=20000)
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--quick", action="store_true", help="skip the step-by-step Adam runs")
    ap.add_argument("--failure-rate", type=int, metavar="COUNT", help="only Table 3, over COUNT random sets")
    args = ap.parse_args(argv)
    if args.failure_rate:
        return failure_rate(args.failure_rate)
    X = np.random.default_rng(0).standard_normal((10, 50))
    fp = unit(algorithm3(X).direction)

    print(f"Table 1 (item 3): 1 - cos, epoch map {args.epochs} epochs; Inc-Adam {args.steps} steps, eta0=0.01")
    print(f"{'beta1':>5} {'beta2':>6} | {'map-pred':>9} {'map-fp':>9} {'ratio':>7} | {'inc-pred':>9} {'inc-fp':>9}"
          f" | {'pred-fp':>9} {'|S|':>3} {'min c':>8} {'resid':>8} {'t_pred':>6}")
    for beta1 in (0.0, 0.9):
        for beta2 in (0.5, 0.9, 0.99, 0.999):
            if beta1 > beta2:
                continue
            t = time.perf_counter()
            p = finite_beta2_fixed_point(X, beta1, beta2)
            tp = time.perf_counter() - t
            refs = {"pred": p.direction_array, "fp": fp}
            tr = run(X, epoch_map(beta1, beta2), args.epochs, references=refs, checkpoints=(args.epochs,))
            mp, mf = tr.one_minus_cos("pred")[-1], tr.one_minus_cos("fp")[-1]
            ip = ifp = float("nan")
            if beta2 <= 0.9 and not args.quick:
                ti = run(X, inc_adam(beta1, beta2, eta0=0.01), args.steps, references=refs, checkpoints=(args.steps,))
                ip, ifp = ti.one_minus_cos("pred")[-1], ti.one_minus_cos("fp")[-1]
            print(f"{beta1:>5} {beta2:>6} | {mp:9.2e} {mf:9.2e} {mf / mp:7.1f} | {ip:9.2e} {ifp:9.2e} | "
                  f"{omc(p.direction, fp):9.2e} {len(p.support):>3} {p.checks['min_c']:8.2e} {p.residual:8.1e} "
                  f"{tp:6.2f}", flush=True)

    linf = linf_max_margin(X).direction
    print(f"\nTable 2 (item 4): cyclic mini-batch Adam (0.9, 0.999), 1 - cos; Adam {args.steps} steps eta0=0.01, "
          f"batch epoch map {args.epochs} epochs")
    print(f"{'b':>3} | {'adam-pred':>9} {'adam-linf':>9} | {'map-pred':>9} {'map-linf':>9} | {'pred-linf':>9} "
          f"{'pred-b1':>9} {'method':>20}")
    p1 = finite_beta2_fixed_point(X, 0.9, 0.999)
    for b in (1, 2, 5, 10):
        p = finite_beta2_fixed_point(X, 0.9, 0.999, batch_size=b)
        w = batch_epoch_sim(X, 0.9, 0.999, b, args.epochs)
        ap_, al = float("nan"), float("nan")
        if not args.quick:
            ta = run(X, minibatch_adam(b, "cyclic", 0.9, 0.999, eta0=0.01), args.steps,
                     references={"pred": p.direction_array, "linf": linf}, checkpoints=(args.steps,))
            ap_, al = ta.one_minus_cos("pred")[-1], ta.one_minus_cos("linf")[-1]
        print(f"{b:>3} | {ap_:9.2e} {al:9.2e} | {omc(w, p.direction):9.2e} {omc(w, linf):9.2e} | "
              f"{omc(p.direction, linf):9.2e} {omc(p.direction, p1.direction):9.2e} {p.method:>20}", flush=True)


if __name__ == "__main__":
    main()
