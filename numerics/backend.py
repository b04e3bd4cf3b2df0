"""Array backends: one implementation of every algorithm, several number systems.

``FLOAT64`` runs on numpy float64 arrays; ``mpmath_backend(dps)`` runs on numpy
object arrays of ``mpmath.mpf`` at ``dps`` significant digits (unbounded
exponent, so nothing underflows).  Algorithms receive the backend explicitly
(as mpmath functions take a context) and use only the operations below, so the
same code serves both.  Precision is scoped with :meth:`Backend.context`
(``mpmath.workdps``), never set globally.

``multiword_backend(dps)`` (what ``backend_from_precision`` gives up to
``QUAD_DOUBLE_DIGITS``) is an mpmath backend at ``dps`` digits that the compiled
engine runs in double-double (``words`` = 2, up to ``DOUBLE_DOUBLE_DIGITS``) or
quad-double (4 words) arithmetic (:mod:`numerics.multiword`; speed in
benchmarks/precision_bench.py); the reference engine (callbacks, no numba)
runs it in mpmath at ``dps``.  Its exponent range is float64's, which the log-domain
scaling of the optimizers keeps everything inside (docs/math.md §13.5).
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

__all__ = ["Backend", "FLOAT64", "mpmath_backend", "multiword_backend", "backend_from_precision",
           "DOUBLE_DOUBLE_DIGITS", "QUAD_DOUBLE_DIGITS"]

# Digits each multi-word format serves: 53 K bits with per-operation relative errors of a few 2^(-53 K)
# (numerics.multiword.dd / .qd), i.e. 2^-104 = 4.9e-32 (31.3 digits) and 2^-209 = 1.5e-63 (62.8 digits),
# rounded down.
DOUBLE_DOUBLE_DIGITS, QUAD_DOUBLE_DIGITS = 31, 62


@dataclass(frozen=True)
class Backend:
    """A number system: float64 (``dps=None``) or mpmath at ``dps`` digits; ``words`` = 2 or 4 lets the
    compiled engine run it in double-double or quad-double arithmetic (0: mpmath only)."""

    name: str
    dps: int | None = None
    words: int = 0

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


def multiword_backend(dps: int = 30) -> Backend:
    """``dps`` digits in double-double (dps <= DOUBLE_DOUBLE_DIGITS) or quad-double (<= QUAD_DOUBLE_DIGITS)
    on the compiled engine, mpmath at ``dps`` on the reference engine."""
    mpmath_backend(dps)  # same validation
    if dps > QUAD_DOUBLE_DIGITS:
        raise HyperparameterError(f"multi-word arithmetic holds at most {QUAD_DOUBLE_DIGITS} digits, got {dps}")
    words, kind = (2, "double-double") if dps <= DOUBLE_DOUBLE_DIGITS else (4, "quad-double")
    return Backend(f"{kind}[{dps}]", dps, words)


def backend_from_precision(precision: str | int | None) -> Backend:
    """Parse a CLI precision: ``float64`` (or None) or a number of decimal digits: multi-word arithmetic up
    to QUAD_DOUBLE_DIGITS digits (:func:`multiword_backend`), mpmath beyond."""
    if precision is None or str(precision).lower() == "float64":
        return FLOAT64
    try:
        dps = int(str(precision))
    except ValueError:
        raise HyperparameterError(
            f"precision must be 'float64' or a number of digits, got {precision!r}"
        ) from None
    return multiword_backend(dps) if 5 <= dps <= QUAD_DOUBLE_DIGITS else mpmath_backend(dps)
