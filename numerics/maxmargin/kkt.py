"""A candidate (w, lambda) of  min ||w|| s.t. <w, x_i> >= 1  turned into a checked MaxMarginResult.

Whatever solver produced it, the result carries its KKT residuals on the given data, its support
(multipliers above SUPPORT_THRESHOLD relative), the slack of the other constraints and LICQ
(Assumption 4.7); solvers accept a candidate only if every residual is below ``kkt_tol``.
"""

from __future__ import annotations

import numpy as np

from .norms import Norm
from .result import KKTResiduals, MaxMarginResult

__all__ = ["assemble", "licq_holds", "KKT_TOL", "SUPPORT_THRESHOLD", "ACTIVE_TOL"]

# Accept a solve only if every relative KKT residual is below this; 100x above what an interior-point
# solve at 1e-12 reaches (and far above the active-set solve's ~1e-15), so ill-conditioning shows up as
# an error, not as noise.
KKT_TOL = 1e-8
# lambda_i counts as positive above this fraction of max lambda (interior-point duals of inactive
# constraints are ~tol_gap / slack, i.e. <= 1e-10 relative at Clarabel's 1e-12 tolerances).
SUPPORT_THRESHOLD = 1e-7
# A constraint is active (x_i on the margin, i in S(w) of Assumption 4.7) when <w, x_i> <= 1 + ACTIVE_TOL:
# 10x the ~1e-10 relative accuracy of an interior-point solve.  LICQ is judged on the active set, which
# contains the support and, at degenerate points, active constraints with lambda_i = 0 as well.
ACTIVE_TOL = 1e-9


def licq_holds(XS: np.ndarray) -> bool:
    """Assumption 4.7 (LICQ): the support vectors (rows of XS) are linearly independent, judged by
    singular values with a relative threshold 1e-10 (the supports come from solves accurate to ~1e-10).

    Judged on XS with its columns and rows scaled by powers of two to largest entries in [1, 2): that changes
    neither the rank nor any entry's digits (exact in binary), but features on scales 1e3 apart no longer make
    the smallest singular value look like rounding (raw wine data: 11 support vectors in 13 dimensions)."""
    XS = np.asarray(XS, float)
    if XS.shape[0] == 0 or XS.shape[0] > XS.shape[1]:
        return False
    from ..optimizers.grads import column_scale  # the runs' exact power-of-two column scales

    A = XS / column_scale(XS)[0]
    A = A / column_scale(A.T)[0][:, None]
    sv = np.linalg.svd(A, compute_uv=False)
    return bool(sv[-1] > 1e-10 * sv[0])


def assemble(X: np.ndarray, norm: Norm, w: np.ndarray, lam: np.ndarray, status: str, solver: str) -> MaxMarginResult:
    """KKT residuals, support, slack and LICQ (on the active constraints) of the candidate (w, lambda) on X."""
    z = X @ w
    lam_max = float(np.max(np.abs(lam))) or 1.0
    kkt = KKTResiduals(
        primal_feasibility=float(max(0.0, np.max(1.0 - z))),
        dual_sign=float(max(0.0, -np.min(lam)) / lam_max),
        complementarity=float(np.max(np.abs(lam * (z - 1.0))) / lam_max),
        stationarity=norm.stationarity(w, X.T @ lam),
    )
    support = tuple(int(i) for i in np.flatnonzero(lam > SUPPORT_THRESHOLD * lam_max))
    rest = np.setdiff1d(np.arange(len(z)), support)
    slack = float(np.min(z[rest] - 1.0)) if rest.size else float("inf")
    return MaxMarginResult(norm=norm, w=w, direction=w / np.linalg.norm(w), margin=float(np.min(z)) / norm.value(w),
                           dual=lam, support=support, slack=slack,
                           active=tuple(int(i) for i in np.flatnonzero(z <= 1 + ACTIVE_TOL)), status=status,
                           solver=solver, kkt=kkt, X=X)
