"""Array backends: one implementation of every algorithm, two number systems.

``FLOAT64`` runs on numpy float64 arrays; ``mpmath_backend(dps)`` runs on numpy
object arrays of ``mpmath.mpf`` at ``dps`` significant digits (unbounded
exponent, so nothing underflows).  Algorithms receive the backend explicitly
(as mpmath functions take a context) and use only the operations below, so the
same code serves both.  Precision is scoped with :meth:`Backend.context`
(``mpmath.workdps``), never set globally.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np

from .errors import HyperparameterError

__all__ = ["Backend", "FLOAT64", "mpmath_backend", "backend_from_precision"]


@dataclass(frozen=True)
class Backend:
    """A number system: float64 (``dps=None``) or mpmath at ``dps`` digits."""

    name: str
    dps: int | None = None
    _ufuncs: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.dps is not None:
            # frompyfunc keeps the elementwise calls in one place; the results are object arrays.
            for fn in ("exp", "log", "log1p", "sqrt", "sign"):
                self._ufuncs[fn] = np.frompyfunc(getattr(mpmath, fn), 1, 1)

    # ------------------------------------------------------------------ basics
    @property
    def is_float(self) -> bool:
        return self.dps is None

    @property
    def eps(self) -> float:
        """Unit roundoff: 2^-52 for float64, 10^-dps for mpmath (as a float)."""
        return float(np.finfo(float).eps) if self.is_float else 10.0 ** (-self.dps)

    def context(self) -> contextlib.AbstractContextManager:
        """Scope the working precision (``mpmath.workdps``); a no-op for float64."""
        return contextlib.nullcontext() if self.is_float else mpmath.workdps(self.dps)

    def asarray(self, x: Any) -> np.ndarray:
        """Convert to this backend's array type (float64 or object array of mpf)."""
        if self.is_float:
            return np.asarray(x, dtype=float)
        a = np.asarray(x, dtype=object)
        return np.frompyfunc(mpmath.mpf, 1, 1)(a) if a.size else a.astype(object)

    def scalar(self, x: Any) -> Any:
        return float(x) if self.is_float else mpmath.mpf(x)

    def zeros(self, shape: int | tuple[int, ...]) -> np.ndarray:
        return np.zeros(shape) if self.is_float else self.asarray(np.zeros(shape))

    def to_float(self, a: Any) -> np.ndarray:
        """float64 copy (for reporting); huge mpf values become +-inf honestly."""
        return np.asarray(np.vectorize(float, otypes=[float])(a) if not self.is_float else a, dtype=float)

    # -------------------------------------------------------------- elementwise
    def _apply(self, fn: str, a: Any) -> Any:
        if self.is_float:
            return getattr(np, fn)(a)
        if isinstance(a, np.ndarray):
            return self._ufuncs[fn](a)
        return getattr(mpmath, fn)(a)

    def exp(self, a: Any) -> Any:
        return self._apply("exp", a)

    def log(self, a: Any) -> Any:
        return self._apply("log", a)

    def log1p(self, a: Any) -> Any:
        return self._apply("log1p", a)

    def sqrt(self, a: Any) -> Any:
        return self._apply("sqrt", a)

    def sign(self, a: Any) -> Any:
        return self._apply("sign", a)

    # -------------------------------------------------------------- reductions
    def max(self, a: np.ndarray) -> Any:
        return np.max(a) if self.is_float else max(a.tolist())

    def logsumexp(self, a: np.ndarray) -> Any:
        """log(sum(exp(a))) without overflow or underflow."""
        m = self.max(a)
        return m + self.log(np.sum(self.exp(a - m)))

    def safe_ratio(self, num: np.ndarray, den: np.ndarray) -> np.ndarray:
        """num/den elementwise, with 0/0 := 0.

        A zero denominator only arises on a coordinate where every gradient seen
        so far was zero (Assumption 2.2 violated); the numerator is then zero too
        and the coordinate does not move, which is the limit of Adam with eps -> 0.
        """
        zero = den == 0
        if not np.any(zero):
            return num / den
        out = num / np.where(zero, 1, den)
        out[zero] = 0
        return out


FLOAT64 = Backend("float64")


def mpmath_backend(dps: int = 30) -> Backend:
    """mpmath backend at ``dps`` decimal digits (unbounded exponent range)."""
    if not isinstance(dps, int) or isinstance(dps, bool) or dps < 5:
        raise HyperparameterError(f"mpmath precision must be an integer >= 5 digits, got {dps!r}")
    return Backend(f"mpmath[{dps}]", dps)


def backend_from_precision(precision: str | int | None) -> Backend:
    """Parse a CLI precision: ``float64`` (or None) or a number of decimal digits."""
    if precision is None or str(precision).lower() == "float64":
        return FLOAT64
    try:
        dps = int(str(precision))
    except ValueError:
        raise HyperparameterError(
            f"precision must be 'float64' or a number of digits, got {precision!r}"
        ) from None
    return mpmath_backend(dps)


def log_or_neg_inf(x: float) -> float:
    """math.log that maps 0 to -inf (a momentum of 0 means no memory at all)."""
    return math.log(x) if x > 0 else -math.inf
