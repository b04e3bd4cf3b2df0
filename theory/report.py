"""Frozen result objects shared by the verifiers: one :class:`Condition` per checked statement, one verdict.

A verifier never prints; it returns a :class:`Report` listing each condition with ``passed`` = True (proved
exactly), False (refuted exactly; ``violations`` name the offending indices and expressions, and
``witnesses`` a point of the domain where a symbolic statement fails) or None (SymPy could not decide).
``Report.verdict`` folds them into the one notion of success of :mod:`theory`, a :class:`Verdict`:
*proved*, *refuted* (with a counterexample) or *undecided* (with the reason).  ``Report.scope`` says
what the proof covers: ``"general"`` (symbolic N, d, t, ...) or e.g. ``"N = 3"`` for one instance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Condition", "Report", "Verdict", "PROVED", "REFUTED", "UNDECIDED", "STATIONARITY", "PRIMAL_FEASIBILITY",
           "STRICT_INACTIVITY", "DUAL_SIGN", "COMPLEMENTARITY", "LICQ", "make_condition", "FixedPointVerdicts"]

PROVED, REFUTED, UNDECIDED = "proved", "refuted", "undecided"

STATIONARITY = "stationarity"
PRIMAL_FEASIBILITY = "primal feasibility"
STRICT_INACTIVITY = "strict inactivity"
DUAL_SIGN = "dual sign"
COMPLEMENTARITY = "complementarity"
LICQ = "LICQ"


@dataclass(frozen=True)
class Verdict:
    """proved / refuted (``counterexample``: (condition, index, expression, witness point)) / undecided (``reason``)."""

    status: str
    reason: str = ""
    counterexample: tuple = ()
    scope: str = ""

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    @property
    def refuted(self) -> bool:
        return self.status == REFUTED

    @property
    def value(self) -> bool | None:
        """True / False / None, the three-valued form used by ``is_fixed_point``-style properties."""
        return {PROVED: True, REFUTED: False}.get(self.status)


@dataclass(frozen=True)
class Condition:
    """One checked condition: name, verdict, and the (index, expression) pairs that failed or stayed open."""

    name: str
    passed: bool | None
    violations: tuple = ()
    undecided: tuple = ()
    statement: str = ""
    #: for each violation with symbols, the point of the domain where it fails (same order; () if none)
    witnesses: tuple = ()


@dataclass(frozen=True)
class Report:
    """Verdicts of a verifier (KKT conditions, fixed-point residual, identities); ``ok`` iff all proved."""

    subject: str
    conditions: tuple[Condition, ...]
    scope: str = ""

    @property
    def ok(self) -> bool:
        return all(c.passed is True for c in self.conditions)

    @property
    def verdict(self) -> Verdict:
        """The one notion of success: proved iff every condition is proved."""
        for c in self.conditions:
            if c.passed is False:
                idx, expr = c.violations[0] if c.violations else (None, None)
                wit = c.witnesses[0] if c.witnesses else ()
                return Verdict(REFUTED, f"{c.name} fails" + (f" at {idx}" if idx is not None else ""),
                               (c.name, idx, expr, wit), self.scope)
        open_ = [c for c in self.conditions if c.passed is None]
        if open_:
            where = "; ".join(f"{c.name} at {[i for i, _ in c.undecided]}" for c in open_)
            return Verdict(UNDECIDED, f"SymPy could not decide: {where}", (), self.scope)
        return Verdict(PROVED, "", (), self.scope)

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the conditions refuted exactly (e.g. ``('dual sign',)`` for a wrong support set)."""
        return tuple(c.name for c in self.conditions if c.passed is False)

    @property
    def open(self) -> tuple[str, ...]:
        """Names of the conditions SymPy could not decide."""
        return tuple(c.name for c in self.conditions if c.passed is None)

    def __getitem__(self, name: str) -> Condition:
        for c in self.conditions:
            if c.name == name:
                return c
        raise KeyError(name)

    def summary(self) -> str:
        """One line per condition: ``name: proved/FAILED (indices)/undecided``, after the subject and scope."""
        lines = [self.subject + (f" [scope: {self.scope}]" if self.scope else "")]
        for c in self.conditions:
            if c.passed is True:
                lines.append(f"  {c.name}: proved")
            elif c.passed is False:
                lines.append(f"  {c.name}: FAILED at {[i for i, _ in c.violations]}")
            else:
                lines.append(f"  {c.name}: undecided at {[i for i, _ in c.undecided]}")
        return "\n".join(lines)


def make_condition(name: str, checks, statement: str = "") -> Condition:
    """Build a :class:`Condition` from ``(index, expression, verdict)`` triples.

    ``verdict`` is True / False / None or a :class:`theory.decide.Decision` (whose witness is kept).
    """
    bad, open_, wits = [], [], []
    for i, e, v in checks:
        value = v.value if hasattr(v, "witness") else v
        value = None if value is None else bool(value)
        if value is False:
            bad.append((i, e))
            wits.append(getattr(v, "witness", ()))
        elif value is None:
            open_.append((i, e))
    passed = False if bad else (None if open_ else True)
    return Condition(name, passed, tuple(bad), tuple(open_), statement, tuple(wits))


class FixedPointVerdicts:
    """Read-outs shared by the fixed-point results that hold a ``report`` (the statement T(c) = c) and a
    ``nondegeneracy`` report (strict inactivity off S, lambda_S > 0); a result may refine ``verdict``."""

    @property
    def verdict(self) -> Verdict:
        return self.report.verdict

    @property
    def ok(self) -> bool:
        """T(c) = c proved (the same notion as ``is_fixed_point is True``)."""
        return self.verdict.proved

    @property
    def is_fixed_point(self) -> bool | None:
        return self.verdict.value

    @property
    def failed(self) -> tuple[str, ...]:
        return self.report.failed

    @property
    def nondegenerate(self) -> Verdict:
        """Strict complementarity at c: every non-support constraint strictly inactive, lambda_S > 0."""
        return self.nondegeneracy.verdict
