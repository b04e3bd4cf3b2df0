"""`proofs-check run --data` on random separable datasets, as a new user's data: verdict counts per claim.

    python benchmarks/userdata_survey.py                 # 14 datasets, seed 10 (~15 min on 2 cores)
    python benchmarks/userdata_survey.py --count 4 --seed 3
    python benchmarks/userdata_survey.py --real          # the bundled real data instead (digits, iris, wine, ...)
    python benchmarks/userdata_survey.py --budget 60     # `run --budget 60` (default: run's own, 300 s on --data)

Data k: N in [5, 40], d in [N/2 + 1, 2N], rows Gaussian (k even) or Laplace (k odd) with coordinate scales
log-uniform in [0.3, 3], labels sign(<x, w0>) for a random plane w0 (so the data are separable).  Prints the
verdicts of each claim, the horizons of the claims that grew with the budget and the time their runs took (the time
to a verdict), thm-4.8's resolutions, and every fail with its reason.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np


def datasets(count: int, seed: int, folder: Path):
    rng = np.random.default_rng(seed)
    for k in range(count):
        N = int(rng.integers(5, 41))
        d = int(rng.integers(N // 2 + 1, 2 * N + 1))
        scales = np.exp(rng.uniform(np.log(0.3), np.log(3.0), d))
        Z = (rng.standard_normal((N, d)) if k % 2 == 0 else rng.laplace(size=(N, d))) * scales
        y = np.sign(Z @ rng.standard_normal(d))
        y[y == 0] = 1
        path = folder / f"d{k:02d}.npz"
        np.savez(path, X=Z, y=y)
        yield path, ("gauss" if k % 2 == 0 else "laplace"), N, d


def real_datasets():
    """The bundled real examples (numerics.datasets.bundled.REAL_EXAMPLES), by name."""
    from numerics.datasets import example_path
    from numerics.datasets.bundled import REAL_EXAMPLES

    for name in REAL_EXAMPLES:
        path = example_path(name)
        with np.load(path) as f:
            N, d = f["X"].shape
        yield path, "real", N, d


def _runs(claim: dict) -> list[list[dict]]:
    cases = claim["details"].get("cases") or {}
    return [c["runs"] for c in cases.values() if isinstance(c, dict) and c.get("runs")]


def _time_to_verdict(claim: dict) -> str:
    """'id verdict after S s (steps of each run)' for a claim whose runs grew with the budget, else ''."""
    runs = _runs(claim)
    if all(len(r) == 1 for r in runs):
        return ""
    seconds = sum(a["seconds"] or 0.0 for r in runs for a in r)
    steps = ", ".join("/".join(f"{a['steps']:.1e}" for a in r) for r in runs)
    return f"{claim['id']} {claim['verdict']} after {seconds:.0f} s of runs ({steps})"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=14)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--real", action="store_true", help="the bundled real datasets instead of random ones")
    ap.add_argument("--budget", type=float, help="seconds for longer runs of undecided claims (run --budget)")
    args = ap.parse_args(argv)
    verdicts, thm48 = collections.defaultdict(collections.Counter), []
    with tempfile.TemporaryDirectory() as tmp:
        for path, kind, N, d in (real_datasets() if args.real else datasets(args.count, args.seed, Path(tmp))):
            out = Path(tmp) / f"{path.stem}.json"
            budget = [] if args.budget is None else ["--budget", f"{args.budget:g}"]
            code = subprocess.run([sys.executable, "-m", "proofs_check.cli", "run", "--data", str(path),
                                   "--json", str(out), *budget], capture_output=True, text=True).returncode
            print(f"{path.name} {kind:7} N = {N:2d}, d = {d:2d}: exit {code}", flush=True)
            if not out.exists():  # refused data (exit 2: e.g. not separable)
                verdicts["(refused)"][f"exit {code}"] += 1
                continue
            claims = json.loads(out.read_text())["claims"]
            print("  " + ", ".join(f"{c['id']} {c['verdict']}" for c in claims if c["verdict"] != "skip"), flush=True)
            grown = [_time_to_verdict(c) for c in claims if c["verdict"] != "skip" and _runs(c)]
            if grown:
                print("  horizons: " + "; ".join(g for g in grown if g), flush=True)
            for c in claims:
                verdicts[c["id"]][c["verdict"]] += 1
                if c["id"] == "thm-4.8":
                    thm48.append((c["verdict"], c.get("resolution")))
                if c["verdict"] in ("fail", "error"):
                    print(f"  {c['verdict'].upper()} {c['id']}: {c.get('reason')}")
    for cid, counts in verdicts.items():
        print(f"{cid:14} " + ", ".join(f"{v} {n}" for v, n in sorted(counts.items())))
    res = [r for v, r in thm48 if v == "pass" and r is not None]
    if res:
        print(f"thm-4.8 pass resolutions: {min(res):.1e} .. {max(res):.1e}")


if __name__ == "__main__":
    main()
