"""The quadratic max-margin problems by their dual, with a small specialised active-set method.

min 1/2 w^T D w s.t. X w >= 1 (D = I: the l2 problem; D = D(c): P(c) of Def. 4.6) is a hard-margin
SVM in the features A = X D^{-1/2}.  Its dual is the bound-constrained QP over N multipliers

    min_lambda 1/2 lambda^T K lambda - 1^T lambda,  lambda >= 0,   K = A A^T = X D^{-1} X^T,

and w = D^{-1} X^T lambda.  Its KKT conditions are the linear complementarity problem
mu = K lambda - 1 >= 0, lambda >= 0, lambda_i mu_i = 0; on the support F (the free multipliers) the
optimum solves K_FF lambda_F = 1, i.e. every support vector has margin exactly 1.

Two methods, both exchanging indices between F and its complement:

* block principal pivoting (Judice and Pires 1994; Kim and Park 2011 for NNLS): solve on F, then move
  *every* infeasible index (lambda_i < 0 in F, mu_i < 0 outside) at once; a bounded number of block
  exchanges that do not reduce the count of infeasible indices switches to single exchanges of the
  largest one (the backup rule, finite for positive definite K).  A guess of F (the previous support,
  e.g. across Algorithm 3's iterations) makes it one or two Cholesky solves; cold, F starts as every
  index when N <= d (Gaussian data: most points are support vectors).
* Lawson and Hanson's scheme (one index enters per round, multipliers stay feasible), used when K_FF
  is singular on the way (N > d: K has rank <= d), from the positive part of the last iterate.

Either returns None when it cannot succeed cleanly (LICQ failing to working precision, or no
separating solution: the dual is unbounded), and the caller falls back to an interior-point solver;
every answer is KKT-checked by :func:`numerics.maxmargin.kkt.assemble` either way.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

__all__ = ["dual_active_set", "gram"]

# A margin below 1 - VIOLATION is a violated constraint (relative rounding of K lambda is ~N eps cond).
VIOLATION = 1e-12
# K_FF whose Cholesky factor has (max diag / min diag)^2 above this (a lower bound of cond(K_FF)) is
# treated as singular: LICQ fails to working precision.
MAX_COND = 1e13
# Support margins off 1 by more than this trigger the QR re-solve of lambda_F (:func:`_refine`).
REFINE_AT = 1e-12
# Block exchanges allowed without progress before the backup rule (Judice and Pires use 3).
PATIENCE = 3


def gram(X: np.ndarray, metric: np.ndarray | None = None) -> np.ndarray:
    """K = X diag(metric)^{-1} X^T (metric None: X X^T), through one symmetric BLAS product."""
    A = X if metric is None else X / np.sqrt(np.asarray(metric, float))
    return A @ A.T


def _solve_on(K: np.ndarray, F) -> np.ndarray | None:
    """lambda_F with K_FF lambda_F = 1 by Cholesky, or None if K_FF is (numerically) singular."""
    F = np.asarray(F, int)
    if F.size == 0:
        return np.zeros(0)
    try:
        factor = scipy.linalg.cho_factor(K[np.ix_(F, F)], lower=True, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None
    diag = np.abs(np.diag(factor[0]))
    if not diag.min() > 0 or (diag.max() / diag.min()) ** 2 > MAX_COND:
        return None
    mu = scipy.linalg.cho_solve(factor, np.ones(F.size), check_finite=False)
    return mu if np.all(np.isfinite(mu)) else None


def _pivoting(K: np.ndarray, F: np.ndarray, max_rounds: int):
    """Block principal pivoting from the boolean support guess F: (lambda, None) on success,
    (None, F) when K_FF turned singular (the last F, for the fallback), (None, None) otherwise."""
    N = K.shape[0]
    best, patience = N + 1, PATIENCE
    for _ in range(max_rounds):
        idx = np.flatnonzero(F)
        mu = _solve_on(K, idx)
        if mu is None:
            return None, F
        lam = np.zeros(N)
        lam[idx] = mu
        margins = K[:, idx] @ mu if idx.size else np.zeros(N)
        bad = (F & (lam < 0)) | (~F & (margins < 1 - VIOLATION))
        n_bad = int(bad.sum())
        if n_bad == 0:
            return lam, None
        if n_bad < best:
            best, patience = n_bad, PATIENCE
            F = F ^ bad
        elif patience > 0:
            patience -= 1
            F = F ^ bad
        else:  # backup rule: exchange only the largest infeasible index
            F = F.copy()
            F[np.flatnonzero(bad)[-1]] ^= True
    return None, None


def _lawson_hanson(K: np.ndarray, lam: np.ndarray, max_rounds: int) -> np.ndarray | None:
    """Lawson-Hanson from the feasible point lam >= 0: add the most violated constraint, solve on F, and step
    back to the feasible set when a multiplier turns negative (dropping it from F)."""
    N = K.shape[0]
    F = [int(i) for i in np.flatnonzero(lam > 0)]
    while F:  # make the start a solution on its own support
        mu = _solve_on(K, F)
        if mu is None:
            F = []
            break
        if np.all(mu > 0):
            lam = np.zeros(N)
            lam[F] = mu
            break
        F = [i for i, m in zip(F, mu) if m > 0]
    if not F:
        lam = np.zeros(N)
    for _ in range(max_rounds):
        margins = K @ lam
        free = np.ones(N, bool)
        free[F] = False
        violated = np.flatnonzero(free & (margins < 1 - VIOLATION))
        if violated.size == 0:
            return lam
        F = sorted(F + [int(violated[np.argmin(margins[violated])])])
        while True:  # inner loop: stay feasible, drop multipliers that hit 0
            mu = _solve_on(K, F)
            if mu is None:
                return None
            if np.all(mu > 0):
                lam = np.zeros(N)
                lam[F] = mu
                break
            cur = lam[F]
            neg = np.flatnonzero(mu <= 0)
            ratios = cur[neg] / (cur[neg] - mu[neg])
            alpha = float(np.min(ratios))
            new = cur + alpha * (mu - cur)
            new[neg[ratios <= alpha]] = 0.0  # the multipliers that reach 0 leave F
            lam = np.zeros(N)
            lam[F] = np.maximum(new, 0.0)
            F = [i for i, v in zip(F, new) if v > 0]
            if not F:
                return None
    return None


def dual_active_set(X: np.ndarray, metric: np.ndarray | None = None, start=None,
                    max_rounds: int | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(w, lambda) of min 1/2 w^T diag(metric) w s.t. X w >= 1 (metric None: the identity), or None.

    ``start``: indices guessed to be the support (a warm start); ``max_rounds``: exchange rounds of
    each method (default 3N + 10).
    """
    X = np.asarray(X, float)
    N, d = X.shape
    inv = np.ones(d) if metric is None else 1.0 / np.asarray(metric, float)
    K = gram(X, metric)
    rounds = 3 * N + 10 if max_rounds is None else max_rounds
    F = np.zeros(N, bool)
    if start is not None:
        F[[int(i) for i in start]] = True
    elif N <= d:
        F[:] = True
    lam, stuck = _pivoting(K, F, rounds)
    if lam is None and stuck is not None:  # K_FF singular on the way: the one-at-a-time method from there
        guess = np.zeros(N)
        guess[stuck] = 1.0
        lam = _lawson_hanson(K, guess, rounds)
    if lam is None:
        return None
    w = inv * (X.T @ lam)
    F = np.flatnonzero(lam > 0)
    if F.size and np.abs(X[F] @ w - 1.0).max() > REFINE_AT:
        w, lam = _refine(X, inv, w, lam, F)
    return w, lam


def _refine(X: np.ndarray, inv: np.ndarray, w: np.ndarray, lam: np.ndarray, F: np.ndarray):
    """(w, lambda) again on the support F by a QR of A_F^T = Q R (A = X diag(inv)^(1/2)): R^T y = 1, R lambda_F = y,
    w = diag(inv)^(1/2) Q y.  K_FF = A_F A_F^T has cond(A_F)^2, so Cholesky's lambda is off by ~ cond(A_F)^2 eps, and
    w = inv X^T lambda adds a cancellation of |X|^T |lambda| eps (raw wine, columns 2^11 apart: margins 1e-8 off);
    the triangular solves and Q y are ~ cond(A_F) eps.  Used only where the support margins are off 1 by more
    than REFINE_AT, and only if the new multipliers stay > 0."""
    root = np.sqrt(inv)
    try:
        Q, R = scipy.linalg.qr((X[F] * root).T, mode="economic", check_finite=False)
        y = scipy.linalg.solve_triangular(R, np.ones(F.size), trans="T", check_finite=False)
        new = scipy.linalg.solve_triangular(R, y, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return w, lam
    w_new = root * (Q @ y)
    if not (np.all(np.isfinite(new)) and np.all(new > 0) and np.all(np.isfinite(w_new))):
        return w, lam
    out = np.zeros_like(lam)
    out[F] = new
    return w_new, out
