"""How long an undecided run would have to be, and the longer runs a time budget allows (``run --budget``).

An estimate (numerics.estimate) contracts by its per-octave rate r: doubling the horizon multiplies its error
bar e by about r.  A case is undecided when e is too wide to tell the prediction from its nearest rival at
1 - cos ``near``.  decide.py passes it once near >= RIVAL_FACTOR (e + accuracy)^2 / 2, i.e. once e <= e* =
sqrt(2 near / RIVAL_FACTOR) - accuracy, which takes log(e*/e) / log(r) more octaves.  When no rate is known
yet (the estimate has not settled), the next horizon is GROWTH times the last.

Each longer run starts again from w0 = 0 (the estimate needs the whole trajectory's octaves); it is started
only if its expected time, the last run's time scaled by the steps, fits in what is left of the budget, else
the longest run that fits is tried (at least twice the last horizon), since the extrapolated rate is only an
estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from numerics.estimate import LimitEstimate

from .decide import RIVAL_FACTOR, Decision

__all__ = ["GROWTH", "MAX_STEPS", "FIT", "Attempt", "needed_steps", "next_steps", "affordable_steps"]

#: factor of the next horizon when the estimate gives no rate to extrapolate (the samples' weights, or the
#: octaves, have not settled): x4 keeps the restarts' total cost within 4/3 of the last run
GROWTH = 4
#: no horizon beyond this is proposed (float64 step counters and the engines' int64 counters are exact far
#: beyond; 1e15 steps is years of CPU at the compiled engine's ~1e7 steps/s)
MAX_STEPS = 10**15
#: share of the budget left that a run cut to fit may expect to use: the last run's speed, scaled by the steps,
#: is only an estimate (raw wine_0v1 with another job on the machine: 2.4 then 3.3 us/step, and the budget was
#: overrun by 8%; the first run of an engine also includes its compilation, which makes the estimate cautious)
FIT = 0.8


@dataclass(frozen=True)
class Attempt:
    """One run of an undecided case: its horizon, how long it took (None: not timed, i.e. not computed through
    the context's cache) and its verdict."""

    steps: int
    seconds: float | None
    verdict: str

    def as_dict(self) -> dict:
        return {"steps": self.steps, "seconds": self.seconds, "verdict": self.verdict}


def needed_steps(estimate: LimitEstimate, decision: Decision, steps: int, accuracy: float = 0.0) -> int | None:
    """The horizon at which this inconclusive ``decision`` would be decided, extrapolating the estimate's
    per-octave rate (module docstring); None when it is decided, when the estimate has no rate yet, or when
    no horizon can separate the two (the prediction's own ``accuracy`` is coarser than the rival's distance,
    or, for the weaker nearest-prediction decision, the prediction itself is not 100x closer than the rival)."""
    near = decision.nearest
    rate = estimate.rate
    if decision.verdict != "inconclusive" or not estimate.resolved or near is None or not rate or not 0 < rate < 1:
        return None
    if decision.weak:
        if RIVAL_FACTOR * decision.distance > near[1]:
            return None
        target = math.sqrt(2 * near[1] / RIVAL_FACTOR)
    else:
        target = math.sqrt(2 * near[1] / RIVAL_FACTOR) - accuracy
    if target <= 0 or estimate.error <= target:
        return None
    octaves = math.ceil(math.log(target / estimate.error) / math.log(rate))
    return int(min(steps * 2.0**octaves, MAX_STEPS))


def next_steps(needed: int | None, steps: int) -> int:
    """The next horizon to try: the extrapolated ``needed`` one (at least twice ``steps``), else GROWTH x."""
    return min(MAX_STEPS, max(2 * steps, needed) if needed is not None else GROWTH * steps)


def affordable_steps(needed: int | None, steps: int, seconds_per_step: float, left: float) -> int | None:
    """The next horizon the budget allows: :func:`next_steps` if its expected time fits in ``left`` seconds,
    else the longest run that fits with a margin of FIT for timing noise (the extrapolation is only an
    estimate, and rates usually improve with the horizon: the run may decide anyway), if that is still at
    least twice ``steps``; None when no longer run fits."""
    want = next_steps(needed, steps)
    if want <= steps or not seconds_per_step > 0:
        return None
    if want * seconds_per_step <= left:
        return want
    fit = int(FIT * left / seconds_per_step)
    return fit if fit >= 2 * steps else None
