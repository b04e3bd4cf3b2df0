"""Finite-beta2 and mini-batch predictors of the Adam limit direction (issue 5, items 3 and 4).

CONJECTURE-LEVEL CONSTRUCTION.  The paper has no fixed-point formulation for finite beta2
(math.md §7): Lemma A.1 / Eq. (8) only says that, *if* w_r = g(r) w_hat + rho(r) with
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
Prop. 2.5, math.md §3): within an epoch w ≈ w^r_0 (it moves O(eta)), so with w frozen the
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

from ..errors import ConvergenceError, HyperparameterError

__all__ = ["FiniteBeta2Prediction", "finite_beta2_fixed_point", "mixed_direction", "epoch_map_batch",
           "circulant", "batch_c_inc"]


def _check(beta1: float, beta2: float, N: int, b: int) -> tuple[float, float, int]:
    beta1, beta2 = float(beta1), float(beta2)
    if not (0 <= beta1 < 1) or not (0 <= beta2 <= 1):
        raise HyperparameterError(f"need 0 <= beta1 < 1 and 0 <= beta2 <= 1, got beta1={beta1}, beta2={beta2}")
    if beta1 > beta2:
        raise HyperparameterError(f"the paper's results need beta1 <= beta2, got beta1={beta1} > beta2={beta2}")
    b = int(b)
    if b < 1 or N % b:
        raise HyperparameterError(f"batch size b must divide N = {N}, got {b}")
    return beta1, beta2, N // b


def circulant(beta: float, M: int) -> np.ndarray:
    """B[k, l] = beta^((k - l) mod M) (0^0 = 1)."""
    k = np.arange(M)
    return float(beta) ** ((k[:, None] - k[None, :]) % M).astype(float)


def batch_c_inc(beta1: float, beta2: float, M: int) -> float:
    """C_inc(beta1, beta2, M) = (1-beta1)/(1-beta1^M) sqrt((1-beta2^M)/(1-beta2)) (limit M at beta -> 1)."""
    a = (1 - beta1) / (1 - beta1**M) if beta1 < 1 else 1.0 / M
    s = (1 - beta2**M) / (1 - beta2) if beta2 < 1 else float(M)
    return a * math.sqrt(s)


def _aggregation(N: int, b: int) -> np.ndarray:
    """A[l, j] = 1 if sample j is in batch B_l = {lb, ..., lb+b-1}."""
    return (np.arange(N)[None, :] // b == np.arange(N // b)[:, None]).astype(float)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(a, b).shape)
    np.divide(a, b, out=out, where=b > 0)
    return out


def epoch_map_batch(X: np.ndarray, w: np.ndarray, beta1: float, beta2: float, b: int) -> np.ndarray:
    """Eq. (2_b) (module docstring): the epoch update of cyclic mini-batch Adam, exponential loss, eps_r = 0.

    Returns  C_inc(beta1, beta2, M) sum_k [sum_l beta1^((k-l) mod M) g_l] / sqrt(sum_l beta2^((k-l) mod M) g_l^2)
    with g_l = (1/b) sum_{j in B_l} grad L_j(w), grad L_j(w) = -exp(-<w, x_j>) x_j; w^{r+1} = w^r - eta_{rM} * this.
    b = 1 is Prop. 2.5's Eq. (2); b = N is sign(grad L).  The map is 0-homogeneous in the gradients,
    so they are taken relative to max_j exp(-<w, x_j>) (no underflow).
    """
    X = np.asarray(X, float)
    N = X.shape[0]
    beta1, beta2, M = _check(beta1, beta2, N, b)
    z = X @ np.asarray(w, float)
    G = -np.exp(-(z - z.min()))[:, None] * X
    g = _aggregation(N, b) @ G / b
    num = circulant(beta1, M) @ g
    den = np.sqrt(circulant(beta2, M) @ (g * g))
    return batch_c_inc(beta1, beta2, M) * np.sum(_safe_div(num, den), axis=0)


def mixed_direction(X: np.ndarray, c: np.ndarray, beta1: float, beta2: float, b: int = 1,
                    jacobian: bool = False):
    """u_b(c) = sum_k [sum_l beta1^((k-l) mod M) gbar_l] / sqrt(sum_l beta2^((k-l) mod M) gbar_l^2), gbar = A (c x).

    b = 1 is Eq. (8)'s right-hand side (without C_inc).  With ``jacobian``, also du/dc (d x N).
    """
    X = np.asarray(X, float)
    N, d = X.shape
    beta1, beta2, M = _check(beta1, beta2, N, b)
    A = _aggregation(N, b)
    B1, B2 = circulant(beta1, M), circulant(beta2, M)
    cX = np.asarray(c, float)[:, None] * X
    g = A @ cX  # (M, d)
    num = B1 @ g  # (M, d)
    V = B2 @ (g * g)  # (M, d)
    rs = _safe_div(np.ones_like(V), np.sqrt(V))
    u = np.sum(num * rs, axis=0)
    if not jacobian:
        return u
    P = B1 @ A  # d num_k / d c_j = P[k, j] x_j
    # d V_k / d c_j = sum_l B2[k, l] 2 g_l A[l, j] x_j
    dV = 2 * np.einsum("kl,ld,lj->kjd", B2, g, A) * X[None, :, :]  # (M, N, d)
    J = np.einsum("kj,kd,jd->dj", P, rs, X) - 0.5 * np.einsum("kd,kjd->dj", num * rs**3, dV)
    return u, J


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


def _newton(X, S, c0, beta1, beta2, b, tol, max_iter):
    """Newton on F(c_S, kappa) = [kappa X_S u(c) - 1; sum c_S - 1]; returns (c, kappa, |F|, converged)."""
    N = X.shape[0]
    S = np.asarray(S)
    XS = X[S]
    c = np.zeros(N)
    c[S] = np.maximum(c0[S], 1e-12)
    c /= c.sum()
    u = mixed_direction(X, c, beta1, beta2, b)
    kappa = 1.0 / np.mean(XS @ u)

    def F(c, kappa):
        u = mixed_direction(X, c, beta1, beta2, b)
        return np.concatenate([kappa * (XS @ u) - 1, [c[S].sum() - 1]])

    f = F(c, kappa)
    for _ in range(max_iter):
        if np.max(np.abs(f)) < tol:
            return c, kappa, float(np.max(np.abs(f))), True
        u, J = mixed_direction(X, c, beta1, beta2, b, jacobian=True)
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
        else:
            return c, kappa, float(np.max(np.abs(f))), False
        c, kappa, f = cn, kn, fn
    return c, kappa, float(np.max(np.abs(f))), bool(np.max(np.abs(f)) < tol)


def _active_set_solve(X, S, c0, beta1, beta2, b, tol, max_iter, rounds, slack_tol):
    """Newton on S, then move one index in/out of S while the sign checks fail (at most ``rounds`` times)."""
    N = X.shape[0]
    S = sorted(S)
    history = []
    for _ in range(rounds):
        c, kappa, res, ok = _newton(X, S, c0, beta1, beta2, b, tol, max_iter)
        w = kappa * mixed_direction(X, c, beta1, beta2, b)
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


def finite_beta2_fixed_point(X: np.ndarray, beta1: float = 0.0, beta2: float = 0.999, *, batch_size: int = 1,
                             tol: float = 1e-13, max_iter: int = 50, continuation_steps: int = 24,
                             rounds: int | None = None, slack_tol: float = 1e-10) -> FiniteBeta2Prediction:
    """Solve the Eq. (8)-type closure (module docstring) for the cyclic order 0, ..., N-1 of the rows of X.

    Start: Algorithm 3's Thm 4.8 fixed point (b = 1), then the beta2 = 1 system of batch size b,
    then continuation in beta2 along 1 - beta2 = geomspace(1e-6, 1 - beta2) with an active-set
    correction at every stage.  b = N returns the l_inf max-margin direction (sign closure).
    Raises ConvergenceError if the final Newton solve does not converge.
    """
    X = np.asarray(X, float)
    N, d = X.shape
    beta1, beta2, M = _check(beta1, beta2, N, batch_size)
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
    path = [1.0] if beta2 == 1 else [1.0] + list(1 - np.geomspace(1e-6, 1 - beta2, continuation_steps))
    history = []
    for b2 in path:
        S, c, kappa, w, res, ok, h = _active_set_solve(X, S, c0, beta1, b2, batch_size, tol, max_iter, rounds,
                                                       slack_tol)
        history += [f"beta2={b2:.6g}: {x}" for x in h]
        if not ok:
            raise ConvergenceError(f"finite-beta2 Newton did not converge at beta2={b2} "
                                   f"(target {beta2}, b={batch_size}, |F|={res:.3g}, support {S})")
        c0 = c
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
