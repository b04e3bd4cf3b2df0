"""Run a selection of claims and collect a report with the environment that produced it."""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Sequence

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
            "quick": ctx.quick,
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
    return Report(tuple(results), environment(ctx), seconds)
