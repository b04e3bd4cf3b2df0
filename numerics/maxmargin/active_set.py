"""The quadratic max-margin problems by their dual, with a small specialised active-set method.

min 1/2 w^T D w s.t. X w >= 1 (D = I: the l2 problem; D = D(c): P(c) of Def. 4.6) is a hard-margin
SVM in the features A = X D^{-1/2}.  Its dual is the bound-constrained QP over N multipliers

    min_lambda 1/2 lambda^T K lambda - 1^T lambda,  lambda >= 0,   K = A A^T = X D^{-1} X^T,

and w = D^{-1} X^T lambda.  On the support F (the free multipliers) the optimum solves K_FF lambda_F = 1,
i.e. every support vector has margin exactly 1.  The method below is Lawson and Hanson's active-set
scheme for this QP: add the constraints with margin < 1 to F, solve on F, and step back to the
feasible set when a multiplier turns negative (dropping it from F).  A good guess of F (the previous
support, e.g. across Algorithm 3's iterations) makes it one linear solve.  It returns None whenever
it cannot succeed cleanly (a singular K_FF, i.e. LICQ failing, or no separating solution: the dual is
unbounded), and the caller falls back to an interior-point solver; every answer is KKT-checked by
:func:`numerics.maxmargin.kkt.assemble` either way.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dual_active_set"]

# A margin below 1 - VIOLATION is a violated constraint (relative rounding of K lambda is ~N eps cond).
VIOLATION = 1e-12
# K_FF with a larger condition number is treated as singular (LICQ fails to working precision).
MAX_COND = 1e13


def _solve_on(K: np.ndarray, F: list[int]) -> np.ndarray | None:
    KFF = K[np.ix_(F, F)]
    try:
        mu = np.linalg.solve(KFF, np.ones(len(F)))
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(mu)) or np.linalg.cond(KFF) > MAX_COND:
        return None
    return mu


def dual_active_set(X: np.ndarray, metric: np.ndarray | None = None, start=None,
                    max_rounds: int | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(w, lambda) of min 1/2 w^T diag(metric) w s.t. X w >= 1 (metric None: the identity), or None.

    ``start``: indices guessed to be the support (a warm start); ``max_rounds``: outer iterations
    (default 3N + 10).
    """
    X = np.asarray(X, float)
    N = X.shape[0]
    inv = np.ones(X.shape[1]) if metric is None else 1.0 / np.asarray(metric, float)
    K = (X * inv) @ X.T
    lam = np.zeros(N)
    F = sorted({int(i) for i in start}) if start is not None else []
    while F:  # a feasible start from the guess: drop guessed indices with a negative multiplier
        mu = _solve_on(K, F)
        if mu is None:
            F = []
            break
        if np.all(mu > 0):
            lam[F] = mu
            break
        F = [i for i, m in zip(F, mu) if m > 0]
    for _ in range(3 * N + 10 if max_rounds is None else max_rounds):
        margins = K @ lam
        free = np.ones(N, bool)
        free[F] = False
        violated = np.flatnonzero(free & (margins < 1 - VIOLATION))
        if violated.size == 0:
            return inv * (X.T @ lam), lam
        F = sorted(F + [int(violated[np.argmin(margins[violated])])])
        while True:  # Lawson-Hanson inner loop: stay feasible, drop multipliers that hit 0
            mu = _solve_on(K, F)
            if mu is None:
                return None
            if np.all(mu > 0):
                lam[:] = 0.0
                lam[F] = mu
                break
            cur = lam[F]
            neg = np.flatnonzero(mu <= 0)
            ratios = cur[neg] / (cur[neg] - mu[neg])
            alpha = float(np.min(ratios))
            new = cur + alpha * (mu - cur)
            new[neg[ratios <= alpha]] = 0.0  # the multipliers that reach 0 leave F
            lam[:] = 0.0
            lam[F] = np.maximum(new, 0.0)
            F = [i for i, v in zip(F, new) if v > 0]
            if not F:
                return None
    return None
