"""Finite-beta2 and mini-batch predictors of the Adam limit direction (docs/math.md §13.1-§13.2).

CONJECTURE-LEVEL CONSTRUCTION.  The paper has no fixed-point formulation for finite beta2
(docs/math.md §7): Lemma A.1 / Eq. (8) only says that, *if* w_r = g(r) w_hat + rho(r) with
rho(r) -> rho_bar, then

    w_hat  ∝  u(c) := sum_i [ sum_j beta1^((i-j) mod N) c_j x_j ] / sqrt( sum_j beta2^((i-j) mod N) c_j^2 x_j^2 )

(entrywise), with c_j ∝ exp(-<rho_bar, x_j>) on the support S = argmin_i <w_hat, x_i> and 0
off it.  The relative weights c_S are set by the residual rho_bar, which the margins alone
do not determine.  The *closure* used here is: take c on the simplex, supported on S, such
that w = kappa u(c) has equal margins <w, x_i> = 1 on S.  On a candidate S this is the square
system in (c_S, kappa)

    kappa <u(c), x_i> - 1 = 0   (i in S),        sum_{j in S} c_j - 1 = 0,

|S| + 1 equations in |S| + 1 unknowns (u is 0-homogeneous in c, so the simplex constraint
fixes the scale of c).  At beta2 = 1 every denominator equals sqrt(sum_j c_j^2 x_j^2) and the
beta1 weights sum out, so u(c) ∝ D(c)^{-1} sum_j c_j x_j: the system is exactly Lemma 4.5 /
Thm 4.8's fixed-point system and the predictor reduces to the AdamProxy fixed point.  The
solver starts there (Algorithm 3) and follows beta2 from 1 down to the requested value by
continuation (Newton in float64 with an analytic Jacobian at every step), with an active-set
correction (drop a negative c_j, add the most violated constraint) whenever the sign checks
fail.  Whether the closure is right is an empirical question; benchmarks/finite_beta2_bench.py
compares it with long epoch-map, Inc-Adam and mini-batch Adam runs.

Mini-batch Adam (item 4).  Batch size b dividing N, cyclic batches B_k = {kb, ..., kb+b-1},
M = N/b batches per epoch; step t = rM + k uses the batch-mean gradient
g_k(w) = (1/b) sum_{j in B_k} grad L_j(w).  Derivation of the epoch recurrence (as for
Prop. 2.5, docs/math.md §3): within an epoch w ≈ w^r_0 (it moves O(eta)), so with w frozen the
batch gradients are M-periodic.  Unrolling the EMA over all past cycles,

    m_{rM+k} = (1-beta1) sum_{s>=0} beta1^s g_{(k-s) mod M}
             = (1-beta1) sum_l g_l sum_{q>=0} beta1^{((k-l) mod M) + qM}
             = (1-beta1)/(1-beta1^M) sum_l beta1^((k-l) mod M) g_l,
    v_{rM+k} = (1-beta2)/(1-beta2^M) sum_l beta2^((k-l) mod M) g_l^2,

and the epoch update sum_k eta_{rM+k} m/sqrt(v) ≈ eta_{rM} times

    C_inc(beta1, beta2, M) sum_{k<M} [sum_l beta1^((k-l) mod M) g_l] / sqrt(sum_l beta2^((k-l) mod M) g_l^2),
    C_inc(beta1, beta2, M) = (1-beta1)/(1-beta1^M) sqrt((1-beta2^M)/(1-beta2))          (Eq. (2_b))

(:func:`epoch_map_batch`; b = 1 is Eq. (2)).  b = N (M = 1) gives C_inc = 1 and the update
g/|g| = sign(grad L): Det-Adam's SignGD map (Prop. 2.4).  Note the preconditioner is a sum of
squared *batch means*, so cross terms between samples of one batch enter it.

With exponential-type tails g_l ∝ -sum_{j in B_l} c_j x_j, and the same closure gives the
batch predictor u_b(c) = sum_k [sum_l beta1^((k-l) mod M) gbar_l] / sqrt(sum_l beta2^((k-l) mod M) gbar_l^2),
gbar_l = sum_{j in B_l} c_j x_j.  For b = N, u_N(c) = sign(sum_j c_j x_j): the closure
"w ∝ sign(X^T c), c >= 0 on S, equal margins on S" is the KKT system of the l_inf max-margin
problem (where X^T c has no zero entries), but it is piecewise constant in c, so Newton
cannot solve it: for b = N the predictor returns the l_inf max-margin direction (an LP,
:func:`numerics.maxmargin.linf_max_margin`) and says so in ``notes``.  For 1 < b < N the map
is smooth as long as no coordinate of every batch mean vanishes; it becomes sign-like (and
Newton struggles) when the support lies in a single batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import ConvergenceError
from .batch_map import _aggregation, batch_c_inc, check_betas, circulant, epoch_map_batch, mixed_direction

__all__ = ["FiniteBeta2Prediction", "finite_beta2_fixed_point", "mixed_direction", "epoch_map_batch",
           "circulant", "batch_c_inc"]


@dataclass(frozen=True)
class FiniteBeta2Prediction:
    """Predicted limit direction of Inc-Adam (b = 1) / cyclic mini-batch Adam at finite (beta1, beta2).

    ``direction``: unit vector w/||w||; ``c``: weights on the simplex (0 off ``support``);
    ``w`` = kappa u_b(c), scaled so the margins on S equal 1; ``residual``: max |F| of the square
    system at the solution; ``checks``: c > 0 on S, non-support margins > 1, convergence;
    ``method``: "newton-continuation" or "linf-lp" (b = N).  A conjecture-level closure
    (module docstring), not a theorem of the paper.
    """

    direction: tuple[float, ...]
    c: tuple[float, ...]
    support: tuple[int, ...]
    w: tuple[float, ...]
    residual: float
    checks: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    beta1: float = 0.0
    beta2: float = 1.0
    batch_size: int = 1
    method: str = "newton-continuation"

    @property
    def direction_array(self) -> np.ndarray:
        return np.array(self.direction)

    def as_dict(self) -> dict:
        return {"direction": [float(v) for v in self.direction], "c": [float(v) for v in self.c],
                "support": [int(i) for i in self.support], "residual": float(self.residual),
                "checks": {k: (v if isinstance(v, bool) else _json_float(v)) for k, v in self.checks.items()},
                "notes": list(self.notes), "beta1": self.beta1, "beta2": self.beta2,
                "batch_size": self.batch_size, "method": self.method, "conjecture": True}


def _json_float(v) -> float | None:
    """float, with +-inf (e.g. min_slack when every sample is a support vector) as None for JSON."""
    v = float(v)
    return v if math.isfinite(v) else None


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
            c0[add] = 1e-3
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
    if t == 1.0 or b == 1:
        return lambda c, jac=False: mixed_direction(X, c, beta1, beta2, b, jacobian=jac)

    def umap(c, jac=False):
        one, many = (mixed_direction(X, c, beta1, beta2, bb, jacobian=jac) for bb in (1, b))
        if not jac:
            return (1 - t) * one / N + t * many / M
        return (1 - t) * one[0] / N + t * many[0] / M, (1 - t) * one[1] / N + t * many[1] / M
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


def finite_beta2_fixed_point(X: np.ndarray, beta1: float = 0.0, beta2: float = 0.999, *, batch_size: int = 1,
                             tol: float = 1e-13, max_iter: int = 50, continuation_steps: int = 24,
                             rounds: int | None = None, slack_tol: float = 1e-10) -> FiniteBeta2Prediction:
    """Solve the Eq. (8)-type closure (module docstring) for the cyclic order 0, ..., N-1 of the rows of X.

    Start: Algorithm 3's Thm 4.8 fixed point (b = 1), then a homotopy in the batch structure to the
    beta2 = 1 system of batch size b, then continuation in beta2 along 1 - beta2 = geomspace(1e-6, 1 - beta2),
    with an active-set correction at every stage and stages split where Newton fails.  Where the path crosses a
    point at which all batch means of one coordinate vanish (:func:`_step_over`), the stage is started from the
    root of a pinned, well-conditioned system instead.  b = N returns the l_inf max-margin direction (sign closure).
    Raises ConvergenceError if the final Newton solve does not converge.
    """
    X = np.asarray(X, float)
    N, d = X.shape
    beta1, beta2, M = check_betas(beta1, beta2, N, batch_size)
    rounds = 2 * N if rounds is None else rounds
    notes = ["conjecture-level closure of Lemma A.1 / Eq. (8): equal margins on the support fix c_S; "
             "the paper has no fixed-point formulation for finite beta2"]
    if M == 1:
        from ..maxmargin import linf_max_margin

        r = linf_max_margin(X)
        lam = np.asarray(r.dual, float)
        c = lam / lam.sum()
        w = np.asarray(r.w, float)
        margins = X @ w
        S = tuple(int(i) for i in r.support)
        off = [j for j in range(N) if j not in S]
        notes.append("b = N: the closure is w ∝ sign(X^T c), piecewise constant in c (Newton cannot solve it); "
                     "its solutions are KKT points of the l_inf max-margin LP, whose solution is returned")
        checks = {"converged": True, "c_positive": bool(c[list(S)].min() > 0), "min_c": float(c[list(S)].min()),
                  "non_support_inactive": bool(not off or margins[off].min() > 1),
                  "min_slack": float(margins[off].min() - 1) if off else math.inf}
        return FiniteBeta2Prediction(tuple(np.asarray(r.direction, float)), tuple(c), S, tuple(w),
                                     float(np.max(np.abs(margins[list(S)] - 1))), checks, tuple(notes),
                                     beta1, beta2, batch_size, "linf-lp")

    from .iteration import algorithm3

    a3 = algorithm3(X)
    c0 = np.asarray(a3.c, float)
    S = [i for i in range(N) if c0[i] > 1e-9 * c0.max()]
    # The path: first the batch structure t: 0 -> 1 at beta2 = 1 (t = 0 is Thm 4.8's system, solved by
    # Algorithm 3), then 1 - beta2 = geomspace(1e-6, 1 - beta2).  A stage whose Newton solve fails is split
    # (the midpoint in t, or in log(1 - beta2)) up to MAX_SPLITS times before the prediction gives up.
    stages = [(t, 1.0) for t in (np.linspace(0, 1, 5) if batch_size > 1 else [1.0])]
    if beta2 < 1:
        stages += [(1.0, 1 - e) for e in np.geomspace(1e-6, 1 - beta2, continuation_steps)]
    history, done, splits, crossed, crossings = [], stages[0], 0, set(), []
    while stages:
        t, b2 = stages[0]
        umap = _umap(X, beta1, b2, batch_size, t)
        got = _active_set_solve(X, S, c0, umap, tol, max_iter, rounds, slack_tol)
        if not got[5] and M > 1 and (t, b2) not in crossed:
            crossed.add((t, b2))
            cs = _step_over(X, S, c0, beta1, b2, batch_size, t, tol, max_iter)
            if cs is not None:
                got = _active_set_solve(X, S, cs, umap, tol, max_iter, rounds, slack_tol)
                if got[5]:
                    crossings.append(f"beta2={b2:.6g}, t={t:.3g}")
        if not got[5]:
            if splits >= MAX_SPLITS or (t, b2) == done:
                raise ConvergenceError(f"finite-beta2 Newton did not converge at beta2={b2}, batch homotopy t={t:.3g} "
                                       f"(target beta2 {beta2}, b={batch_size}, |F|={got[4]:.3g}, {splits} splits)")
            splits += 1
            stages.insert(0, _midpoint(done, (t, b2)))
            continue
        S, c, kappa, w, res, _, h = got
        history += [f"beta2={b2:.6g}, t={t:.3g}: {x}" for x in h]
        c0, done = c, stages.pop(0)
    if crossings:
        notes.append("stepped over a coordinate whose batch means all vanish at: " + "; ".join(crossings))
    if splits:
        notes.append(f"continuation split {splits} stage(s) where Newton failed")
    margins = X @ w
    off = [j for j in range(N) if j not in S]
    if history:
        notes.append("active-set changes along the beta2 path: " + "; ".join(history))
    checks = {"converged": True, "c_positive": bool(c[S].min() > 0), "min_c": float(c[S].min()),
              "non_support_inactive": bool(not off or margins[off].min() > 1),
              "min_slack": float(margins[off].min() - 1) if off else math.inf,
              "kappa": float(kappa)}
    direction = w / np.linalg.norm(w)
    return FiniteBeta2Prediction(tuple(direction), tuple(c), tuple(int(i) for i in S), tuple(w), float(res),
                                 checks, tuple(notes), beta1, beta2, batch_size)
