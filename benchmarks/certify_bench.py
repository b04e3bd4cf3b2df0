"""Phase times of `predict --certify` and of the independent checker over N.

    python benchmarks/certify_bench.py                          # N = 100, 300, 1000 (d = 2N)
    python benchmarks/certify_bench.py --sizes 100 300 1000 3000 5000

Data: Gaussian X = default_rng(0).standard_normal((N, 2N)), written to a temporary .npz.  Columns (seconds):
  l2        l2 max margin (dual active set, block principal pivoting)
  linf      l_inf max margin (Clarabel LP)
  fixed     Thm 4.8 fixed point: Newton on T(c) = c (one P(c) solve, Newton on F_S, one verifying solve)
  certify   the certificate: exact F (integer slices through BLAS), polish, Krawczyk with a t-bit Jacobian and proved bounds, checks
  write     certificate file;  check: `verify-certificate` (the trusted kernel), from the file alone
  proved    the producer's verdict;  verified: the trusted kernel re-proved it from the file and the data
  radius    half-width of the certified direction box;  MB: certificate size
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numerics.certificates import build_certificate, write_certificate  # noqa: E402
from numerics.fixed_point.certify import certify_fixed_point  # noqa: E402
from numerics.fixed_point.robust import newton_fixed_point  # noqa: E402
from numerics.limits import AdamProxyLimit, Limits, MaxMarginLimit, SignSGDLimit  # noqa: E402
from numerics.maxmargin import l2_max_margin, linf_max_margin  # noqa: E402
from proofs_check.certcheck import verify  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench(N: int, tmp: str) -> dict:
    X = np.random.default_rng(0).standard_normal((N, 2 * N))
    scale = 2.0 ** (np.frexp(np.abs(X).max())[1] - 1)  # numerics.limits solves on X / 2^k
    Xs = X / scale
    path = os.path.join(tmp, f"g{N}.npz")
    np.savez(path, X=X)
    l2, t_l2 = timed(lambda: l2_max_margin(Xs))
    linf, t_linf = timed(lambda: linf_max_margin(Xs))
    sol, t_fp = timed(lambda: newton_fixed_point(Xs))
    cert, t_cert = timed(lambda: certify_fixed_point(Xs, sol))
    mm = lambda r: MaxMarginLimit(r.direction, r.margin, r.support, r.kkt.max(), r.unique, r)  # noqa: E731
    ap = AdamProxyLimit(direction=sol.direction, c=sol.c, support=sol.support, margin=0.0, iterations=0,
                        kkt_residual=0.0, algorithm3_residual=None, min_multiplier=0.0, min_slack=0.0, licq=True,
                        refined=True, precision=50, method="", certificate=cert)
    lim = Limits(N=N, d=2 * N, l2=mm(l2), linf=mm(linf), adam_proxy=ap, signsgd=SignSGDLimit(None, None))
    out = os.path.join(tmp, f"g{N}.json")
    (c, missing), t_write = timed(lambda: build_certificate(X, lim, path))
    write_certificate(c, out)
    proved_by_checker, t_check = timed(lambda: verify(out))  # raises CertificateError on the first failed condition
    return {"N": N, "S": len(sol.support), "l2": t_l2, "linf": t_linf, "fixed": t_fp, "certify": t_cert,
            "write": t_write, "check": t_check, "proved": cert.proved and not missing, "verified": bool(proved_by_checker), "radius": cert.radius,
            "MB": os.path.getsize(out) / 1e6}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    args = ap.parse_args(argv)
    cols = ["N", "S", "l2", "linf", "fixed", "certify", "write", "check", "proved", "verified", "radius", "MB"]
    print(" | ".join(f"{c:>8}" for c in cols))
    with tempfile.TemporaryDirectory() as tmp:
        for N in args.sizes:
            r = bench(N, tmp)
            print(" | ".join(f"{r[c]:8.2f}" if isinstance(r[c], float) and c not in ("radius",) else
                             (f"{r[c]:8.1e}" if c == "radius" else f"{str(r[c]):>8}") for c in cols), flush=True)


if __name__ == "__main__":
    main()
