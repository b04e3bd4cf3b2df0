"""One claim of the paper = one check (PEPit style): each check returns what it measured, what the paper
predicts, the resolution of the measurement, the distance to each plausible wrong answer, and a verdict.

A check is a function ``check(ctx, prediction=None) -> Outcome`` wrapped by :func:`claim`; ``prediction``
overrides the paper's prediction so that tests can feed a wrong one (a rival, or the prediction perturbed
beyond the resolution) through the same code path and see the check fail (negative controls).

Verdicts: ``pass`` (the prediction lies within the measurement's error bar and every rival is at least
RIVAL_FACTOR times farther), ``fail`` (the error bar is finite and excludes the prediction, or an exact
identity or bound is violated), ``inconclusive`` (the run cannot decide: the error bar is not yet finite,
or too wide to tell the prediction from a rival; never a FAIL for a short horizon), ``skip`` (the claim
is not about these data), ``error`` (a solver or a bug stopped the check).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from numerics.errors import ToolkitError
from numerics.jsonsafe import sanitize

__all__ = ["Context", "Outcome", "CheckResult", "Claim", "claim", "skipped", "VERDICTS", "RunCache", "NotApplicable"]

VERDICTS = ("pass", "fail", "inconclusive", "skip", "error")
_SEVERITY = {"pass": 0, "skip": 0, "inconclusive": 1, "fail": 2, "error": 3}


class RunCache:
    """Simulations already done in this context, by their full specification, so that a negative control
    (same run, a different prediction) re-decides without re-running.  Owned by one Context."""

    def __init__(self) -> None:
        self._runs: dict = {}
        self._seconds: dict = {}

    def get(self, key, compute: Callable[[], Any]):
        if key not in self._runs:
            t0 = time.perf_counter()
            self._runs[key] = compute()
            self._seconds[key] = time.perf_counter() - t0
        return self._runs[key]

    def seconds(self, key) -> float | None:
        """How long the computation of ``key`` took (None if it was not computed here)."""
        return self._seconds.get(key)


@dataclass(frozen=True)
class Context:
    """Settings shared by all checks: ``quick`` shortens horizons (~10x fewer steps); ``data`` replaces the
    default dataset; ``cache`` holds the runs already done (see RunCache).  ``budget``: seconds that
    :func:`proofs_check.runner.run_claims` may spend, after every claim has run at its own horizon, on
    longer runs of the undecided ones (claims/horizon.py); ``deadline``: the ``time.perf_counter()`` value by
    which such a longer run must end, and ``growth`` how many longer runs each undecided case may have made by
    the end of this call (both set by the runner; None / 0: every run keeps its claim's horizon)."""

    quick: bool = False
    seed: int = 0
    data: Any = None  # numerics.datasets.Dataset or None
    progress: bool = False
    cache: RunCache = field(default_factory=RunCache, compare=False, repr=False)
    budget: float | None = None
    deadline: float | None = None
    growth: int = 0  # longer runs an undecided case may make in this call (the runner's round)

    def seconds_left(self) -> float:
        """Seconds before ``deadline`` (0 without one)."""
        return 0.0 if self.deadline is None else max(0.0, self.deadline - time.perf_counter())

    def steps(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass(frozen=True)
class Outcome:
    """What a check found.  ``resolution``: the measurement's error bar (None for exact checks), in ``unit``
    (1 - cos for limit directions); ``rivals``: name -> distance, in the same unit, from the measured limit to
    each plausible wrong answer; ``reason``: why the verdict is inconclusive or skip."""

    verdict: str
    prediction: str
    measured: str
    tolerance: str
    resolution: float | None = None
    rivals: Mapping[str, float] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    unit: str = "1-cos"  # of resolution and rivals: 1 - cos for directions, else the measured quantity's
    ratio: float | None = None  # smallest nearest-rival / resolution of the claim's cases (None: derived)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} not in {VERDICTS}")


def skipped(reason: str) -> Outcome:
    """The claim is not about these data (or this mode)."""
    return Outcome("skip", "-", "-", "-", reason=reason)


def worst(verdicts) -> str:
    """The overall verdict of several sub-checks: error > fail > inconclusive > pass."""
    vs = list(verdicts)
    return max(vs, key=lambda v: _SEVERITY[v]) if vs else "inconclusive"


@dataclass(frozen=True)
class CheckResult:
    id: str
    statement: str
    method: str
    prediction: str
    measured: str
    tolerance: str
    verdict: str
    details: Mapping[str, Any]
    resolution: float | None = None
    rivals: Mapping[str, float] = field(default_factory=dict)
    reason: str = ""
    unit: str = "1-cos"
    ratio: float | None = None

    @property
    def rival_ratio(self) -> float | None:
        """How many resolutions away the nearest rival is (the smallest over the claim's cases)."""
        if self.ratio is not None:
            return self.ratio
        near = self.nearest_rival
        return near[1] / self.resolution if near and self.resolution else None

    @property
    def nearest_rival(self) -> tuple[str, float] | None:
        """(name, 1 - cos) of the rival closest to the measured limit."""
        finite = {k: v for k, v in self.rivals.items() if v is not None and np.isfinite(v)}
        return min(finite.items(), key=lambda kv: kv[1]) if finite else None

    def as_dict(self) -> dict[str, Any]:
        near = self.nearest_rival
        return {"id": self.id, "statement": self.statement, "method": self.method, "prediction": self.prediction,
                "measured": self.measured, "tolerance": self.tolerance, "verdict": self.verdict,
                "resolution": sanitize(self.resolution), "unit": self.unit, "rivals": sanitize(dict(self.rivals)),
                "rival_ratio": sanitize(self.rival_ratio),
                "nearest_rival": None if near is None else {"name": near[0], "distance": sanitize(near[1])},
                "reason": self.reason, "details": sanitize(dict(self.details))}


class NotApplicable(Exception):
    """Raised inside a check whose theorem does not apply to the data (e.g. Thm 4.8 where D(c*) is singular):
    the verdict is ``skip`` with this reason, not an error."""


@dataclass(frozen=True)
class Claim:
    """A claim of the paper and the function that checks it."""

    id: str
    statement: str
    method: str  # "symbolic", "numeric" or "both"
    func: Callable[..., Outcome] = field(repr=False)

    def __call__(self, ctx: Context | None = None, prediction: Any = None) -> CheckResult:
        ctx = ctx or Context()
        try:
            out = self.func(ctx, prediction)
        except NotApplicable as exc:
            out = skipped(str(exc))
        except ToolkitError as exc:
            return self._error({"error": str(exc)})
        except Exception as exc:  # a bug: report it as an error with its traceback, never crash the run
            return self._error({"error": repr(exc), "traceback": traceback.format_exc()})
        return CheckResult(self.id, self.statement, self.method, out.prediction, out.measured, out.tolerance,
                           out.verdict, MappingProxyType(dict(out.details)), out.resolution,
                           MappingProxyType(dict(out.rivals)), out.reason, out.unit, out.ratio)

    def _error(self, details) -> CheckResult:
        return CheckResult(self.id, self.statement, self.method, "-", "-", "-", "error", MappingProxyType(details),
                           reason=details["error"].splitlines()[0] if details["error"] else "error")

    @property
    def doc(self) -> str:
        return self.func.__doc__ or ""


def claim(id: str, statement: str, method: str) -> Callable[[Callable], Claim]:
    """Decorator turning ``check(ctx, prediction)`` into a :class:`Claim`."""
    if method not in ("symbolic", "numeric", "both"):
        raise ValueError(method)
    return lambda func: Claim(id, statement, method, func)
