"""`proofs-check simulate` against a plain per-step numpy loop of the same algorithm, whole processes, side by side.

    python benchmarks/simulate_bench.py                 # N = 10, d = 50, Inc-Adam, 1e6 steps, best of 3
    python benchmarks/simulate_bench.py --steps 1e7 --repeats 2

Three commands, each timed as a fresh process (interpreter start, imports, data loading, exit):

* ``plain``: the 15-line numpy loop below (Inc-Adam, eta_t = 0.1 (t+2)^(-1/2), (0.9, 0.999), exp loss;
  no log-domain scaling, no checkpoints, no predictions: the least a user could write);
* ``simulate``: ``proofs-check simulate DATA --optimizer inc-adam --steps T --json`` (compiled engine,
  60 checkpoints, the float64 predictions l2 / l_inf / Thm 4.8 fixed point / SignSGD and the cosines to them);
* ``numba floor``: a process that imports numpy and numba and calls one trivial cached njit function --
  the start-up cost every numba program pays before its first compiled step.

Each figure is the best of ``--repeats`` runs (other jobs on a shared machine only slow a run down);
the ratio is plain / simulate.  The numba cache is warmed first (a second process never recompiles).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

PLAIN = """\
import sys, numpy as np
X = np.load(sys.argv[1])["X"]; N, d = X.shape; T = int(float(sys.argv[2]))
w = np.zeros(d); m = np.zeros(d); v = np.zeros(d); b1, b2 = 0.9, 0.999
for t in range(T):
    x = X[t % N]
    g = -np.exp(-(x @ w)) * x
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    w = w - 0.1 * (t + 2) ** -0.5 * m / np.sqrt(v)
print(w[:3])
"""

FLOOR = """\
import numpy, numba
@numba.njit(cache=True)
def f(x):
    return x + 1.0
f(1.0)
"""


def timed(cmd: list[str], repeats: int, cwd: str) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, cwd=cwd)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", default="1e6", help="updates per run (default 1e6)")
    ap.add_argument("--N", type=int, default=10)
    ap.add_argument("--d", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    steps = str(int(float(args.steps)))

    from numerics.datasets import gaussian

    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data.npz")
        np.savez(data, X=gaussian(args.N, args.d, seed=0).X)
        (Path(tmp) / "plain.py").write_text(PLAIN)
        (Path(tmp) / "floor.py").write_text(FLOOR)
        simulate = [sys.executable, "-m", "proofs_check.cli", "simulate", data, "--optimizer", "inc-adam",
                    "--steps", steps, "--json"]
        env_cwd = str(ROOT)
        subprocess.run(simulate[:-3] + ["--steps", "10", "--json"], stdout=subprocess.DEVNULL, check=True, cwd=env_cwd)
        subprocess.run([sys.executable, "floor.py"], check=True, cwd=tmp)  # warm both numba caches
        rows = [("plain numpy loop", timed([sys.executable, "plain.py", data, steps], args.repeats, tmp)),
                ("proofs-check simulate", timed(simulate, args.repeats, env_cwd)),
                ("numba start-up floor", timed([sys.executable, "floor.py"], args.repeats, tmp))]
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")),
               platform.processor()) if os.path.exists("/proc/cpuinfo") else platform.processor()
    print(f"machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    print(f"Inc-Adam, N = {args.N}, d = {args.d}, {int(steps):,} steps; whole processes, best of {args.repeats}\n")
    for name, secs in rows:
        print(f"  {name:<24} {secs:7.2f} s")
    plain, sim, floor = (r[1] for r in rows)
    print(f"\n  plain / simulate = {plain / sim:.1f}x   (plain / numba floor = {plain / floor:.1f}x: no numba program "
          "can exceed this ratio at this horizon)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
