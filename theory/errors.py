"""Errors of :mod:`theory` and its size guards (one place, so callers can catch by type, never by message).

Every guard measures the real cost of the exact computation it protects and says what it measured:
the number of samples or support vectors for symbolic data, and for the algebraic routines the number
of distinct radicals sqrt(sum_j c_j^2 x_jk^2) of D(c) (Def. 4.6) times the size of the linear system
they enter.  The message carries an estimate so that a user can decide whether to insist.
"""

from __future__ import annotations

try:  # the toolkit's user-facing error base; theory/ depends on numerics only for this
    from numerics.errors import ToolkitError as _Base
except ImportError:  # pragma: no cover - theory used standalone
    _Base = Exception

__all__ = ["TheoryError", "LICQError", "SizeGuardError", "check_size", "check_cost", "SYMBOLIC_MAX", "EXACT_MAX"]

#: default bound on N (or on a support size) for routines on fully symbolic data
SYMBOLIC_MAX = 12
#: default bound on N for the exact (rational / closed algebraic) support enumerations (2^N sets)
EXACT_MAX = 40


class TheoryError(_Base, ValueError):
    """A request :mod:`theory` cannot answer exactly: bad data, a size guard, a singular system."""


class LICQError(TheoryError):
    """The support vectors are linearly dependent (Assumption 4.7 fails): the multipliers are not unique."""

    def __init__(self, support, message: str = ""):
        self.support = tuple(support)
        super().__init__(message or f"support vectors {self.support} are linearly dependent (LICQ, Assumption 4.7, "
                                    f"fails): the multipliers are not unique")


class SizeGuardError(TheoryError):
    """An exact computation whose measured cost exceeds the caller's bound (``cost``, ``bound``, ``estimate``)."""

    def __init__(self, what: str, cost: int, bound: int, estimate: str = "", param: str = "max_size"):
        self.what, self.cost, self.bound, self.estimate = what, cost, bound, estimate
        extra = f" ({estimate})" if estimate else ""
        super().__init__(f"{what} = {cost} exceeds {param} = {bound}{extra}; exact symbolic algebra grows "
                         f"combinatorially with it. Pass a larger {param} to insist, or use numerics/ instead.")


def check_size(n: int, max_size: int, what: str, estimate: str = "") -> None:
    """Raise :class:`SizeGuardError` if ``n > max_size`` (the guard of every routine that can blow up)."""
    if n > max_size:
        raise SizeGuardError(what, n, max_size, estimate)


def check_cost(radicals: int, system: int, max_cost: int, what: str, estimate: str | None = None) -> None:
    """Guard an exact solve on D(c): cost = (distinct radicals of D(c)) x (size of the system they enter).

    ``estimate`` defaults to the fit for the rational-function elimination behind :func:`theory.kkt.quadratic_kkt`
    (measured on the project's 2-core machine under load: 0.7-2 s at cost 12, 4-6 s at cost 20, 24-29 s at
    cost 24, 43 s at cost 30; the fit 0.1 * 2^((cost - 4)/3) s is within a factor 3 of these).
    """
    cost = radicals * system
    if cost > max_cost:
        if estimate is None:
            estimate = f"estimated {0.1 * 2.0 ** ((cost - 4) / 3.0):.0f} s"
        raise SizeGuardError(f"{what}: distinct radicals ({radicals}) x system size ({system})", cost, max_cost,
                             estimate, "max_cost")
