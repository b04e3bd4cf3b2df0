"""Verdicts on estimated limits: a prediction against its rivals, at the measurement's resolution.

PASS requires the prediction within the resolution of the estimated limit (1 - cos <= resolution) AND
every rival at least RIVAL_FACTOR times farther (1 - cos >= RIVAL_FACTOR * resolution, i.e. >= 10x in
distance): the measurement then tells the prediction from every plausible wrong answer.  FAIL requires
a finite error bar that excludes the prediction.  Anything else is inconclusive, with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from numerics.estimate import LimitEstimate, one_minus_cos

__all__ = ["Decision", "decide", "decide_nearest", "perturbed", "combine", "RIVAL_FACTOR", "SAME_ANSWER",
           "ACCURACY"]

#: bound on each prediction's own error in direction (l2 distance between unit vectors), by how it is computed:
#: the active-set QP (KKT residuals ~1e-15) and the 50-digit fixed point are exact to float64 rounding times
#: the conditioning of the support system (allowed 1e3), the finite-beta2 Newton stops at |F| < 1e-13 (allowed
#: 1e3 for its Jacobian), an interior-point LP is accurate to ~1e-10 relative
ACCURACY = {"qp": 1e-12, "fixed_point": 1e-12, "finite_beta2": 1e-10, "lp": 1e-9, "exact": 1e-14}

RIVAL_FACTOR = 100.0
#: a "rival" within this 1 - cos of the prediction is the same answer on these data (e.g. the Thm 4.8 fixed
#: point on GR data is the l2 direction; on some small data it is an l_inf max-margin solution): the rivals from
#: interior-point solves (the nearest l_inf solution) are accurate to ~1e-8 in direction, 1e-16 in 1 - cos, so
#: closer than 1e-14 cannot be told apart and is not counted
SAME_ANSWER = 1e-14


@dataclass(frozen=True)
class Decision:
    """``distance``: 1 - cos from the estimate to the prediction; ``rivals``: the same for each rival."""

    verdict: str
    distance: float
    resolution: float
    rivals: Mapping[str, float] = field(default_factory=dict)
    reason: str = ""
    same_answer: tuple[str, ...] = ()
    weak: bool = False  # decided by decide_nearest

    @property
    def nearest(self) -> tuple[str, float] | None:
        return min(self.rivals.items(), key=lambda kv: kv[1]) if self.rivals else None

    @property
    def ratio(self) -> float:
        """Nearest rival / resolution (for the weaker nearest-prediction decision: / max(distance, resolution))."""
        near = self.nearest
        if near is None:
            return math.inf
        return near[1] / max(self.resolution, self.distance if self.weak else 0.0) if self.resolution > 0 else math.inf

    def summary(self) -> str:
        near = self.nearest
        rival = f"; nearest rival {near[0]} {near[1]:.2g}" if near else ""
        return f"1-cos to prediction {self.distance:.2g} (resolution {self.resolution:.2g}){rival}"


def decide(estimate: LimitEstimate, prediction: np.ndarray, rivals: Mapping[str, np.ndarray] | None = None,
           rival_distances: Mapping[str, float] | None = None, prediction_error: float = 0.0) -> Decision:
    """The verdict on ``prediction`` (a direction) for the limit ``estimate`` (module docstring).

    ``rivals``: name -> direction; ``rival_distances``: name -> 1 - cos already computed from the estimate
    (for rivals that are sets, e.g. the nearest l_inf max-margin solution); ``prediction_error``: bound on
    the prediction's own error in direction (l2 distance), added to the estimate's error bar.
    """
    dists = {k: estimate.distance(v) for k, v in (rivals or {}).items()}
    dists.update(rival_distances or {})
    same = tuple(k for k, v in (rivals or {}).items() if one_minus_cos(v, prediction) < SAME_ANSWER)
    dists = {k: v for k, v in dists.items() if k not in same}
    d = estimate.distance(prediction)
    if not estimate.resolved:
        return Decision("inconclusive", d, math.inf, dists, f"limit not resolved: {estimate.reason}", same)
    res = (estimate.error + prediction_error) ** 2 / 2
    if d > res:
        return Decision("fail", d, res, dists, f"the prediction is outside the error bar (1-cos {d:.2g} > "
                        f"resolution {res:.2g})", same)
    close = {k: v for k, v in dists.items() if v < RIVAL_FACTOR * res}
    if close:
        k = min(close, key=close.get)
        return Decision("inconclusive", d, res, dists, f"resolution {res:.2g} cannot tell the prediction from "
                        f"{k} (1-cos {close[k]:.2g} < {RIVAL_FACTOR:g}x resolution)", same)
    return Decision("pass", d, res, dists, "", same)


def perturbed(direction: np.ndarray, one_minus_cos_target: float, seed: int = 0) -> np.ndarray:
    """A unit direction at exactly 1 - cos = ``one_minus_cos_target`` from ``direction``, in a random plane
    (negative controls: the prediction moved by a multiple of the resolution)."""
    u = np.asarray(direction, float) / np.linalg.norm(direction)
    v = np.random.default_rng(seed).standard_normal(u.size)
    v -= (v @ u) * u
    v /= np.linalg.norm(v)
    angle = 2 * math.asin(min(1.0, math.sqrt(one_minus_cos_target / 2)))  # 1 - cos t = 2 sin^2(t/2), exact when tiny
    return math.cos(angle) * u + math.sin(angle) * v


def decide_nearest(estimate: LimitEstimate, prediction: np.ndarray, rivals: Mapping[str, np.ndarray] | None = None,
                   rival_distances: Mapping[str, float] | None = None) -> Decision:
    """A weaker claim, for limits the paper only locates approximately (e.g. Adam with random sample orders
    "approaches" the fixed point): PASS if the estimate, with its error bar, is RIVAL_FACTOR times closer to
    the prediction than to every rival; FAIL if a rival is resolved to be closer than the prediction."""
    same = tuple(k for k, v in (rivals or {}).items() if one_minus_cos(v, prediction) < SAME_ANSWER)
    dists = {k: estimate.distance(v) for k, v in (rivals or {}).items() if k not in same}
    dists.update(rival_distances or {})
    d = estimate.distance(prediction)
    if not estimate.resolved:
        return Decision("inconclusive", d, math.inf, dists, f"limit not resolved: {estimate.reason}", same, True)
    res = estimate.resolution
    near = min(dists.values()) if dists else math.inf
    if near + res < d:
        return Decision("fail", d, res, dists, "a rival is closer to the measured limit than the prediction", same, True)
    if RIVAL_FACTOR * max(d, res) <= near:
        return Decision("pass", d, res, dists, "", same, True)
    return Decision("inconclusive", d, res, dists, f"the prediction is not {RIVAL_FACTOR:g}x closer than every rival "
                    f"at this resolution (1-cos {d:.2g}, resolution {res:.2g}, nearest rival {near:.2g})", same, True)


def combine(decisions: Mapping[str, Decision]) -> tuple[str, float, dict, str, float]:
    """(verdict, resolution, rivals, reason, ratio) of several sub-decisions: the worst verdict, the coarsest
    resolution, every rival distance as "case/rival", the reasons of the non-passing cases and the smallest
    nearest-rival / resolution ratio of any case."""
    from .base import worst

    verdict = worst(d.verdict for d in decisions.values())
    res = max((d.resolution for d in decisions.values()), default=math.inf)
    rivals = {f"{case}/{k}": v for case, d in decisions.items() for k, v in d.rivals.items()}
    reason = "; ".join(f"{case}: {d.reason}" for case, d in decisions.items() if d.verdict != "pass" and d.reason)
    ratio = min((d.ratio for d in decisions.values()), default=math.inf)
    return verdict, res, rivals, reason, ratio