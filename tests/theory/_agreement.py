"""Shared helpers of the exact-vs-float agreement tests (theory/ against numerics/).

Tolerance: numerics' max-margin solves run Clarabel with 1e-12 gap/feasibility stopping rules and are
accepted only when every relative KKT residual is below 1e-8 (numerics.maxmargin.KKT_TOL); on the small,
well-conditioned problems used here the primal/dual are then accurate to ~1e-9 relative.  Exact answers
are compared at TOL = 1e-7 relative: 10-100x above what the solver guarantees, far below any difference
a wrong support set or a wrong formula would make (those are O(1e-2) or larger here).
"""

import numpy as np
import sympy as sp

from theory import rationalize

TOL = 1e-7


def to_float(M) -> np.ndarray:
    """Exact SymPy column vector (-> 1-D) or matrix (-> 2-D) as float64, each entry evaluated at 30 digits."""
    rows = [[float(sp.N(v, 30)) for v in row] for row in M.tolist()]
    return np.array(rows)[:, 0] if M.shape[1] == 1 else np.array(rows)


def rel_err(exact, approx) -> float:
    e = np.asarray(exact, float).ravel()
    a = np.asarray(approx, float).ravel()
    return float(np.max(np.abs(e - a)) / max(np.max(np.abs(e)), 1e-300))


def exact_and_float(X, max_denominator: int = 1000):
    """Rationalise float data (small denominators keep exact arithmetic cheap); return (exact, its float64 copy)."""
    Xq = rationalize(np.asarray(X, float), max_denominator)
    return Xq, np.array(Xq.tolist(), dtype=float)
