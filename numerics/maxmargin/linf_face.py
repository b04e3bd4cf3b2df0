"""The l_inf max-margin solution nearest to a given direction (the l_inf minimiser need not be unique).

A check that treats "the l_inf direction" as a rival must measure the distance to the whole optimal face
F = {w : ||w||_inf <= tau*, X w >= 1} (tau* = min ||w||_inf), not to the one vertex an LP returns:
otherwise a limit lying on F could look far from "l_inf".  The nearest point is taken by projecting the
ray of u onto F:  min ||w - s u||^2 over w in F, s >= 0  (a convex QP, solved with cvxpy + Clarabel),
and its direction is returned.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import SolverError
from .clarabel_lp import TIGHT
from .problems import linf_max_margin

__all__ = ["nearest_linf_direction"]

# The face is widened by this relative amount: tau* comes from an interior-point solve accurate to ~1e-10.
FACE_SLACK = 1e-9


def nearest_linf_direction(X: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Unit direction of the point of the l_inf max-margin face nearest to the ray of ``u`` (module docstring)."""
    import cvxpy as cp

    X = np.asarray(X, float)
    s0 = float(np.max(np.abs(X)))
    Xs = X / s0
    tau = float(np.max(np.abs(linf_max_margin(Xs).w))) * (1 + FACE_SLACK)
    u = np.asarray(u, float) / np.linalg.norm(u)
    w, s = cp.Variable(X.shape[1]), cp.Variable(nonneg=True)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(w - s * u * tau)), [Xs @ w >= 1, cp.norm(w, "inf") <= tau])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob.solve(solver=cp.CLARABEL, **TIGHT)
    if w.value is None or prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(f"nearest l_inf max-margin solution: status {prob.status}")
    v = np.asarray(w.value, float)
    return v / np.linalg.norm(v)
