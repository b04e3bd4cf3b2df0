"""Frozen result objects shared by the verifiers: one :class:`Condition` per checked statement.

A verifier never prints; it returns a :class:`Report` listing each condition with
``passed`` = True (proved exactly), False (refuted exactly; ``violations`` name the
offending indices and the offending expressions) or None (SymPy could not decide,
e.g. a sign that depends on symbols without assumptions; see ``undecided``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Condition", "Report", "STATIONARITY", "PRIMAL_FEASIBILITY", "STRICT_INACTIVITY", "DUAL_SIGN",
           "COMPLEMENTARITY", "make_condition"]

STATIONARITY = "stationarity"
PRIMAL_FEASIBILITY = "primal feasibility"
STRICT_INACTIVITY = "strict inactivity"
DUAL_SIGN = "dual sign"
COMPLEMENTARITY = "complementarity"


@dataclass(frozen=True)
class Condition:
    """One checked condition: name, verdict, and the (index, expression) pairs that failed or stayed open."""

    name: str
    passed: bool | None
    violations: tuple = ()
    undecided: tuple = ()
    statement: str = ""


@dataclass(frozen=True)
class Report:
    """Verdicts of a verifier (KKT conditions, fixed-point residual, identities); ``ok`` iff all proved."""

    subject: str
    conditions: tuple[Condition, ...]

    @property
    def ok(self) -> bool:
        return all(c.passed is True for c in self.conditions)

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
        """One line per condition: ``name: proved/FAILED (indices)/undecided``."""
        lines = [self.subject]
        for c in self.conditions:
            if c.passed is True:
                lines.append(f"  {c.name}: proved")
            elif c.passed is False:
                lines.append(f"  {c.name}: FAILED at {[i for i, _ in c.violations]}")
            else:
                lines.append(f"  {c.name}: undecided at {[i for i, _ in c.undecided]}")
        return "\n".join(lines)


def make_condition(name: str, checks, statement: str = "") -> Condition:
    """Build a :class:`Condition` from ``(index, expression, verdict)`` triples."""
    bad = tuple((i, e) for i, e, v in checks if v is False)
    open_ = tuple((i, e) for i, e, v in checks if v is None)
    passed = False if bad else (None if open_ else True)
    return Condition(name, passed, bad, open_, statement)
