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
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

from . import ops
from .errors import HyperparameterError
from .ops import log_or_neg_inf  # noqa: F401 -- re-exported

__all__ = ["Backend", "FLOAT64", "mpmath_backend", "backend_from_precision"]


@dataclass(frozen=True)
class Backend:
    """A number system: float64 (``dps=None``) or mpmath at ``dps`` digits."""

    name: str
    dps: int | None = None

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
    # numerics.ops dispatches on the argument's type; these methods are kept for callers that hold a backend.
    @staticmethod
    def exp(a: Any) -> Any:
        return ops.exp(a)

    @staticmethod
    def log(a: Any) -> Any:
        return ops.log(a)

    @staticmethod
    def log1p(a: Any) -> Any:
        return ops.log1p(a)

    @staticmethod
    def sqrt(a: Any) -> Any:
        return ops.sqrt(a)

    @staticmethod
    def sign(a: Any) -> Any:
        return ops.sign(a)

    @staticmethod
    def safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        """num/den elementwise, with 0/0 := 0 (:func:`numerics.ops.safe_div`)."""
        return ops.safe_div(num, den)

    # -------------------------------------------------------------- reductions
    def max(self, a: np.ndarray) -> Any:
        return np.max(a) if self.is_float else max(a.tolist())

    def logsumexp(self, a: np.ndarray) -> Any:
        """log(sum(exp(a))) without overflow or underflow."""
        m = self.max(a)
        return m + ops.log(np.sum(ops.exp(a - m)))


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
