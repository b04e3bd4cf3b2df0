"""Max-margin problems  min ||w||  s.t.  <w, x_i> >= 1  in the l2, l_inf, l1 and Mahalanobis norms.

Solved with cvxpy + Clarabel at tight tolerances.  Each solve is checked after the
fact through its KKT residuals (:class:`KKTResiduals`); a solve that is not
optimal, or whose residuals exceed ``kkt_tol``, raises :class:`SolverError`
instead of returning a number.

Data are rescaled by their largest entry before solving (directions and dual
directions are scale invariant) and the solution is mapped back; residuals are
computed on the original data.
"""

from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np

from ..errors import DatasetError, SolverError
from .result import KKTResiduals, MaxMarginResult

__all__ = ["l2_max_margin", "linf_max_margin", "l1_max_margin", "mahalanobis_max_margin",
           "preconditioner_diag", "norm_value", "licq_holds", "CLARABEL_TIGHT", "KKT_TOL"]

# Clarabel's interior-point stopping rules (gap and feasibility) at 1e-12: the
# returned point is then optimal to ~1e-10 relative on well-conditioned data.
CLARABEL_TIGHT = {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10,
                  "max_iter": 500}
# Fallback if the tight solve stalls: Clarabel's own defaults (1e-8).
CLARABEL_DEFAULT = {"max_iter": 500}
# Accept a solve only if every relative KKT residual is below this; 100x above what
# the tight solve reaches, so ill-conditioning shows up as an error, not as noise.
KKT_TOL = 1e-8
# lambda_i counts as positive above this fraction of max lambda (interior-point duals of
# inactive constraints are ~tol_gap / slack, i.e. <= 1e-10 relative here).
SUPPORT_THRESHOLD = 1e-7


def preconditioner_diag(X: np.ndarray, c: np.ndarray) -> np.ndarray:
    """diag of D(c) = diag(sqrt(sum_j c_j^2 x_j^2)) (Def. 4.6), entrywise squares."""
    X, c = np.asarray(X, float), np.asarray(c, float)
    if c.shape != (X.shape[0],):
        raise DatasetError(f"c must have length N = {X.shape[0]}, got shape {c.shape}")
    if not np.all(np.isfinite(c)) or np.any(c < 0) or not c.any():
        raise DatasetError("c must be a finite, nonnegative, nonzero vector (a point of the simplex up to scale)")
    return np.sqrt((c**2) @ (X**2))


def licq_holds(XS: np.ndarray) -> bool:
    """Assumption 4.7 (LICQ): the support vectors (rows of XS) are linearly independent, judged by
    singular values with a relative threshold 1e-10 (the supports come from solves accurate to ~1e-10)."""
    XS = np.asarray(XS, float)
    if XS.shape[0] == 0 or XS.shape[0] > XS.shape[1]:
        return False
    sv = np.linalg.svd(XS, compute_uv=False)
    return bool(sv[-1] > 1e-10 * sv[0])


def norm_value(norm: str, w: np.ndarray, metric: np.ndarray | None = None) -> float:
    """||w|| for norm in {l2, linf, l1, mahalanobis} (the last: sqrt(w^T D w), D = diag(metric))."""
    w = np.asarray(w, float)
    if norm == "l2":
        return float(np.linalg.norm(w))
    if norm == "linf":
        return float(np.max(np.abs(w)))
    if norm == "l1":
        return float(np.sum(np.abs(w)))
    if norm == "mahalanobis":
        return float(np.sqrt(w @ (metric * w)))
    raise ValueError(f"unknown norm {norm!r}")


def l2_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """l2 max margin (hard-margin SVM):  min 1/2 ||w||_2^2  s.t.  <w, x_i> >= 1.

    The limit direction of GD (Soudry et al. 2018), of Inc-Adam on GR data (Thm 3.3)
    and of AdamProxy on GR data (Ex. 4.9).  Stationarity: w = sum_i lambda_i x_i.
    """
    return _solve(X, "l2", None, kkt_tol)


def mahalanobis_max_margin(X: np.ndarray, c: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """P(c) of Def. 4.6:  min 1/2 w^T D(c) w  s.t.  <w, x_i> >= 1,  D(c) = diag(sqrt(sum_j c_j^2 x_j^2)).

    Stationarity: D(c) w = sum_i lambda_i x_i; ``dual`` is lambda*(c) of Thm 4.8.
    Needs D(c) > 0 (Assumption 2.2 on the coordinates where c's rows are nonzero).
    """
    X = _check(X)
    D = preconditioner_diag(X, c)
    if np.any(D <= 0):
        zero = np.flatnonzero(D <= 0).tolist()
        raise SolverError(f"D(c) is singular at coordinates {zero[:10]} (Assumption 2.2 / Def. 4.6 need D(c) > 0)")
    return _solve(X, "mahalanobis", D, kkt_tol)


def linf_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """l_inf max margin (an LP):  min ||w||_inf  s.t.  <w, x_i> >= 1.

    Limit of Det-Adam (Zhang et al. 2024) and of Inc-Signum with beta near 1
    (Thm 5.1).  The minimiser need not be unique (math.md §12): compare limits
    by the normalised margin ``margin`` = gamma_inf, not by cosine.
    Stationarity: ||X^T lambda||_1 = 1 and <X^T lambda, w> = ||w||_inf.
    """
    return _solve(X, "linf", None, kkt_tol)


def l1_max_margin(X: np.ndarray, *, kkt_tol: float = KKT_TOL) -> MaxMarginResult:
    """l1 max margin (an LP):  min ||w||_1  s.t.  <w, x_i> >= 1  (steepest descent in l1; minimiser may be non-unique)."""
    return _solve(X, "l1", None, kkt_tol)


# ----------------------------------------------------------------------------- driver
def _check(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.size == 0:
        raise DatasetError(f"X must be a non-empty (N, d) array, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise DatasetError("X contains NaN or inf")
    return X


def _objective(norm: str, w: cp.Variable, D: np.ndarray | None):
    if norm == "l2":
        return 0.5 * cp.sum_squares(w)
    if norm == "mahalanobis":
        return 0.5 * cp.sum_squares(cp.multiply(np.sqrt(D), w))
    return cp.norm(w, "inf" if norm == "linf" else 1)


def _attempt(Xs: np.ndarray, norm: str, Ds: np.ndarray | None, settings: dict):
    w = cp.Variable(Xs.shape[1])
    cons = [Xs @ w >= 1]
    prob = cp.Problem(cp.Minimize(_objective(norm, w, Ds)), cons)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cvxpy warns on inaccurate solves; we report those ourselves
            prob.solve(solver=cp.CLARABEL, **settings)
    except cp.error.SolverError as exc:
        return None, None, f"solver failure ({exc})"
    if prob.status != cp.OPTIMAL or w.value is None or cons[0].dual_value is None:
        return None, None, prob.status
    return np.asarray(w.value, float), np.asarray(cons[0].dual_value, float), prob.status


def _solve(X: np.ndarray, norm: str, D: np.ndarray | None, kkt_tol: float) -> MaxMarginResult:
    X = _check(X)
    s = float(np.max(np.abs(X)))
    if s == 0:
        raise DatasetError("X is all zeros: no margin is possible")
    Xs = X / s
    Ds = None if D is None else D / s  # D(c) is 1-homogeneous in X
    status, result = "not run", None
    for settings in (CLARABEL_TIGHT, CLARABEL_DEFAULT):
        ws, lams, status = _attempt(Xs, norm, Ds, settings)
        if ws is None:
            continue
        # Map back w = ws / s.  In terms of w the scaled objective is s^2/2 ||w||^2 (l2),
        # s/2 w^T D w (Mahalanobis, D/s times (s w)^2) or s ||w|| (norms), so dividing the
        # Lagrangian by that factor gives lambda = lams / s^2 (l2) or lams / s (the others).
        w = ws / s
        lam = (lams / s) / s if norm == "l2" else lams / s  # s**2 may overflow
        result = _assemble(X, norm, D, w, lam, status)
        if result.kkt.max() <= kkt_tol:
            return result
    if result is None:
        raise SolverError(f"{norm} max-margin solve failed (Clarabel status: {status}); are the data separable?")
    raise SolverError(f"{norm} max-margin solve is inaccurate: KKT residual {result.kkt.max():.2e} > {kkt_tol:.0e} "
                      f"({result.kkt.as_dict()})")


def _assemble(X, norm, D, w, lam, status) -> MaxMarginResult:
    z = X @ w
    lam_max = float(np.max(np.abs(lam))) or 1.0
    g = X.T @ lam
    if norm == "l2":
        stat = float(np.max(np.abs(w - g)) / np.max(np.abs(w)))
    elif norm == "mahalanobis":
        Dw = D * w
        stat = float(np.max(np.abs(Dw - g)) / np.max(np.abs(Dw)))
    else:  # subgradient condition for ||.||: dual-norm(X^T lambda) = 1 and <X^T lambda, w> = ||w||
        nv = norm_value(norm, w)
        dual_norm = float(np.sum(np.abs(g))) if norm == "linf" else float(np.max(np.abs(g)))
        stat = abs(dual_norm - 1.0) + abs(float(g @ w) - nv) / nv
    kkt = KKTResiduals(
        primal_feasibility=float(max(0.0, np.max(1.0 - z))),
        dual_sign=float(max(0.0, -np.min(lam)) / lam_max),
        complementarity=float(np.max(np.abs(lam * (z - 1.0))) / lam_max),
        stationarity=stat,
    )
    support = tuple(int(i) for i in np.flatnonzero(lam > SUPPORT_THRESHOLD * lam_max))
    rest = np.setdiff1d(np.arange(len(z)), support)
    slack = float(np.min(z[rest] - 1.0)) if rest.size else float("inf")
    XS = X[list(support)]
    licq = licq_holds(XS)
    return MaxMarginResult(
        norm=norm, w=w, direction=w / np.linalg.norm(w), margin=float(np.min(z)) / norm_value(norm, w, D),
        dual=lam, support=support, slack=slack, licq=licq, unique=norm in ("l2", "mahalanobis"),
        status=status, solver="CLARABEL", kkt=kkt, metric=D,
    )
