"""Python's operators on multi-word numbers inside numba code: +, -, *, /, unary -, comparisons, abs,
max, min and ** by an integer, for Multiword op Multiword and Multiword op float/int (either side).

Registered with ``numba.extending.overload`` when this module is imported; each operator dispatches
on the word count to :mod:`.dd` or :mod:`.qd`.  So ``numerics.arith``, written with these operators,
compiles unchanged for double-double and quad-double arguments.
"""

from __future__ import annotations

import operator

from numba.extending import overload

from . import dd, qd
from .nbtypes import REAL, Multiword

__all__ = ["ARITHMETIC"]

#: word count -> module of its arithmetic
ARITHMETIC = {2: dd, 4: qd}


def _mw(t) -> bool:
    return isinstance(t, Multiword)


def _real(t) -> bool:
    return isinstance(t, REAL)


def _pair(a, b):
    """The word count if (a, b) is (mw, mw) of one width, (mw, real) or (real, mw), else None."""
    if _mw(a) and _mw(b):
        return a.words if a.words == b.words else None
    if _mw(a) and _real(b):
        return a.words
    if _real(a) and _mw(b):
        return b.words
    return None


def _commutative(op, name: str):
    """Overload a commutative operation: (mw, mw) by ``name``, a real on either side by ``name + '_real'``."""
    def ov(a, b):
        K = _pair(a, b)
        if K is None:
            return None
        m = ARITHMETIC[K]
        fn, fn_real = getattr(m, name), getattr(m, name + "_real")
        if _mw(a) and _mw(b):
            return lambda a, b: fn(a, b)
        if _mw(a):
            return lambda a, b: fn_real(a, float(b))
        return lambda a, b: fn_real(b, float(a))

    overload(op)(ov)


_commutative(operator.add, "add")
_commutative(operator.mul, "mul")


@overload(operator.sub)
def _sub(a, b):
    K = _pair(a, b)
    if K is None:
        return None
    m = ARITHMETIC[K]
    add, add_real, neg = m.add, m.add_real, m.neg
    if _mw(a) and _mw(b):
        return lambda a, b: add(a, neg(b))
    if _mw(a):
        return lambda a, b: add_real(a, -float(b))
    return lambda a, b: add_real(neg(b), float(a))


@overload(operator.truediv)
def _truediv(a, b):
    K = _pair(a, b)
    if K is None:
        return None
    m = ARITHMETIC[K]
    div, div_real, from_real = m.div, m.div_real, m.from_real
    if _mw(a) and _mw(b):
        return lambda a, b: div(a, b)
    if _mw(a):
        return lambda a, b: div_real(a, float(b))
    return lambda a, b: div(from_real(a), b)


@overload(operator.neg)
def _neg(a):
    if _mw(a):
        neg = ARITHMETIC[a.words].neg
        return lambda a: neg(a)


def _comparison(op, swap: bool, name: str):
    def ov(a, b):
        K = _pair(a, b)
        if K is None:
            return None
        m = ARITHMETIC[K]
        fn, from_real = getattr(m, name), m.from_real
        if _mw(a) and _mw(b):
            return (lambda a, b: fn(b, a)) if swap else (lambda a, b: fn(a, b))
        if _mw(a):
            return (lambda a, b: fn(from_real(b), a)) if swap else (lambda a, b: fn(a, from_real(b)))
        return (lambda a, b: fn(b, from_real(a))) if swap else (lambda a, b: fn(from_real(a), b))

    overload(op)(ov)


_comparison(operator.lt, False, "lt")
_comparison(operator.le, False, "le")
_comparison(operator.gt, True, "lt")
_comparison(operator.ge, True, "le")
_comparison(operator.eq, False, "eq")


@overload(operator.ne)
def _ne(a, b):
    if _pair(a, b) is not None:
        return lambda a, b: not (a == b)


@overload(abs)
def _abs(a):
    if _mw(a):
        return lambda a: -a if a.w0 < 0 else a


@overload(max)
def _max(a, b):
    if _pair(a, b) is not None:
        return lambda a, b: a if a >= b else b  # a mixed pair unifies to Multiword (nbtypes)


@overload(min)
def _min(a, b):
    if _pair(a, b) is not None:
        return lambda a, b: a if a <= b else b


@overload(operator.pow)
def _pow(a, n):
    """a ** n for an integer n by repeated squaring (at most 2 log2|n| roundings, each of a few u^2)."""
    if not (_mw(a) and isinstance(n, REAL[1])):
        return None
    from_real = ARITHMETIC[a.words].from_real

    def power(a, n):
        result = from_real(1.0)
        base = a
        m = abs(n)
        while m:
            if m & 1:
                result = result * base
            base = base * base
            m >>= 1
        return 1.0 / result if n < 0 else result

    return power
