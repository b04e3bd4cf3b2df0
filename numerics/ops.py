"""Elementary operations that every engine shares: float64 (numpy), mpmath and the numba-compiled engine.

The algorithms of :mod:`numerics.optimizers.arith` are written once against these functions and
ordinary arithmetic (+, -, *, /, ``max``, comparisons), so the same source runs on

* float64 scalars and numpy float64 arrays (the reference engine, ``FLOAT64``),
* ``mpmath.mpf`` scalars and numpy object arrays of them (the reference engine at any precision;
  the working precision is scoped by the caller with ``mpmath.workdps``),
* numba scalars and arrays inside compiled kernels: :func:`numba_implementations` gives the
  numba implementation of each operation, registered by :mod:`numerics.fast` with
  ``numba.extending.overload`` only when the compiled engine is loaded (so importing the
  reference engine never imports numba).

Dispatch is on the argument's type, not on a global setting.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

__all__ = ["exp", "log", "log1p", "sqrt", "sign", "absolute", "maximum", "minimum", "exp_sub", "safe_div",
           "OPERATIONS", "numba_implementations"]

_MPF = mpmath.mpf
_ELEMENTWISE = {name: np.frompyfunc(getattr(mpmath, name), 1, 1) for name in ("exp", "log", "log1p", "sqrt", "sign")}


def _is_mp_array(x) -> bool:
    return type(x) is np.ndarray and x.dtype == object


def _unary(name: str):
    mp_fn, np_fn, mp_array = getattr(mpmath, name), getattr(np, name), _ELEMENTWISE[name]

    def fn(x):
        if type(x) is _MPF:
            return mp_fn(x)
        if _is_mp_array(x):
            return mp_array(x) if x.size else x.copy()
        return np_fn(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{name}(x) elementwise on float64, mpf or object arrays of mpf (numba: np.{name})."
    return fn


exp = _unary("exp")
log = _unary("log")
log1p = _unary("log1p")
sqrt = _unary("sqrt")
sign = _unary("sign")


def absolute(x):
    """|x| elementwise (any of the number types)."""
    return abs(x)


def maximum(a, b):
    """Elementwise max(a, b) (scalars or arrays of any of the number types)."""
    if type(a) is np.ndarray or type(b) is np.ndarray:
        return np.maximum(a, b)
    return a if a >= b else b


def minimum(a, b):
    """Elementwise min(a, b) (scalars or arrays of any of the number types)."""
    if type(a) is np.ndarray or type(b) is np.ndarray:
        return np.minimum(a, b)
    return a if a <= b else b


_MP_ZERO = mpmath.mpf(0)
_MP_EXP_SUB = np.frompyfunc(lambda a, b: _MP_ZERO if a == -math.inf else mpmath.exp(a - b), 2, 1)


def exp_sub(a, b):
    """e^(a - b) elementwise, with e^(-inf - b) := 0 for every b, -inf included: the weight, relative to a
    log-scale b, of a contributor whose own log-scale a is -inf (nothing: a coordinate never fed).  Plain
    exp(a - b) would give exp(nan) when both are -inf."""
    if type(a) is np.ndarray or type(b) is np.ndarray:
        if (type(a) is np.ndarray and a.dtype == object) or (type(b) is np.ndarray and b.dtype == object):
            return _MP_EXP_SUB(a, b)
        with np.errstate(invalid="ignore"):
            return np.where(np.asarray(a) == -math.inf, 0.0, np.exp(np.asarray(a) - b))
    if a == -math.inf:
        return _MP_ZERO if type(a) is _MPF else 0.0
    return exp(a - b)


def safe_div(num, den):
    """num / den elementwise with 0/0 := 0.

    A zero denominator arises only on a coordinate whose gradients so far were all zero
    (Assumption 2.2 violated); the numerator is then zero too and the coordinate does not move,
    which is the limit of Adam as its epsilon -> 0.
    """
    if type(den) is np.ndarray:
        zero = den == 0
        if not zero.any():
            return num / den
        out = num / np.where(zero, 1, den)
        out[zero] = 0
        return out
    return num / den if den != 0 else den * 0


#: the operations of this module by name (what numba needs an implementation of)
OPERATIONS = {"exp": exp, "log": log, "log1p": log1p, "sqrt": sqrt, "sign": sign, "absolute": absolute,
              "maximum": maximum, "minimum": minimum, "exp_sub": exp_sub, "safe_div": safe_div}


def numba_implementations() -> dict:
    """name -> numba ``overload`` implementation factory (imports numba; called by numerics.fast)."""
    from numba.core import types

    def numeric(*args):  # other number types (numerics.multiword) register their own implementations
        return all(isinstance(t, (types.Number, types.Array)) for t in args)

    def unary(np_fn):
        return lambda x: (lambda x: np_fn(x)) if numeric(x) else None

    def _maximum(a, b):
        if not numeric(a, b):
            return None
        if isinstance(a, types.Array) or isinstance(b, types.Array):
            return lambda a, b: np.maximum(a, b)
        return lambda a, b: a if a >= b else b

    def _minimum(a, b):
        if not numeric(a, b):
            return None
        if isinstance(a, types.Array) or isinstance(b, types.Array):
            return lambda a, b: np.minimum(a, b)
        return lambda a, b: a if a <= b else b

    def _exp_sub(a, b):
        if not numeric(a, b):
            return None
        if isinstance(a, types.Array) or isinstance(b, types.Array):
            return lambda a, b: np.where(a == -np.inf, 0.0, np.exp(a - b))
        return lambda a, b: 0.0 if a == -np.inf else np.exp(a - b)

    def _safe_div(num, den):
        if not numeric(num, den):
            return None
        if isinstance(den, types.Array):
            return lambda num, den: np.where(den == 0, 0.0, num / np.where(den == 0, 1.0, den))
        return lambda num, den: num / den if den != 0 else 0.0

    out = {name: unary(getattr(np, name)) for name in ("exp", "log", "log1p", "sqrt", "sign", "absolute")}
    out.update(maximum=_maximum, minimum=_minimum, exp_sub=_exp_sub, safe_div=_safe_div)
    return out


def log_or_neg_inf(x: float) -> float:
    """math.log that maps 0 to -inf (a momentum of 0 means no memory at all)."""
    return math.log(x) if x > 0 else -math.inf
