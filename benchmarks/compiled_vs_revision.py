"""The compiled engine of this checkout against another checkout's (a git revision), in one run.

    git worktree add /tmp/base HEAD~3            # any revision to compare with
    python benchmarks/compiled_vs_revision.py --against /tmp/base
    python benchmarks/compiled_vs_revision.py --against /tmp/base --quick --json out.json

Each (data, optimizer) is timed in a fresh subprocess per checkout (PYTHONPATH set to it, one BLAS thread),
the two checkouts alternating, best of 3 each: the figure is steps/s of this checkout divided by the other's
(> 1: this one is faster).  Kernels are compiled (and cached) before timing.  Data: Gaussian rows with a
positive first coordinate, N x d = 10 x 50 and 1000 x 2000 (dense: every coordinate at the batch's scale),
and the same 10 x 50 with half of its entries set to 0 ("zeros": the own-scale path runs where a coordinate's
contributors all sit far below the batch's largest).  Machines are shared: only the ratios mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
DATA = {"10x50": (10, 50, 0.0), "1000x2000": (1000, 2000, 0.0), "zeros 10x50": (10, 50, 0.5)}
OPTIMIZERS = ["inc-adam", "det-adam", "inc-signum", "adam-proxy", "epoch-map", "gd"]
STEPS = {"10x50": 200_000, "1000x2000": 2_000, "zeros 10x50": 200_000}

# the timed child: builds the data, compiles (or loads the cached kernels), then times one run of `steps` steps
CHILD = r"""
import json, sys, time
import numpy as np
from numerics.optimizers import make_optimizer, run
N, d, zeros, name, steps = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
rng = np.random.default_rng(0)
X = rng.standard_normal((N, d)) * (rng.random((N, d)) >= zeros)
X[:, 0] = np.abs(X[:, 0]) + 0.5
opt = make_optimizer(name, **({"eta": 0.1} if name == "gd" else {}))
run(X, opt, 10, checkpoints=(10,), progress=False, engine="compiled")
t0 = time.perf_counter()
run(X, opt, steps, checkpoints=(steps,), progress=False, engine="compiled")
print(json.dumps({"rate": steps / (time.perf_counter() - t0)}))
"""


def time_once(tree: Path, data: str, name: str, steps: int) -> float:
    N, d, zeros = DATA[data]
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(N), str(d), str(zeros), name, str(steps)], env=env,
                         cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["rate"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True, help="the other checkout (e.g. a git worktree)")
    ap.add_argument("--quick", action="store_true", help="4x fewer steps, best of 2 (noisier)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--optimizers", nargs="+", default=OPTIMIZERS, choices=OPTIMIZERS, metavar="NAME",
                    help=f"a subset of {', '.join(OPTIMIZERS)}")
    ap.add_argument("--data", nargs="+", default=list(DATA), choices=list(DATA), metavar="DATA",
                    help=f"a subset of {', '.join(repr(k) for k in DATA)}")
    args = ap.parse_args()
    repeats, scale = (2, 4) if args.quick else (3, 1)
    rows = []
    print(f"{'data':<12} {'optimizer':<11} {'this (steps/s)':>15} {'other (steps/s)':>16} {'ratio':>7}")
    for data in args.data:
        for name in args.optimizers:
            steps = max(1, STEPS[data] // scale)
            best = {"this": 0.0, "other": 0.0}
            for _ in range(repeats):  # alternate, so both meet the same machine load
                best["this"] = max(best["this"], time_once(HERE, data, name, steps))
                best["other"] = max(best["other"], time_once(args.against.resolve(), data, name, steps))
            ratio = best["this"] / best["other"]
            rows.append({"data": data, "optimizer": name, "steps": steps, **best, "ratio": ratio})
            print(f"{data:<12} {name:<11} {best['this']:>15.4g} {best['other']:>16.4g} {ratio:>7.2f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
