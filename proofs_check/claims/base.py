"""One claim of the paper = one check (PEPit style): each check returns what it measured, what the
paper predicts, the tolerance and its justification, and a verdict.

A check is a function ``check(ctx, prediction=None) -> Outcome`` wrapped by :func:`claim`;
``prediction`` overrides the paper's prediction so that tests can feed a wrong one and see the
check fail (negative controls).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from numerics.errors import ToolkitError
from numerics.jsonsafe import sanitize

__all__ = ["Context", "Outcome", "CheckResult", "Claim", "claim", "decreasing", "fit_power", "last_decade_rate",
           "VERDICTS"]

VERDICTS = ("pass", "fail", "skip", "error")


@dataclass(frozen=True)
class Context:
    """Settings shared by all checks: ``quick`` shrinks horizons ~10x; ``data`` replaces the default dataset."""

    quick: bool = False
    seed: int = 0
    data: Any = None  # numerics.datasets.Dataset or None
    progress: bool = False

    def steps(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass(frozen=True)
class Outcome:
    """What a check found: ``passed`` decides the verdict; the strings go to the report."""

    passed: bool
    prediction: str
    measured: str
    tolerance: str
    details: Mapping[str, Any] = field(default_factory=dict)
    skipped: str | None = None  # a reason: the claim does not apply (e.g. user data not GR)


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

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "statement": self.statement, "method": self.method, "prediction": self.prediction,
                "measured": self.measured, "tolerance": self.tolerance, "verdict": self.verdict,
                "details": sanitize(dict(self.details))}


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
        except ToolkitError as exc:
            return self._result("-", "-", "-", "error", {"error": str(exc)})
        except Exception as exc:  # a bug: report it as an error with its traceback, never crash the run
            return self._result("-", "-", "-", "error", {"error": repr(exc), "traceback": traceback.format_exc()})
        verdict = "skip" if out.skipped else ("pass" if out.passed else "fail")
        details = dict(out.details)
        if out.skipped:
            details["skipped"] = out.skipped
        return self._result(out.prediction, out.measured, out.tolerance, verdict, details)

    def _result(self, prediction, measured, tolerance, verdict, details) -> CheckResult:
        return CheckResult(self.id, self.statement, self.method, prediction, measured, tolerance, verdict,
                           MappingProxyType(details))

    @property
    def doc(self) -> str:
        return self.func.__doc__ or ""


def claim(id: str, statement: str, method: str) -> Callable[[Callable], Claim]:
    """Decorator turning ``check(ctx, prediction)`` into a :class:`Claim`."""
    if method not in ("symbolic", "numeric", "both"):
        raise ValueError(method)
    return lambda func: Claim(id, statement, method, func)


def decreasing(errors: np.ndarray, factor: float = 1.0) -> bool:
    """The last error is below ``factor`` times the error a third of the checkpoints earlier (with
    log-spaced checkpoints: the start of the last third of the run's decades)."""
    errors = np.asarray(errors, float)
    k = max(0, len(errors) - 1 - max(1, len(errors) // 3))
    return bool(errors[-1] < factor * errors[k])


def last_decade_rate(steps: np.ndarray, errors: np.ndarray) -> float:
    """Fitted exponent p of errors ~ steps^p over the last decade of checkpoints (steps >= T/10)."""
    steps = np.asarray(steps, float)
    keep = steps >= steps[-1] / 10
    return fit_power(steps[keep], np.asarray(errors, float)[keep])


def fit_power(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of log y against log x (the exponent p of y ~ x^p)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = (x > 0) & (y > 0)
    return float(np.polyfit(np.log(x[keep]), np.log(y[keep]), 1)[0])
