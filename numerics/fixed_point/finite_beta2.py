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
from .batch_map import batch_c_inc, check_betas, circulant, epoch_map_batch, mixed_direction
from .closure_path import MAX_SPLITS, _active_set_solve, _midpoint, _step_over, _umap

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
        # b = 1: the batch means of coordinate p are c_j x_jp (c_j > 0 on S), all zero only if x_jp = 0 on all of S
        vanishing = batch_size > 1 or bool(np.any(np.all(X[S] == 0, axis=0)))
        if not got[5] and M > 1 and vanishing and (t, b2) not in crossed:
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
