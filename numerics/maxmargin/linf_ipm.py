"""The l_inf max-margin LP by an interior-point method specialised to its structure (dense data, N <= d).

The LP  min ||w||_inf s.t. X w >= 1  is solved in its bounded form

    max gamma  s.t.  X w >= gamma 1,  -1 <= w <= 1        (gamma* = the l_inf margin, w*/gamma* the LP's w),

whose dual is  min ||X^T lambda||_1  over the simplex (the certificate's weak duality, docs/math.md §13.3).
w = 0, gamma = -1, lambda = 1/N is strictly feasible for both, and a feasible primal-dual path-following
method keeps both feasible: Mehrotra's predictor-corrector (S. Mehrotra, SIAM J. Optim. 2, 1992).  The
bounds on w are diagonal, so each Newton system reduces to the N x N normal equations in lambda,

    (X Theta^-1 X^T + diag(s / lambda)) dlambda - dgamma 1 = rhs,   1^T dlambda = r,   Theta = alpha/u + beta/v,

bordered by the simplex row.  Near the optimum K = X Theta^-1 X^T + diag(s/lambda) becomes singular (|S| support
rows, |S| - 1 free coordinates) while the bordered system does not, so K + rho 1 1^T (positive definite,
since the optimal lambda is not orthogonal to 1) is factored instead, by Cholesky: one symmetric BLAS
product of N^2 d and one N^3/3 factorisation per iteration, and no sparse factorisation of the dense X.

Once the gap is small, the optimal vertex is recovered from the iterate (a crossover on the structure):
coordinates with min(u, v) < max(alpha, beta) sit at a bound (El-Bakry, Tapia, Zhang's indicators), the
|free| + 1 rows of smallest s_i / lambda_i are taken as active (a nondegenerate vertex has that many), and
two square solves give the exact vertex and its multipliers, kept only if they pass the optimality checks.  The caller checks the KKT residuals of whatever is returned.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

__all__ = ["solve_linf_ipm"]

# Stop when the duality gap is below this times max(1, gamma): the KKT residuals are then ~1e-10, 100x
# below the acceptance threshold KKT_TOL = 1e-8 (kkt.py), and the active set is identified.
GAP_TOL = 1e-10
MAX_ITER = 100
# Fraction of the step to the boundary (Mehrotra's heuristic keeps iterates strictly interior).
STEP = 0.995
# A vertex from the crossover may violate a bound, a sign or a constraint by this much relative (rounding
# of the square solves, ~cond * 1e-16); larger violations mean a wrong active set and the vertex is discarded.
VERTEX_TOL = 1e-11


def solve_linf_ipm(X: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """(w, lambda, status) for min ||w||_inf s.t. X w >= 1, lambda scaled so that ||X^T lambda||_1 = 1 (the
    multipliers of the LP in the (w, t) form); (None, None, reason) if the data are not separable or the
    method fails.  Needs N <= d (dense N x N normal equations)."""
    X = np.asarray(X, float)
    it = _ipm(X)
    if it is None:
        return None, None, "interior point: the normal equations failed"
    w, gam, lam = it["w"], it["gamma"], it["lambda"]
    if not gam > 0:
        return None, None, f"not separable (l_inf margin {gam:.3g} <= 0)"
    vertex = _vertex(X, it)
    if vertex is not None:
        w, gam, lam = vertex
    return w / gam, lam / np.abs(X.T @ lam).sum(), "optimal"


def _ipm(X: np.ndarray) -> dict | None:
    N, d = X.shape
    w, gam = np.zeros(d), -1.0
    lam = np.full(N, 1.0 / N)
    g = X.T @ lam
    alpha, beta = np.maximum(g, 0) + 1.0, np.maximum(-g, 0) + 1.0  # alpha - beta = X^T lambda
    best, stalled = np.inf, 0
    for _ in range(MAX_ITER):
        s, u, v = X @ w - gam, 1.0 - w, 1.0 + w
        gap = alpha.sum() + beta.sum() - gam  # dual minus primal objective (both feasible)
        if gap <= GAP_TOL * max(1.0, abs(gam)):
            break
        stalled = 0 if gap < 0.5 * best else stalled + 1
        best = min(best, gap)
        if stalled >= 3:  # rounding limits progress (~1e-10 relative): stop where we are
            break
        mu = (s @ lam + u @ alpha + v @ beta) / (N + 2 * d)
        theta = alpha / u + beta / v
        rd = X.T @ lam - alpha + beta  # stays ~1e-16: dual feasibility is kept up to rounding
        rg = 1.0 - lam.sum()
        Z = X / np.sqrt(theta)
        K = Z @ Z.T  # X Theta^-1 X^T (numpy calls the symmetric BLAS product for Z @ Z.T)
        del Z
        K[np.diag_indices(N)] += s / lam
        rho = float(np.mean(np.diag(K)))
        K += rho  # + rho 1 1^T: positive definite although K alone turns singular at the optimum
        try:  # numpy's LAPACK, the library of the product above (two BLAS thread pools compete on 2 cores)
            chol = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:
            break
        del K

        def solve(r):
            y = scipy.linalg.solve_triangular(chol, r, lower=True, check_finite=False)
            return scipy.linalg.solve_triangular(chol, y, lower=True, trans=1, check_finite=False)

        k1 = solve(np.ones(N))

        def newton(cs, cu, cv):
            t = rd - cu / u + cv / v
            kr = solve(cs / lam - X @ (t / theta) + rho * rg)
            dg = (rg - kr.sum()) / k1.sum()
            dl = kr + dg * k1
            dw = (X.T @ dl + t) / theta
            return dw, dg, X @ dw - dg, dl, (cu + alpha * dw) / u, (cv - beta * dw) / v

        dw, dg, ds, dl, da, db = newton(-s * lam, -u * alpha, -v * beta)  # predictor (affine scaling)
        tp, td = _step(((s, ds), (u, -dw), (v, dw))), _step(((lam, dl), (alpha, da), (beta, db)))
        mu_aff = ((s + tp * ds) @ (lam + td * dl) + (u - tp * dw) @ (alpha + td * da)
                  + (v + tp * dw) @ (beta + td * db)) / (N + 2 * d)
        sigma = (mu_aff / mu) ** 3
        dw, dg, ds, dl, da, db = newton(sigma * mu - s * lam - ds * dl, sigma * mu - u * alpha + dw * da,
                                        sigma * mu - v * beta - dw * db)  # corrector
        tp = STEP * _step(((s, ds), (u, -dw), (v, dw)))
        td = STEP * _step(((lam, dl), (alpha, da), (beta, db)))
        w, gam = np.clip(w + tp * dw, -1.0, 1.0), gam + tp * dg
        lam, alpha, beta = lam + td * dl, alpha + td * da, beta + td * db
    if not np.all(np.isfinite(w)) or not np.isfinite(gam):
        return None
    s = X @ w - gam
    if np.min(s) < 0:  # the clip of w or rounding left the primal iterate infeasible: take its own margin
        gam = float(np.min(X @ w))
    return {"w": w, "gamma": gam, "lambda": np.maximum(lam, 0.0), "s": X @ w - gam, "u": 1.0 - w, "v": 1.0 + w,
            "alpha": alpha, "beta": beta}


def _step(pairs) -> float:
    """Largest t <= 1 with x + t dx >= 0 for every (x, dx)."""
    t = 1.0
    for x, dx in pairs:
        neg = dx < 0
        if neg.any():
            with np.errstate(over="ignore"):  # x / |dx| beyond 1e308 is a bound of +inf: no limit on t
                t = min(t, float(np.min(-x[neg] / dx[neg])))
    return t


def _vertex(X: np.ndarray, it: dict):
    """(w, gamma, lambda) of the optimal vertex the iterate points at, or None (module docstring)."""
    N, d = X.shape
    at_bound = np.minimum(it["u"], it["v"]) < np.maximum(it["alpha"], it["beta"])
    F, B = np.flatnonzero(~at_bound), np.flatnonzero(at_bound)
    if F.size + 1 > N:
        return None
    S = np.sort(np.argsort(it["s"] / np.maximum(it["lambda"], 1e-300))[:F.size + 1])  # a vertex has |F| + 1 of them
    sign = np.where(it["w"][B] >= 0, 1.0, -1.0)
    M = np.hstack([X[np.ix_(S, F)], -np.ones((S.size, 1))])  # X_SF w_F - gamma = -X_SB sign_B on the active rows
    try:
        lu = scipy.linalg.lu_factor(M, check_finite=False)
        if not np.all(np.abs(np.diag(lu[0])) > 0):
            return None
        x = scipy.linalg.lu_solve(lu, -X[np.ix_(S, B)] @ sign, check_finite=False)
        e = np.zeros(S.size)
        e[-1] = -1.0
        lam_S = scipy.linalg.lu_solve(lu, e, trans=1, check_finite=False)  # X_SF^T lambda = 0, 1^T lambda = 1
    except (np.linalg.LinAlgError, ValueError):
        return None
    w = np.empty(d)
    w[B], w[F], gam = sign, x[:-1], float(x[-1])
    lam = np.zeros(N)
    lam[S] = lam_S
    g = X.T @ lam
    z = X @ w
    ok = (gam > 0 and np.max(np.abs(w[F]), initial=0.0) <= 1 + VERTEX_TOL
          and np.min(lam_S) >= -VERTEX_TOL * np.max(lam_S)
          and np.min(sign * g[B], initial=0.0) >= -VERTEX_TOL * np.max(np.abs(g))
          and np.min(z) >= gam * (1 - VERTEX_TOL) and gam >= it["gamma"] * (1 - VERTEX_TOL))
    if not ok:
        return None
    return np.clip(w, -1.0, 1.0), gam, np.maximum(lam, 0.0)
