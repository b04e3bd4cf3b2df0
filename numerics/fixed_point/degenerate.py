"""The AdamProxy limit when D(c*) is singular: coordinates the support does not feed (docs/math.md §13.8).

Thm 4.8 needs D(c) > 0 (Assumption 2.2).  On data with zero entries (image pixels) a coordinate k can be 0 on
every support vector: D(c*)_k = 0 and P(c*) is undefined.  AdamProxy still moves k at its full rate: its
update (Def. 4.2) sum_j p_j x_jk / (N sqrt(sum_j p_j^2 x_jk^2)), p_j = |l'(<w, x_j>)|, is 0-homogeneous in
the weights of k's own feeders F(k) = {j : x_jk != 0}, so the feeders of smallest margin decide it however
small their weights are against the support's.

Levels.  With w_t = g(t) v + o(g(t)) and z_j = <v, x_j>, coordinate k is decided by T_k = argmin_{F(k)} z_j
(the others weigh e^{-g(t) gap} less); inside T_k the weights c_j = lim p_j / p_{j'} are finite.  So

    v_k = sum_{j in T_k} c_j x_jk / sqrt(sum_{j in T_k} c_j^2 x_jk^2)      (v_k = 0 on an all-zero column),

and the samples A = U_k T_k fall into *levels* of equal margin mu_1 < mu_2 < ...: level 1 is the support S
(Thm 4.8's, where every coordinate is fed by S and this is exactly T(c) = c), a coordinate fed only off the
support takes its value from the lowest level that feeds it.  Unknowns: c on A up to one scale per level and
one margin per level; equations: z_j = mu_level(j) for j in A; the system is square (|A| equations).  A
level of one sample j gives v_k = sign(x_jk) on the coordinates it decides.  Conditions checked on every
result: c > 0, every feeder outside T_k strictly above mu of k's level (relative slack), mu_1 > 0, and the
Jacobian of the system nonsingular (the level analogue of LICQ).

:func:`degenerate_limit` solves the level system by Newton (in log-weights throughout, so that weights e^-1000
apart stay representable; float64, |residual| < 1e-13) for a
structure: given explicitly, or read off a direction close to the limit (:func:`levels_from_direction`: the
estimated limit of a short AdamProxy run, see numerics.limits), and re-derives the structure from its own
solution until the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ConvergenceError
from .levels import deciders, levels_from_direction, singular_coordinates

__all__ = ["DegenerateLimit", "degenerate_limit", "level_vector", "log_weights_from_iterate"]

#: Newton's tolerance on the level equations' residual (margins of order 1, float64 Jacobian solves)
NEWTON_TOL = 1e-13
#: a feeder whose margin exceeds its coordinate's level by less than this (relative) counts as tied: the
#: solution's margins carry ~1e-13 error, and a tie broken only at 1e-9 would need lower-order terms
TIE = 1e-9


@dataclass(frozen=True)
class DegenerateLimit:
    """The AdamProxy limit direction by levels (module docstring).

    ``direction`` = v / ||v||; ``c`` the weights (zero off A, each level normalised to sum 1); ``levels`` the
    samples of each level, lowest margin first, with ``margins`` mu (of v, unnormalised); ``support`` =
    levels[0]; ``decided_by[k]`` the level deciding coordinate k (-1: an all-zero column); ``singular`` the
    coordinates where D(c*) = 0 (no support vector feeds them); ``min_slack`` the smallest relative excess of
    a non-deciding feeder over its coordinate's level; ``residual`` max |z_j - mu| on A."""

    direction: np.ndarray
    c: np.ndarray
    levels: tuple[tuple[int, ...], ...]
    margins: tuple[float, ...]
    decided_by: tuple[int, ...]
    singular: tuple[int, ...]
    never_fed: tuple[int, ...]
    min_slack: float
    min_multiplier: float
    residual: float
    iterations: int
    notes: tuple[str, ...] = field(default=())

    @property
    def support(self) -> tuple[int, ...]:
        return self.levels[0]

    def as_dict(self) -> dict:
        return {"direction": self.direction.tolist(), "c": self.c.tolist(), "support": list(self.support),
                "levels": [list(lv) for lv in self.levels], "level_margins": list(self.margins),
                "decided_by": list(self.decided_by), "singular_coordinates": list(self.singular),
                "never_fed_coordinates": list(self.never_fed), "min_slack": self.min_slack,
                "min_multiplier": self.min_multiplier, "residual": self.residual, "iterations": self.iterations,
                "notes": list(self.notes)}


def _v(X, theta, T):
    """v_k = sum_{T_k} c x / sqrt(sum_{T_k} c^2 x^2) for log-weights theta = log c, and its derivative in theta
    (rows: coordinates).  Each coordinate's terms are scaled by their largest in the log domain, so weights
    e^-1000 apart (a level read off an iterate with large ||w||) neither underflow to 0/0 nor overflow."""
    d, N = X.shape[1], X.shape[0]
    v, dv = np.zeros(d), np.zeros((d, N))
    for k in range(d):
        j = T[k]
        if j.size == 0:
            continue
        x = X[j, k]
        log_cx = theta[j] + np.log(np.abs(x))
        r = np.sign(x) * np.exp(log_cx - log_cx.max())  # c x / max |c x|: the largest term is exactly +-1
        D = np.sqrt(r @ r)
        v[k] = r.sum() / D
        # d v_k / d theta_j = cx_j / D' - (sum cx) cx_j^2 / D'^3 = q_j (1 - v_k q_j), q = cx / D' (D' = max D)
        q = r / D
        dv[k, j] = q * (1 - v[k] * q)
    return v, dv


def level_vector(X: np.ndarray, levels, c: np.ndarray) -> np.ndarray:
    """v of the module docstring (not normalised: v_k = +-1 where one sample decides k) for weights c on the
    levels' samples."""
    X = np.asarray(X, float)
    with np.errstate(divide="ignore"):  # log 0 = -inf: a zero weight contributes exactly 0
        theta = np.log(np.asarray(c, float))
    return _v(X, theta, deciders(X, levels)[1])[0]


def _solve(X, levels, theta0, max_iter=100):
    with np.errstate(all="ignore"):  # a non-finite trial step is rejected by the line search below
        return _newton_levels(X, levels, theta0, max_iter)


def _newton_levels(X, levels, theta0, max_iter):
    """Newton on z_j(v(c)) - mu_level(j) = 0, j in A, in theta = log c (the first sample of each level fixed)
    and mu: returns (theta, mu, v, residual, steps) or raises ConvergenceError."""
    _, T = deciders(X, levels)
    A = [j for lv in levels for j in lv]
    lvl = {j: ell for ell, lv in enumerate(levels) for j in lv}
    free = [j for lv in levels for j in lv[1:]]
    theta = np.asarray(theta0, float).copy()
    v, _ = _v(X, theta, T)
    mu = np.array([np.mean(X[list(lv)] @ v) for lv in levels])

    def resid(theta, mu):
        v, dv = _v(X, theta, T)
        z = X @ v
        return np.array([z[j] - mu[lvl[j]] for j in A]), v, dv

    F, v, dv = resid(theta, mu)
    if not np.all(np.isfinite(F)):
        raise ConvergenceError(f"degenerate limit: the level equations are not finite at Newton's start for levels "
                               f"{levels}")
    for it in range(1, max_iter + 1):
        if np.abs(F).max() < NEWTON_TOL:
            return theta, mu, v, float(np.abs(F).max()), it - 1
        dz = X[A] @ dv  # d z_j / d theta, rows j in A
        J = np.zeros((len(A), len(free) + len(levels)))
        J[:, :len(free)] = dz[:, free]
        for r, j in enumerate(A):
            J[r, len(free) + lvl[j]] = -1.0
        try:
            step = np.linalg.solve(J, F)
        except np.linalg.LinAlgError:
            raise ConvergenceError(f"degenerate limit: the level system is singular for levels {levels}") from None
        f0 = np.linalg.norm(F)
        t = min(1.0, 4.0 / max(np.abs(step[:len(free)]).max(initial=0.0), 1e-300))  # |d log c| <= 4 per step
        while t > 1e-6:
            theta_new = theta.copy()
            theta_new[free] = theta[free] - t * step[:len(free)]
            mu_new = mu - t * step[len(free):]
            F_new, v_new, dv_new = resid(theta_new, mu_new)
            if np.all(np.isfinite(F_new)) and np.linalg.norm(F_new) < (1 - 1e-4 * t) * f0:
                break
            t /= 2
        else:
            raise ConvergenceError(f"degenerate limit: Newton stalls at |F| = {f0:.1e} for levels {levels}")
        theta, mu, F, v, dv = theta_new, mu_new, F_new, v_new, dv_new
    raise ConvergenceError(f"degenerate limit: Newton did not converge in {max_iter} steps for levels {levels}")


def log_weights_from_iterate(X: np.ndarray, w: np.ndarray, levels) -> np.ndarray:
    """Newton's start, as log-weights: inside each level those an iterate w gives its samples,
    -(<w, x_j> - min) (exp loss: p_j = e^{-<w, x_j>}, relative to the level's largest); 0 elsewhere."""
    z = np.asarray(X, float) @ np.asarray(w, float)
    theta = np.zeros(len(z))
    for lv in levels:
        lv = list(lv)
        theta[lv] = -(z[lv] - z[lv].min())
    return theta


def degenerate_limit(X: np.ndarray, levels=None, *, direction: np.ndarray | None = None,
                     iterate: np.ndarray | None = None, tol: float = 1e-6, max_rounds: int = 20) -> DegenerateLimit:
    """The AdamProxy limit by levels (module docstring) for data X (rows y_i x_i): from ``levels`` (tuples of
    sample indices, lowest margin first), or from those :func:`levels_from_direction` reads off ``direction``
    (within ``tol``); ``iterate`` (an AdamProxy iterate) gives Newton's start inside each level.  The structure
    is then re-read from each solution until it reproduces itself.  Raises ConvergenceError naming what failed
    (Newton, a singular level system, a structure that does not reproduce itself, a feeder tied with its
    coordinate's level, margins that are not positive and increasing)."""
    X = np.asarray(X, float)
    N, d = X.shape
    if levels is None:
        if direction is None:
            raise ConvergenceError("degenerate limit: give the levels or a direction near the limit")
        levels = levels_from_direction(X, direction, tol)
    levels = tuple(tuple(sorted(int(j) for j in lv)) for lv in levels)
    never = tuple(int(k) for k in np.flatnonzero(~np.any(X != 0, axis=0)))
    theta = np.zeros(N) if iterate is None else log_weights_from_iterate(X, iterate, levels)
    seen = set()
    for rounds in range(1, max_rounds + 1):
        seen.add(levels)
        lev, T = deciders(X, levels)
        unfed = sorted(set(np.flatnonzero(lev < 0).tolist()) - set(never))
        if unfed:
            raise ConvergenceError(f"degenerate limit: no level feeds coordinates {unfed[:10]}")
        try:
            theta, mu, v, res, _ = _solve(X, levels, theta)
        except ConvergenceError:
            if not np.any(theta):
                raise
            # an iterate far out (weights e^-1000 apart in a level) leaves Newton flat in those samples'
            # log-weights: start again from uniform weights
            theta = np.zeros(N)
            theta, mu, v, res, _ = _solve(X, levels, theta)
        again = levels_from_direction(X, v, TIE * 1e3)
        if again != levels:
            if again in seen:
                raise ConvergenceError(f"degenerate limit: the level structure cycles ({levels} -> {again})")
            levels = again
            continue
        break
    else:
        raise ConvergenceError(f"degenerate limit: the level structure did not settle in {max_rounds} rounds")
    if not mu[0] > 0 or np.any(np.diff(mu) <= 0):
        raise ConvergenceError(f"degenerate limit: level margins {mu.tolist()} are not positive and increasing")
    z = X @ v
    slack = np.inf
    for k in range(d):
        if lev[k] < 0:
            continue
        others = np.setdiff1d(np.flatnonzero(X[:, k] != 0), T[k])
        if others.size:
            slack = min(slack, float(np.min(z[others]) / mu[lev[k]] - 1))
    if slack <= TIE:
        raise ConvergenceError(f"degenerate limit: a feeder ties with its coordinate's level (slack {slack:.1e})")
    cn = np.zeros(N)
    for lv in levels:
        c = np.exp(theta[list(lv)] - theta[list(lv)].max())  # the level's largest weight is 1: no overflow
        cn[list(lv)] = c / c.sum()
    A = [j for lv in levels for j in lv]
    singular = tuple(int(k) for k in singular_coordinates(X, levels[0]))
    notes = () if singular else ("D(c*) > 0: one level, the Thm 4.8 fixed point",)
    return DegenerateLimit(direction=v / np.linalg.norm(v), c=cn, levels=levels, margins=tuple(float(m) for m in mu),
                           decided_by=tuple(int(x) for x in lev), singular=singular, never_fed=never,
                           min_slack=float(slack), min_multiplier=float(min(cn[A])), residual=res,
                           iterations=rounds, notes=notes)
