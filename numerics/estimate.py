"""The limit direction of a run, estimated from its checkpoints, with an error bar.

Asymptotics.  For every optimizer of the paper w_t = g(t) w_hat + rho(t) with g(t) -> infinity:
g(t) ~ sum_{s<t} eta_s ~ sqrt(t) for the normalised updates (Adam, AdamProxy, Signum, SignSGD,
eta_t ~ t^-1/2) and g(t) ~ log t for GD (Soudry et al. 2018).  The raw direction w_t/||w_t|| is
off by ~||rho(t)|| / g(t): 1/sqrt(t) or 1/log t, slow.  When the residual converges, rho(t) ->
rho_bar (Lemma A.1's hypothesis (b); for GD, Soudry et al. Thm 3), the *difference*

    w_t - w_{t/q} = (g(t) - g(t/q)) w_hat + (rho(t) - rho(t/q))

points at w_hat up to ||rho(t) - rho(t/q)|| / (g(t) - g(t/q)), which falls as fast as rho converges
(measured: to 1e-16 for AdamProxy at t = 2.5e5, where the raw direction is 4e-6 off).  Both
estimators are computed on octaves t_k = T / 2^k (q = 2) and the one with the smaller error bar is
reported.

Error bar.  With d_k the estimate at t_k and Delta_k = ||d_k - d_{k+1}||, an estimate converging
geometrically per octave (a power law in t) has Delta_{k} ~ r Delta_{k+1} with r < 1 and its
remaining error is the tail  ||d_0 - d_inf|| <= sum_{j>=1} r^j Delta_0 = Delta_0 r / (1 - r).
r is taken as the largest of the last ``window`` ratios (the slowest recent convergence), never below
R_MIN, and the bar is SAFETY times the tail, plus the float64 floor of the trajectory itself (rounding of w
accumulates at most linearly: T eps max|w| absolute, i.e. T eps ||w_T|| / ||w_T - w_{T/2}|| on the
difference direction).  When the recent ratios are not below R_MAX the sequence is not yet in its
asymptotic regime and the estimate is marked unresolved (no finite error bar).  tests/numerics/
test_estimate.py checks that the bar is never optimistic against much longer runs and exact limits.
Directions are unit l2 vectors; ``resolution`` = error^2 / 2 is the bar in 1 - cos
(1 - cos(a, b) = ||a - b||^2 / 2 for unit a, b).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["R_MIN", "LimitEstimate", "ValueEstimate", "estimate_limit", "sample_weights", "estimate_value", "estimate_sequence", "octave_indices",
           "limit_checkpoints", "one_minus_cos",
           "SAFETY", "R_MAX"]

#: factor on the geometric tail bound: the per-octave ratio is itself estimated from few octaves
SAFETY = 4.0
#: the per-octave ratio is never taken below 2^(-1/2): faster observed convergence is often an exponential
#: transient ending on an algebraic term, and the slowest term the paper's expansions allow is
#: t^(-a), a = 1/2 (Prop. 2.5's eps_r = O(r^-a) enters rho(t) at relative order t^(-1/2)); measured on GR
#: data: ratios 0.003-0.13 per octave up to 1e6 steps, then 0.5-0.6 from 4e6 on
R_MIN = 2 ** -0.5
#: ratios at or above this per octave mean "not yet asymptotic" (the tail bound would be > 9 Delta_0)
R_MAX = 0.9
#: a latest ratio this much above the previous one means convergence is slowing down: the earlier, faster
#: octaves would make the tail bound optimistic, so the estimate is unresolved
DECELERATION = 2.0
EPS = float(np.finfo(float).eps)


def one_minus_cos(a: np.ndarray, b: np.ndarray) -> float:
    """1 - cos(a, b), computed as ||a/|a| - b/|b|||^2 / 2 (accurate when the angle is tiny)."""
    a = np.asarray(a, float) / np.linalg.norm(a)
    b = np.asarray(b, float) / np.linalg.norm(b)
    return float(np.sum((a - b) ** 2) / 2)


def limit_checkpoints(steps: int, per_octave: int = 4, count: int = 40) -> tuple[int, ...]:
    """Checkpoints for :func:`estimate_limit`: T / 2^(j / per_octave) for every j (so each t has t/2 among
    them), merged with ``count`` log-spaced ones for plots."""
    from .trajectory import log_checkpoints

    octs = {int(round(steps / 2 ** (j / per_octave))) for j in range(int(per_octave * math.log2(max(steps, 1))) + 1)}
    return tuple(sorted({t for t in octs if t >= 1} | set(log_checkpoints(steps, count))))


@dataclass(frozen=True)
class LimitEstimate:
    """Estimated limit direction with its error bar (module docstring).

    ``error``: bound on ||direction - w_hat/||w_hat||||_2 (inf when unresolved); ``resolution`` =
    error^2 / 2 in 1 - cos; ``rate``: the per-octave ratio used (None if too few octaves); ``method``:
    "difference" (w_t - w_{t/2}) or "raw" (w_t); ``octaves``: the t_k used; ``reason``: why it is
    unresolved, else "".
    """

    direction: np.ndarray
    error: float
    method: str
    rate: float | None
    floor: float
    octaves: tuple[int, ...]
    deltas: tuple[float, ...]
    reason: str = ""

    @property
    def resolution(self) -> float:
        return self.error**2 / 2 if math.isfinite(self.error) else math.inf

    @property
    def resolved(self) -> bool:
        return math.isfinite(self.error)

    def distance(self, direction: np.ndarray) -> float:
        """1 - cos from the estimate to ``direction``."""
        return one_minus_cos(self.direction, direction)

    def as_dict(self) -> dict:
        return {"direction": self.direction.tolist(), "error": self.error if self.resolved else None,
                "resolution": self.resolution if self.resolved else None, "method": self.method, "rate": self.rate,
                "floor": self.floor, "octaves": list(self.octaves), "deltas": list(self.deltas),
                "reason": self.reason}


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def _octaves(steps: np.ndarray, q: float) -> list[int]:
    """Indices k of checkpoints T, T/q, T/q^2, ... (each within 1% of its target)."""
    out, target = [], float(steps[-1])
    while target >= 1:
        k = int(np.argmin(np.abs(steps - target)))
        if abs(steps[k] - target) > 0.01 * target + 0.5:
            break
        out.append(k)
        target /= q
    return out


def _from_sequence(dirs: list[np.ndarray], octaves: list[int], floor: float, method: str,
                   window: int) -> LimitEstimate:
    deltas = [float(np.linalg.norm(a - b)) for a, b in zip(dirs, dirs[1:])]
    base = dict(direction=dirs[0], method=method, floor=floor, octaves=tuple(octaves), deltas=tuple(deltas))
    if len(deltas) < window + 1:
        return LimitEstimate(error=math.inf, rate=None, reason=f"only {len(deltas) + 1} octaves", **base)
    if deltas[0] <= floor:  # already at the float64 floor: the remaining changes are rounding
        return LimitEstimate(error=2 * floor, rate=None, **base)
    ratios = [deltas[j] / deltas[j + 1] if deltas[j + 1] > floor else 0.0 for j in range(window)]
    r = max(ratios)
    if ratios[0] > DECELERATION * ratios[1]:
        return LimitEstimate(error=math.inf, rate=r, reason=f"convergence is slowing down (per-octave change ratio "
                             f"{ratios[1]:.2g} then {ratios[0]:.2g}): not yet asymptotic", **base)
    if r >= R_MAX:
        return LimitEstimate(error=math.inf, rate=r, reason=f"the estimate still changes by a factor {r:.2f} per "
                             f"octave of steps (not yet asymptotic; needs < {R_MAX})", **base)
    r_eff = max(r, R_MIN)
    return LimitEstimate(error=SAFETY * deltas[0] * r_eff / (1 - r_eff) + floor, rate=r, **base)


#: finite differences over octaves t, t/2, t/4: the coefficients of w(t / 2^j)
DIFFERENCES = {"raw": (1.0,), "difference": (1.0, -1.0), "second-difference": (1.0, -2.0, 1.0)}


def sample_weights(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """c(w) = softmax(-X w): the samples' relative gradient weights |l'(<w, x_i>)| / sum_j (exp loss; the
    logistic loss has the same tails), Lemma 4.5's c(t)."""
    z = -(np.asarray(X, float) @ np.asarray(w, float))
    c = np.exp(z - z.max())
    return c / c.sum()


def estimate_limit(steps: np.ndarray, W: np.ndarray, *, window: int = 3,
                   methods: tuple[str, ...] = ("raw", "difference", "second-difference"),
                   X: np.ndarray | None = None) -> LimitEstimate:
    """Estimate the limit direction of the iterates ``W`` (K x d) at checkpoints ``steps`` (module docstring).

    The checkpoints must contain T, T/2, T/4, ... (:func:`limit_checkpoints`); ``window`` per-octave
    ratios enter the rate.  Of ``methods`` (keys of DIFFERENCES), the resolved estimate with the smallest
    error bar is returned (if none is resolved, the first-difference estimate with its reason).

    With the data ``X``, the samples' weights c(t) = softmax(-X w_t) must have settled too (their own
    tail bound resolved), and the direction's bar is at least the weights' (l1) bar: a sample whose margin
    is only slightly above the support's leaves it slowly, like exp(-slack g(t)), and until its weight has
    decayed the direction keeps moving although its recent octaves may look converged.  Seen on Laplace
    data with a non-support slack of 8e-4: a remaining weight 2.4e-4 moved the direction by 1.7e-4 (the
    limit direction depends on c with a sensitivity of about 0.7 there, so the weights' bar bounds it).
    """
    steps, W = np.asarray(steps, float), np.asarray(W, float)
    ks = _octaves(steps, 2.0)
    scale = float(np.max(np.abs(W[-1]))) or 1.0
    absolute = steps[-1] * EPS * scale  # accumulated rounding of w: at most linear in the steps
    out = []
    for method in methods:
        coef = DIFFERENCES[method]
        combos = [sum(c * W[ks[j + i]] for i, c in enumerate(coef)) for j in range(len(ks) - len(coef) + 1)]
        norm = float(np.linalg.norm(combos[0])) if combos else 0.0
        floor = absolute * sum(abs(c) for c in coef) / norm if norm > 0 else math.inf
        dirs = [_unit(v) for v in combos]
        out.append(_from_sequence(dirs, [int(steps[k]) for k in ks[:len(combos)]], floor, method, window))
    resolved = [e for e in out if e.resolved]
    fallback = next((e for e in out if e.method == "difference"), out[0])
    best = min(resolved, key=lambda e: e.error) if resolved else fallback
    if X is not None and best.resolved:
        # c's rounding floor: the margins carry ~|z| eps absolute error, which exp turns into relative error
        zmax = float(np.max(np.abs(np.asarray(X, float) @ W[ks[0]])))
        weights = _from_sequence([sample_weights(X, W[k]) for k in ks], [int(steps[k]) for k in ks],
                                 1e3 * EPS * max(zmax, 1.0), "weights", window)
        if not weights.resolved:
            return dataclasses.replace(best, error=math.inf, reason=f"the samples' weights c(t) have not settled "
                                       f"({weights.reason})")
        if weights.error > best.error:  # the direction moves with the weights still to change (module docstring)
            return dataclasses.replace(best, error=weights.error)
    return best


@dataclass(frozen=True)
class ValueEstimate:
    """The limit of a scalar along a run (e.g. a normalised margin of the estimated direction), with the
    same error bar as :class:`LimitEstimate`: ``value`` +- ``error`` (inf when unresolved)."""

    value: Any  # float, or an array for a vector sequence
    error: float
    rate: float | None
    octaves: tuple[int, ...]
    reason: str = ""

    @property
    def resolved(self) -> bool:
        return math.isfinite(self.error)

    def as_dict(self) -> dict:
        return {"value": self.value, "error": self.error if self.resolved else None, "rate": self.rate,
                "octaves": list(self.octaves), "reason": self.reason}


def estimate_sequence(values, octaves, *, window: int = 3) -> "ValueEstimate":
    """Limit of a scalar or vector sequence sampled on octaves (``values[0]`` at the largest t), with the
    tail bound of the module docstring (no float64 floor: the caller's values carry their own)."""
    vals = [np.atleast_1d(np.asarray(v, float)) for v in values]
    est = _from_sequence(vals, list(octaves), 0.0, "sequence", window)
    first = vals[0] if vals else np.array([math.nan])
    return ValueEstimate(float(first[0]) if first.size == 1 else first, est.error, est.rate, est.octaves, est.reason)


def octave_indices(steps: np.ndarray) -> list[int]:
    """Indices of the checkpoints T, T/2, T/4, ... (:func:`limit_checkpoints` provides them)."""
    return _octaves(np.asarray(steps, float), 2.0)


def estimate_value(steps: np.ndarray, W: np.ndarray, value, *, method: str | None = None,
                   window: int = 3) -> ValueEstimate:
    """Limit of ``value(direction)`` along the run: ``value`` is applied to the per-octave estimates of the
    limit direction (``method`` as in :func:`estimate_limit`; default: the one it picks) and the scalar
    sequence gets the same tail bound.  The floor is the float64 floor of the direction times a finite-
    difference Lipschitz bound of ``value`` near the estimate."""
    steps, W = np.asarray(steps, float), np.asarray(W, float)
    best = estimate_limit(steps, W, window=window) if method is None else None
    method = method or best.method
    ks = _octaves(steps, 2.0)
    coef = DIFFERENCES[method]
    combos = [sum(c * W[ks[j + i]] for i, c in enumerate(coef)) for j in range(len(ks) - len(coef) + 1)]
    vals = [np.array([float(value(_unit(v)))]) for v in combos]
    est = _from_sequence(vals, [int(steps[k]) for k in ks[:len(combos)]], 0.0, method, window)
    return ValueEstimate(float(vals[0][0]) if vals else math.nan, est.error, est.rate, est.octaves, est.reason)
