"""The path solver of the finite-beta2 closure (:mod:`.finite_beta2`; docs/math.md §13.1-§13.2).

Newton on one support, the active-set moves around it, the batch homotopy u_t, and the step over points where
every batch mean of one coordinate vanishes (where Newton's rounding floor grows without bound).
"""

from __future__ import annotations

import math

import numpy as np

from .batch_map import _aggregation, circulant, direction_map, mixed_direction

def _newton(X, S, c0, umap, tol, max_iter):
    """Newton on F(c_S, kappa) = [kappa X_S u(c) - 1; sum c_S - 1]; returns (c, kappa, |F|, converged)."""
    N = X.shape[0]
    S = np.asarray(S)
    XS = X[S]
    c = np.zeros(N)
    c[S] = np.maximum(c0[S], 1e-12)
    c /= c.sum()
    u = umap(c)
    kappa = 1.0 / np.mean(XS @ u)

    def F(c, kappa):
        u = umap(c)
        return np.concatenate([kappa * (XS @ u) - 1, [c[S].sum() - 1]])

    f = F(c, kappa)
    for _ in range(max_iter):
        if np.max(np.abs(f)) < tol:
            return c, kappa, float(np.max(np.abs(f))), True
        u, J = umap(c, True)
        Jf = np.zeros((len(S) + 1, len(S) + 1))
        Jf[:-1, :-1] = kappa * XS @ J[:, S]
        Jf[:-1, -1] = XS @ u
        Jf[-1, :-1] = 1.0
        step = np.linalg.lstsq(Jf, -f, rcond=None)[0]
        t, f0 = 1.0, np.linalg.norm(f)
        while t > 1e-6:  # backtracking on ||F||
            cn = c.copy()
            cn[S] = c[S] + t * step[:-1]
            kn = kappa + t * step[-1]
            fn = F(cn, kn)
            if np.all(np.isfinite(fn)) and np.linalg.norm(fn) < (1 - 1e-4 * t) * f0:
                break
            t /= 2
        else:  # no descent: converged if |F| is at float64's rounding floor, else a genuine stall
            res = float(np.max(np.abs(f)))
            return c, kappa, res, res < STALL_TOL
        c, kappa, f = cn, kn, fn
    return c, kappa, float(np.max(np.abs(f))), bool(np.max(np.abs(f)) < STALL_TOL)  # crawling at the floor


def _active_set_solve(X, S, c0, umap, tol, max_iter, rounds, slack_tol):
    """Newton on S, then move one index in/out of S while the sign checks fail (at most ``rounds`` times)."""
    N = X.shape[0]
    S = sorted(S)
    history = []
    for _ in range(rounds):
        c, kappa, res, ok = _newton(X, S, c0, umap, tol, max_iter)
        w = kappa * umap(c)
        margins = X @ w
        off = [j for j in range(N) if j not in S]
        cS = c[S]
        if ok and cS.min() <= 0:
            drop = S[int(np.argmin(cS))]
            history.append(f"drop {drop}")
            S = [i for i in S if i != drop]
            c0 = np.where(c > 0, c, 0)
            continue
        if ok and off and margins[off].min() <= 1 + slack_tol:
            add = off[int(np.argmin(margins[off]))]
            history.append(f"add {add}")
            S = sorted(S + [add])
            c0 = c.copy()
            # an entering constraint's weight starts at 0 and grows continuously: start it there (Newton's floor
            # 1e-12), not at a fixed 1e-3, which can be far off (on wine_0v1 the smallest weights are ~2e-4, and
            # Newton from 1e-3 diverged to |F| = 1.35 where sample 24 re-enters, beta2 = 0.92583)
            c0[add] = 0.0
            continue
        return S, c, kappa, w, res, ok, history
    return S, c, kappa, w, res, ok, history


# Newton that can no longer reduce |F| has converged if |F| is below this: the residual's rounding floor is
# ~N eps cond(J), measured up to ~4e-13 on the random sets of benchmarks/finite_beta2_bench.py.
STALL_TOL = 1e-10
MAX_SPLITS = 40  # stage splits along the whole path (each halves one step; 40 halvings is far below eps)


def _umap(X, beta1, beta2, b, t):
    """u_t(c) = (1 - t) u_1(c) / N + t u_b(c) / M (with its Jacobian): the batch homotopy, b's map at t = 1."""
    N, M = X.shape[0], X.shape[0] // b
    many = direction_map(X, beta1, beta2, b)
    if t == 1.0 or b == 1:
        return many
    one = direction_map(X, beta1, beta2, 1)

    def umap(c, jac=False):
        if not jac:
            return (1 - t) * one(c) / N + t * many(c) / M
        (u1, J1), (ub, Jb) = one(c, True), many(c, True)
        return (1 - t) * u1 / N + t * ub / M, (1 - t) * J1 / N + t * Jb / M
    return umap


def _pinned(umap, X, beta1, beta2, b, t, p, sigma):
    """umap with u_b's coordinate p replaced by the constant sigma (the coordinate's batch part held fixed)."""
    wb = t / (X.shape[0] // b) if t < 1.0 else 1.0  # u_b's weight inside _umap

    def u(c, jac=False):
        if not jac:
            return umap(c) + wb * (sigma - mixed_direction(X, c, beta1, beta2, b)[p]) * np.eye(X.shape[1])[p]
        (uu, J), (ub, Jb) = umap(c, True), mixed_direction(X, c, beta1, beta2, b, jacobian=True)
        uu, J = uu.copy(), J.copy()
        uu[p] += wb * (sigma - ub[p])
        J[p] -= wb * Jb[p]
        return uu, J
    return u


def _step_over(X, S, c0, beta1, beta2, b, t, tol, max_iter):
    """Cross a point where all batch means of one coordinate p vanish together (u_b[p] is 0-homogeneous in them,
    so its Jacobian grows like 1/|g_p| and Newton's rounding floor with it).  With u_b[p] pinned to a constant
    sigma the system is smooth and well conditioned; the closure needs u_b[p](c(sigma)) = sigma, a scalar equation
    whose left side stays within |sigma| <= A (Cauchy-Schwarz), so phi(sigma) = u_b[p] - sigma changes sign in
    [-A, A]; the sign change is bracketed and bisected.  It may be a jump rather than a root, so the result is
    only a start: the caller's unpinned active-set solve must converge from it.  Returns that c or None."""
    N, M = X.shape[0], X.shape[0] // b
    S = np.asarray(S)
    g = _aggregation(N, b) @ (c0[:, None] * X)
    p = int(np.argmin(np.abs(g).max(axis=0)))
    B1, B2 = circulant(beta1, M), circulant(beta2, M)
    A = float(np.sum(np.sqrt(np.sum(B1**2 / B2, axis=1))))
    umap = _umap(X, beta1, beta2, b, t)

    def phi(sigma, start):
        c, _, _, ok = _newton(X, S, start, _pinned(umap, X, beta1, beta2, b, t, p, sigma), tol, max_iter)
        return (mixed_direction(X, c, beta1, beta2, b)[p] - sigma if ok else math.nan), c

    # phi(-A) >= 0 >= phi(A): march from sigma at c0 towards the sign change (pinned solves warm-started,
    # the step halved where one fails), then bisect the bracket.
    s0 = float(np.clip(mixed_direction(X, c0, beta1, beta2, b)[p], -A, A))
    f0, c = phi(s0, c0)
    if not math.isfinite(f0):
        return None
    if f0 == 0:
        return c
    # first step 1e-3 A, doubled while the sign holds; below 1e-12 A the pinned solves are not the obstacle
    direction, h, lo, flo, clo = (1.0 if f0 > 0 else -1.0), 1e-3 * A, s0, f0, c
    while True:
        if h < 1e-12 * A:
            return None
        s1 = float(np.clip(lo + direction * h, -A, A))
        f1, c1 = phi(s1, clo)
        if not math.isfinite(f1):
            h /= 2
            continue
        if (f1 > 0) != (flo > 0) or f1 == 0:
            hi = s1
            break
        if s1 in (-A, A):
            return None
        lo, flo, clo, h = s1, f1, c1, 2 * h
    for _ in range(60):  # sigma to float64 resolution
        mid = (lo + hi) / 2
        fm, cm = phi(mid, clo)
        if not math.isfinite(fm):
            return None
        if (fm > 0) == (flo > 0):
            lo, flo, clo = mid, fm, cm
        else:
            hi = mid
    return clo


def _midpoint(a, b):
    """Halfway between stages (t, beta2): in t, and in log(1 - beta2) (beta2 = 1 stays 1)."""
    (ta, ba), (tb, bb) = a, b
    if ba == 1.0 or bb == 1.0:
        return (ta + tb) / 2, (ba if ba == bb else 1 - (1 - min(ba, bb)) / 2)
    return (ta + tb) / 2, 1 - float(np.sqrt((1 - ba) * (1 - bb)))
