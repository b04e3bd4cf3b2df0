"""Deciding a claim about a limit direction: the run, its estimate, the prediction, its rivals, one verdict.

Every asymptotic check goes through :func:`direction_case`: a run with octave checkpoints
(numerics.estimate), the estimate's error bar plus the prediction's own accuracy, the rivals (directions,
and the nearest l_inf max-margin solution), and the verdict of decide.py.  :func:`outcome` turns the
cases of one claim into its Outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

import numpy as np

from numerics.estimate import LimitEstimate
from numerics.optimizers import Optimizer

from ._common import limit, limit_key, linf_rival
from .base import Context, Outcome
from .decide import Decision, combine, decide, decide_nearest
from .horizon import Attempt, affordable_steps, needed_steps, next_steps

__all__ = ["Case", "direction_case", "outcome", "override"]


@dataclass(frozen=True)
class Case:
    """One decided run of a claim."""

    decision: Decision
    estimate: LimitEstimate
    prediction: np.ndarray
    steps: int
    rivals: Mapping[str, np.ndarray]
    attempts: tuple[Attempt, ...] = ()
    needed: int | None = None  # the horizon a decision would need (claims/horizon.py), when undecided
    schedule: str = ""

    def row(self) -> dict[str, Any]:
        return {"verdict": self.decision.verdict, "one_minus_cos": self.decision.distance,
                "resolution": self.decision.resolution, "rivals": dict(self.decision.rivals),
                "method": self.estimate.method, "rate": self.estimate.rate, "steps": self.steps,
                "reason": self.decision.reason, "same_answer": list(self.decision.same_answer),
                "schedule": self.schedule, "needed_steps": self.needed,
                "runs": [a.as_dict() for a in self.attempts],
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
    lose to it).  ``nearest``: the weaker "closest prediction" decision.

    While undecided, up to ``ctx.growth`` times and while ``ctx.deadline`` is set, the run is repeated from
    w0 = 0 at the horizon the estimate's rate asks for (or GROWTH x, or the longest run that fits before the
    deadline: claims/horizon.py); an undecided case's reason names the horizon a decision would need."""
    prediction = override(prediction, case, paper)
    accuracy = 0.0 if nearest else accuracy
    attempts: list[Attempt] = []
    while True:
        _, est = limit(ctx, X, opt, steps, settled_weights=not nearest)
        everyone = {**rivals, **({"linf": linf_rival(X, est)} if linf else {}), "paper's prediction": paper}
        dec = (decide_nearest(est, prediction, everyone) if nearest
               else decide(est, prediction, everyone, prediction_error=accuracy))
        run_key = limit_key(ctx, X, opt, steps)
        attempts.append(Attempt(steps, ctx.cache.seconds(run_key), dec.verdict))
        needed = needed_steps(est, dec, steps, accuracy)
        if dec.verdict != "inconclusive" or (ctx.deadline is not None and len(attempts) > ctx.growth):
            break  # decided, or this round's longer runs are made (the runner calls again)
        per_step = _seconds_per_step(attempts)
        # the horizon after this run is chosen once (the budget left changes between the runner's rounds, and a
        # later round must replay the same, cached, runs)
        key = ("next horizon", run_key, prediction.tobytes(), nearest)
        nxt = None if ctx.deadline is None else ctx.cache.get(
            key, lambda: affordable_steps(needed, steps, per_step, ctx.seconds_left()))
        if nxt is None:
            dec = replace(dec, reason=f"{dec.reason}; {_horizon_note(ctx, est, needed, steps, per_step)}")
            break
        steps = nxt
    return Case(dec, est, np.asarray(prediction, float) / np.linalg.norm(prediction), steps, everyone,
                tuple(attempts), needed, str(opt.schedule))


def _seconds_per_step(attempts: list[Attempt]) -> float:
    """The speed of the last timed attempt (0: none was timed)."""
    timed = [a for a in attempts if a.seconds]
    return timed[-1].seconds / timed[-1].steps if timed else 0.0


def _horizon_note(ctx: Context, est, needed: int | None, steps: int, per_step: float) -> str:
    """What horizon a decision would need, and why no longer run was made."""
    def when(n: int) -> str:
        return f"~{per_step * n:.3g} s" if per_step else "time unknown"

    if needed is not None:
        need = (f"a decision needs ~{needed:.2g} steps ({when(needed)}; the estimate's per-octave rate "
                f"{est.rate:.3g}, extrapolated)")
    elif est.resolved and est.rate:
        need = "no horizon separates the prediction from its nearest rival at this accuracy"
    else:
        nxt = next_steps(None, steps)
        need = f"no rate to extrapolate yet; next horizon {nxt:.2g} steps ({when(nxt)})"
    if ctx.deadline is None:
        return need + "; `--budget SECONDS` lets longer runs decide"
    return need + f"; {ctx.seconds_left():.0f} s of the budget left"


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
