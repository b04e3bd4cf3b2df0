"""The last resort for any norm: the problem written in cvxpy and solved by Clarabel through it."""

from __future__ import annotations

import warnings

import numpy as np

from .norms import Norm

__all__ = ["solve_cvxpy"]


def solve_cvxpy(X: np.ndarray, norm: Norm, settings: dict) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """(w, lambda, status) of min norm.objective(w) s.t. X w >= 1; (None, None, status) on failure."""
    import cvxpy as cp

    w = cp.Variable(X.shape[1])
    cons = [X @ w >= 1]
    prob = cp.Problem(cp.Minimize(norm.objective(w)), cons)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cvxpy warns on inaccurate solves; the KKT check reports those
            prob.solve(solver=cp.CLARABEL, **settings)
    except cp.error.SolverError as exc:
        return None, None, f"solver failure ({exc})"
    if prob.status != cp.OPTIMAL or w.value is None or cons[0].dual_value is None:
        return None, None, prob.status
    return np.asarray(w.value, float), np.asarray(cons[0].dual_value, float), prob.status
