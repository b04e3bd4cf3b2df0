"""Max-margin problems  min ||w||  s.t.  <w, x_i> >= 1  in the l2, l_inf, l1 and Mahalanobis norms.

Solvers, tried in order until one returns a candidate whose KKT residuals (on the original data) are
below ``kkt_tol``: the dual active-set method for the quadratic norms (:mod:`.active_set`), for the
l_inf LP with N <= d an interior-point method on its dense normal equations (:mod:`.linf_ipm`), Clarabel
directly for the LPs (:mod:`.clarabel_lp`), then cvxpy + Clarabel at tight and at default
tolerances (:mod:`.cvx`).  A problem no solver answers accurately raises :class:`SolverError`
instead of returning a number.  Data are rescaled by their largest entry before solving (directions
and dual directions are scale invariant) and the solution is mapped back.
"""

from __future__ import annotations

import numpy as np

from ..errors import DatasetError, SingularMetricError, SolverError
from .kkt import KKT_TOL, assemble
from .norms import L1, L2, LINF, Mahalanobis, Norm, preconditioner_diag
from .result import MaxMarginResult

__all__ = ["l2_max_margin", "linf_max_margin", "l1_max_margin", "mahalanobis_max_margin", "max_margin"]


def l2_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL, start=None) -> MaxMarginResult:
    """l2 max margin (hard-margin SVM):  min 1/2 ||w||_2^2  s.t.  <w, x_i> >= 1.

    The limit direction of GD (Soudry et al. 2018), of Inc-Adam on GR data (Thm 3.3) and of
    AdamProxy on GR data (Ex. 4.9).  Stationarity: w = sum_i lambda_i x_i.  ``start``: a guess of
    the support (warm start of the active-set method).
    """
    return max_margin(X, L2, kkt_tol=kkt_tol, start=start)


def mahalanobis_max_margin(X: np.ndarray, c: np.ndarray, *, kkt_tol: float = KKT_TOL, start=None) -> MaxMarginResult:
    """P(c) of Def. 4.6:  min 1/2 w^T D(c) w  s.t.  <w, x_i> >= 1,  D(c) = diag(sqrt(sum_j c_j^2 x_j^2)).

    Stationarity: D(c) w = sum_i lambda_i x_i; ``dual`` is lambda*(c) of Thm 4.8.  Needs D(c) > 0
    (Assumption 2.2 on the coordinates where c's rows are nonzero).
    """
    X = _check(X)
    D = preconditioner_diag(X, c)
    if np.any(D <= 0):
        zero = np.flatnonzero(D <= 0).tolist()
        weighed = np.asarray(c, float) > 0
        if np.any(X[np.ix_(weighed, zero)] != 0):  # nonzero entries whose squares underflowed: not a singular D
            raise SolverError(f"D(c) underflows to 0 at coordinates {zero[:10]} although c's rows are nonzero there "
                              "(entries or weights below ~1e-154 relative: rescale the data)")
        raise SingularMetricError(f"D(c) is singular at coordinates {zero[:10]} (Assumption 2.2 / Def. 4.6 need D(c) > 0)",
                                  zero)
    return max_margin(X, Mahalanobis(metric=D), kkt_tol=kkt_tol, start=start)


def linf_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """l_inf max margin (an LP):  min ||w||_inf  s.t.  <w, x_i> >= 1.

    Limit of Det-Adam (Zhang et al. 2024) and of Inc-Signum with beta near 1 (Thm 5.1).  The
    minimiser need not be unique (docs/math.md §12): compare limits by the normalised margin
    ``margin`` = gamma_inf, not by cosine.  Stationarity: ||X^T lambda||_1 = 1 and <X^T lambda, w> = ||w||_inf.
    """
    return max_margin(X, LINF, kkt_tol=kkt_tol)


def l1_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """l1 max margin (an LP):  min ||w||_1  s.t.  <w, x_i> >= 1  (steepest descent in l1; minimiser may be non-unique)."""
    return max_margin(X, L1, kkt_tol=kkt_tol)


def _check(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.size == 0:
        raise DatasetError(f"X must be a non-empty (N, d) array, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise DatasetError("X contains NaN or inf")
    return X


def _attempts(norm: Norm, start):
    """(name, solve(Xs, norm_s) -> (w, lambda, status)) in the order they are tried."""
    from .clarabel_lp import DEFAULT, TIGHT, solve_lp
    from .cvx import solve_cvxpy

    if norm.quadratic:
        def active(Xs, ns):
            from .active_set import dual_active_set

            got = dual_active_set(Xs, getattr(ns, "metric", None), start)
            return (None, None, "active set did not finish") if got is None else (*got, "optimal")
        yield "active-set", active
    else:
        if norm is LINF:
            def ipm(Xs, ns):
                if Xs.shape[0] > Xs.shape[1]:  # N x N normal equations: only where N <= d
                    return None, None, "interior point skipped (N > d)"
                from .linf_ipm import solve_linf_ipm

                return solve_linf_ipm(Xs)
            yield "interior point", ipm
        yield "CLARABEL", lambda Xs, ns: solve_lp(Xs, ns, TIGHT)
        yield "CLARABEL (default tolerances)", lambda Xs, ns: solve_lp(Xs, ns, DEFAULT)
    yield "cvxpy/CLARABEL", lambda Xs, ns: solve_cvxpy(Xs, ns, TIGHT)
    yield "cvxpy/CLARABEL (default tolerances)", lambda Xs, ns: solve_cvxpy(Xs, ns, DEFAULT)


def max_margin(X: np.ndarray, norm: Norm, *, kkt_tol: float = KKT_TOL, start=None) -> MaxMarginResult:
    """min ||w|| s.t. X w >= 1 for any :class:`Norm` (module docstring)."""
    X = _check(X)
    s = float(np.max(np.abs(X)))
    if s == 0:
        raise DatasetError("X is all zeros: no margin is possible")
    Xs = X / s
    ns = norm.scaled(1.0 / s) if isinstance(norm, Mahalanobis) else norm  # D(c) is 1-homogeneous in X
    status, result = "not run", None
    for name, solve in _attempts(norm, start):
        ws, lams, status = solve(Xs, ns)
        if ws is None:
            continue
        # Map back w = ws / s.  In terms of w the scaled objective is s^2/2 ||w||^2 (l2), s/2 w^T D w
        # (Mahalanobis, D/s times (s w)^2) or s ||w|| (norms), so dividing the Lagrangian by that factor
        # gives lambda = lams / s^2 (l2) or lams / s (the others).
        lam = (lams / s) / s if norm is L2 else lams / s  # s**2 may overflow
        result = assemble(X, norm, ws / s, lam, status, name)
        if result.kkt.max() <= kkt_tol:
            return result
    if result is None:
        raise SolverError(f"{norm.name} max-margin solve failed (last status: {status}); are the data separable?")
    raise SolverError(f"{norm.name} max-margin solve is inaccurate: KKT residual {result.kkt.max():.2e} > "
                      f"{kkt_tol:.0e} ({result.kkt.as_dict()})")
