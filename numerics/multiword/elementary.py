"""exp, expm1, log, log1p, sqrt (and sign, |.|, maximum, safe_div) of multi-word numbers, written once
with the operators of :mod:`.algebra` and registered as the numba implementations of the operations of
:mod:`numerics.ops` for ``Multiword`` arguments.  u = 2^-53 below; K words carry about (53 K) bits.

* exp(a) = 2^k (1 + s), k = round(a / ln 2), s = expm1(r) for r = a - k ln 2 (|r| <= 0.347): r is
  halved L times, expm1 summed as a Taylor polynomial of degree n, then undone by L doublings
  expm1(2x) = e (e + 2), which keep the relative error (factor (2e + 2)/(e + 2) <= 1.2 per step) -- the
  QD library's scheme (Hida, Li, Bailey 2001, Sec. 6).  Degrees: the truncation |r|^n / (n+1)! relative
  to expm1(r) ~ r is 4e-33 < 2^-106 for K = 2 (L = 8, |r| <= 1.4e-3, n = 10 leaves a margin) and 4e-66
  < 2^-212 for K = 4 (L = 10, |r| <= 3.4e-4, n = 16).  Below e^-746 the result is 0, above e^709.8 it is
  inf, as in float64; near the float64 underflow the lower words become subnormal and are lost, as the
  float64 result itself is.
* log1p(x), log(x): Newton on exp from the float64 value, y <- y + (x - expm1(y)) / (1 + expm1(y)),
  which doubles the correct bits (53 -> 106 -> 212): one step for K = 2, two for K = 4.  log reduces
  x = f 2^e first (f in [1/2, 1)), so exp(-y) never overflows.
* sqrt(a): K = 2: y = sqrt(a0) in float64, then one step y + (a - y^2) x, x = 1/(2 y) in float64, which
  gains 53 bits (its linear error factor 1 - 2 x y is O(u); Karp and Markstein 1997).  K = 4: the
  double-double root y, then one step y + (a - y^2) / (2 y) whose correction, ~2^-104 |y|, needs only
  double-double accuracy itself: 2^-104 * 2^-102 after the step.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from numba.extending import overload, register_jitable

from .. import ops
from .algebra import ARITHMETIC
from .nbtypes import REAL, Multiword, pack2, pack4

__all__ = ["SCHEME"]

#: K -> (halvings L, Taylor degree n, Newton steps of log); see the module docstring
SCHEME = {2: (8, 10, 1), 4: (10, 16, 2)}
_LN2_F = math.log(2.0)


def _words(x, K: int = 4) -> tuple[float, ...]:
    out = []
    with mpmath.workprec(300):
        rest = mpmath.mpf(x)
        for _ in range(K):
            out.append(float(rest))
            rest -= out[-1]
    return tuple(out)


with mpmath.workprec(300):
    _LN2 = _words(mpmath.ln2)
    #: 1/i! for i = 0 .. 16 as four words each (row i)
    _INV_FACT = np.array([_words(1 / mpmath.factorial(i)) for i in range(17)])


def _pack(K: int):
    return pack2 if K == 2 else pack4


def _functions(K: int, dd_functions: dict | None = None) -> dict:
    """The elementary functions for K words (compiled lazily by numba through ``overload``); K = 4 builds on
    the double-double ones."""
    L, n, newton = SCHEME[K]
    dd_sqrt = dd_functions["sqrt"] if dd_functions else None
    m = ARITHMETIC[K]
    from_real = m.from_real
    halve = 0.5**L
    table = _INV_FACT[:, :K].copy()
    ln2_words = _LN2[:K]

    if K == 2:
        def coeff(i):
            return pack2(table[i, 0], table[i, 1])

        def ldexp(a, k):
            return pack2(math.ldexp(a.w0, k), math.ldexp(a.w1, k))

        def ln2():
            return pack2(ln2_words[0], ln2_words[1])
    else:
        def coeff(i):
            return pack4(table[i, 0], table[i, 1], table[i, 2], table[i, 3])

        def ldexp(a, k):
            return pack4(math.ldexp(a.w0, k), math.ldexp(a.w1, k), math.ldexp(a.w2, k), math.ldexp(a.w3, k))

        def ln2():
            return pack4(ln2_words[0], ln2_words[1], ln2_words[2], ln2_words[3])

    coeff, ldexp, ln2 = (register_jitable(f) for f in (coeff, ldexp, ln2))

    @register_jitable
    def expm1_reduced(r):
        """expm1(r) for |r| <= 0.35: Taylor on r / 2^L, then L doublings."""
        r = r * halve  # a power of two: exact
        s = coeff(n)
        for i in range(n - 1, 0, -1):
            s = s * r + coeff(i)
        s = s * r
        for _ in range(L):
            s = s * (s + 2.0)
        return s

    @register_jitable
    def exp(a):
        x = a.w0
        if x != x or x > 709.8:
            return from_real(x * np.inf if x > 0 else x)
        if x < -746.0:
            return from_real(0.0)
        k = math.floor(x / _LN2_F + 0.5)
        s = expm1_reduced(a - ln2() * k)
        return ldexp(s + 1.0, int(k))

    @register_jitable
    def expm1(a):
        if abs(a.w0) <= 0.34:
            return expm1_reduced(a)
        return exp(a) - 1.0

    @register_jitable
    def log1p(x):
        if x.w0 == 0.0 or not math.isfinite(x.w0) or x.w0 <= -1.0:
            return from_real(np.log1p(x.w0))
        y = from_real(math.log1p(x.w0))
        for _ in range(newton):
            e = expm1(y)
            y = y + (x - e) / (e + 1.0)
        return y

    @register_jitable
    def log(x):
        if not (x.w0 > 0.0 and math.isfinite(x.w0)):
            return from_real(np.log(x.w0))
        e = math.frexp(x.w0)[1]
        f = ldexp(x, -e)
        y = from_real(math.log(f.w0))
        for _ in range(newton):
            y = y + f * exp(-y) - 1.0
        return y + ln2() * e

    @register_jitable
    def sqrt(a):
        if not (a.w0 > 0.0 and math.isfinite(a.w0)):
            return from_real(np.sqrt(a.w0))
        y0 = math.sqrt(a.w0)  # correctly rounded: 53 bits, and its square is exact in K words
        x = 0.5 / y0
        if K == 2:  # the one step, its last addition as a two_sum of floats (QD's dd sqrt)
            return from_real(y0) + (a - from_real(y0) * y0).w0 * x
        # K = 4: the double-double root y (2^-104), then one step whose correction (a - y^2) / (2 y) is
        # ~2^-104 |y| and so needs only double-double accuracy itself: 2^-104 * 2^-102 after the step
        y = dd_sqrt(pack2(a.w0, a.w1))
        r = a - pack4(y.w0, y.w1, 0.0, 0.0) * pack4(y.w0, y.w1, 0.0, 0.0)
        c = pack2(r.w0, r.w1) / (y * 2.0)
        return pack4(y.w0, y.w1, 0.0, 0.0) + pack4(c.w0, c.w1, 0.0, 0.0)

    return {"exp": exp, "expm1": expm1, "log": log, "log1p": log1p, "sqrt": sqrt}


def _register() -> None:
    impls = {2: _functions(2)}
    impls[4] = _functions(4, impls[2])

    def unary(name):
        def ov(x):
            if isinstance(x, Multiword):
                fn = impls[x.words][name]
                return lambda x: fn(x)
        return ov

    for name in ("exp", "log", "log1p", "sqrt"):
        overload(ops.OPERATIONS[name])(unary(name))

    @overload(ops.sign)
    def _sign(x):
        if isinstance(x, Multiword):
            return lambda x: 1.0 if x.w0 > 0 else (-1.0 if x.w0 < 0 else 0.0 * x.w0)

    @overload(ops.absolute)
    def _absolute(x):
        if isinstance(x, Multiword):
            return lambda x: abs(x)

    @overload(ops.maximum)
    def _maximum(a, b):
        if isinstance(a, Multiword) or isinstance(b, Multiword):
            return lambda a, b: max(a, b)

    @overload(ops.minimum)
    def _minimum(a, b):
        if isinstance(a, Multiword) or isinstance(b, Multiword):
            return lambda a, b: min(a, b)

    @overload(ops.exp_sub)
    def _exp_sub(a, b):
        if isinstance(a, Multiword) or isinstance(b, Multiword):
            K = a.words if isinstance(a, Multiword) else b.words
            zero, exp = ARITHMETIC[K].from_real, impls[K]["exp"]
            return lambda a, b: zero(0.0) if a == -np.inf else exp(a - b)

    @overload(ops.safe_div)
    def _safe_div(num, den):
        if isinstance(den, Multiword) and isinstance(num, (Multiword,) + REAL):
            zero = ARITHMETIC[den.words].from_real
            return lambda num, den: num / den if den.w0 != 0 else zero(0.0)


_register()
