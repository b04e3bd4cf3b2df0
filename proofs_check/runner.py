"""Run a selection of claims and collect a report with the environment that produced it."""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass, field, replace
from importlib import metadata
from typing import Any, Mapping, Sequence

from numerics.errors import HyperparameterError
from numerics.progress import Progress

from .claims import BY_ID, CLAIMS, CheckResult, Context

__all__ = ["Report", "run_claims", "environment", "select"]

PACKAGES = ("numpy", "sympy", "mpmath", "cvxpy", "clarabel", "python-flint", "matplotlib")


@dataclass(frozen=True)
class Report:
    results: tuple[CheckResult, ...]
    environment: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no claim failed (inconclusive: the run could not decide; skip: not about these data)."""
        return not any(r.verdict == "fail" for r in self.results)

    @property
    def errors(self) -> bool:
        """Some check could not be computed (a solver failed, or a bug)."""
        return any(r.verdict == "error" for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        claims = []
        for r in self.results:
            d = r.as_dict()
            d["details"]["seconds"] = round(self.seconds.get(r.id, 0.0), 2)
            claims.append(d)
        return {"claims": claims, "environment": self.environment}


def environment(ctx: Context) -> dict[str, Any]:
    """Versions, seed, precision and solver that produced a report."""
    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {"versions": {"python": platform.python_version(), **versions}, "seed": ctx.seed,
            "precision": {"simulations": "float64 (log-domain scaled)",
                          "fixed_point": "float64: Algorithm 3 then Newton on T(c) = c (|T(c) - c|_1 ~ 1e-16)"},
            "solver": "l2 / P(c): dual active set (KKT-checked); l_inf: CLARABEL (gap/feasibility 1e-12)",
            "quick": ctx.quick, "budget_seconds": ctx.budget,
            "data": getattr(ctx.data, "source", None) or "defaults of each claim",
            "platform": platform.platform(), "argv": sys.argv[1:]}


def select(ids: Sequence[str] | None):
    """The claims with these ids (all if empty); unknown ids are a HyperparameterError."""
    if not ids:
        return CLAIMS
    unknown = [i for i in ids if i not in BY_ID]
    if unknown:
        raise HyperparameterError(f"unknown claim id(s) {', '.join(unknown)}; `proofs-check list` shows them")
    return tuple(BY_ID[i] for i in ids)


def run_claims(ids: Sequence[str] | None = None, ctx: Context | None = None, progress: bool | None = None) -> Report:
    """Run the claims ``ids`` (default: all) and return a :class:`Report`."""
    ctx = ctx or Context()
    claims = select(ids)
    if progress is None:
        progress = sys.stderr.isatty()
    results, seconds = [], {}
    with Progress(len(claims), "claims", enabled=progress, unit="claim") as bar:
        for c in claims:
            t0 = time.perf_counter()
            results.append(c(ctx))
            seconds[c.id] = time.perf_counter() - t0
            bar.update(1)
    if ctx.budget:
        _spend_budget(claims, results, seconds, ctx, progress)
    return Report(tuple(results), environment(ctx), seconds)


def _spend_budget(claims, results: list, seconds: dict, ctx: Context, progress: bool) -> None:
    """Run the undecided claims again with ``ctx.budget`` seconds for longer runs (claims/horizon.py), in rounds:
    in round r every undecided case may have made r longer runs, so each claim's horizon grows in turn; within a
    round the cheapest expected decision goes first.  A claim leaves when it is decided or cannot grow (its
    next run does not fit in what is left); its last call says why.  Only claims decided from estimated limit
    directions can grow (their cases record their runs); their earlier runs are replayed from the cache."""
    deadline = time.perf_counter() + ctx.budget
    todo = [i for i, r in enumerate(results) if _growable(r)]
    growth = 0
    start = time.perf_counter()
    with Progress(max(1, int(ctx.budget)), "budget for longer runs", enabled=progress and bool(todo), unit="s") as bar:
        while todo:
            growth += 1
            grown = replace(ctx, deadline=deadline, growth=growth)
            still = []
            for i in sorted(todo, key=lambda i: _decision_cost(results[i])):
                before, t0 = _runs(results[i]), time.perf_counter()
                results[i] = claims[i](grown)
                seconds[claims[i].id] += time.perf_counter() - t0
                if _growable(results[i]) and _runs(results[i]) > before:
                    still.append(i)
                bar.update(max(0, min(bar.total, int(time.perf_counter() - start)) - bar.done))
            todo = still


def _cases(r: CheckResult) -> list[Mapping]:
    """The rows of a claim's limit-direction cases (claims/_limits.py), [] for other claims."""
    cases = r.details.get("cases")
    return [c for c in cases.values() if isinstance(c, Mapping)] if isinstance(cases, Mapping) else []


def _runs(r: CheckResult) -> int:
    return sum(len(c.get("runs", ())) for c in _cases(r))


def _undecided_cases(r: CheckResult) -> list[Mapping]:
    return [c for c in _cases(r) if c.get("verdict") == "inconclusive" and c.get("runs")]


def _growable(r: CheckResult) -> bool:
    return r.verdict == "inconclusive" and bool(_undecided_cases(r))


def _decision_cost(r: CheckResult) -> tuple[bool, float]:
    """(some case has no rate to extrapolate, expected seconds of each undecided case's next run): known first."""
    from .claims.horizon import next_steps

    unknown, total = False, 0.0
    for c in _undecided_cases(r):
        last = c["runs"][-1]
        unknown = unknown or not c.get("needed_steps")
        total += (last["seconds"] or 0.0) / last["steps"] * next_steps(c.get("needed_steps"), last["steps"])
    return unknown, total
