"""Deciding a claim about a limit direction: the run, its estimate, the prediction, its rivals, one verdict.

Every asymptotic check goes through :func:`direction_case`: a run with octave checkpoints
(numerics.estimate), the estimate's error bar plus the prediction's own accuracy, the rivals (directions,
and the nearest l_inf max-margin solution), and the verdict of decide.py.  :func:`outcome` turns the
cases of one claim into its Outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from numerics.estimate import LimitEstimate
from numerics.optimizers import Optimizer

from ._common import limit, linf_rival
from .base import Context, Outcome
from .decide import Decision, combine, decide, decide_nearest

__all__ = ["Case", "direction_case", "outcome", "override"]


@dataclass(frozen=True)
class Case:
    """One decided run of a claim."""

    decision: Decision
    estimate: LimitEstimate
    prediction: np.ndarray
    steps: int
    rivals: Mapping[str, np.ndarray]

    def row(self) -> dict[str, Any]:
        return {"verdict": self.decision.verdict, "one_minus_cos": self.decision.distance,
                "resolution": self.decision.resolution, "rivals": dict(self.decision.rivals),
                "method": self.estimate.method, "rate": self.estimate.rate, "steps": self.steps,
                "reason": self.decision.reason, "same_answer": list(self.decision.same_answer),
                "prediction_direction": self.prediction.tolist(),
                "rival_directions": {k: np.asarray(v, float).tolist() for k, v in self.rivals.items()}}


def override(prediction: Any, case: str, default: np.ndarray) -> np.ndarray:
    """The prediction to test for ``case``: the paper's ``default``, or a test's override (a direction for
    every case, or a mapping case -> direction)."""
    if prediction is None:
        return np.asarray(default, float)
    if isinstance(prediction, Mapping):
        return np.asarray(prediction.get(case, default), float)
    return np.asarray(prediction, float)


def direction_case(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, prediction: Any, case: str,
                   paper: np.ndarray, rivals: Mapping[str, np.ndarray], *, accuracy: float, linf: bool = True,
                   nearest: bool = False) -> Case:
    """Run ``opt`` for ``steps``, estimate its limit and decide the prediction for ``case`` (the ``paper``'s
    unless a test overrides it, see :func:`override`) against ``rivals`` (plus the nearest l_inf max-margin
    solution if ``linf``, and the paper's prediction itself when a different one is tested: a wrong answer must
    lose to it).  ``nearest``: the weaker "closest prediction" decision."""
    _, est = limit(ctx, X, opt, steps, settled_weights=not nearest)
    prediction = override(prediction, case, paper)
    rivals = {**rivals, **({"linf": linf_rival(X, est)} if linf else {}), "paper's prediction": paper}
    if nearest:
        dec = decide_nearest(est, prediction, rivals)
    else:
        dec = decide(est, prediction, rivals, prediction_error=accuracy)
    return Case(dec, est, np.asarray(prediction, float) / np.linalg.norm(prediction), steps, rivals)


def outcome(cases: Mapping[str, Case], prediction: str, tolerance: str, details: Mapping[str, Any] | None = None,
            extra_verdicts: Mapping[str, tuple[str, str]] | None = None) -> Outcome:
    """The Outcome of a claim decided case by case; ``extra_verdicts``: name -> (verdict, reason) of exact
    sub-checks (symbolic identities, separations of predictions) that enter the verdict too."""
    verdict, res, rivals, reason, ratio = combine({k: c.decision for k, c in cases.items()})
    for name, (v, why) in (extra_verdicts or {}).items():
        from .base import worst

        if v != "pass":
            reason = "; ".join(x for x in (reason, f"{name}: {why}") if x)
        verdict = worst([verdict, v])
    measured = "; ".join(f"{k}: 1-cos {c.decision.distance:.2g} (res {c.decision.resolution:.2g})"
                         for k, c in cases.items())
    return Outcome(verdict, prediction, measured, tolerance, res, rivals,
                   {"cases": {k: c.row() for k, c in cases.items()}, **dict(details or {})}, reason, ratio=ratio)
