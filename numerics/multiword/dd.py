"""Double-double arithmetic (K = 2 words, 106-bit significand, ~31.9 digits), numba-compiled.

Algorithms of the QD library (Hida, Li, Bailey 2001, Sec. 3 and 4; Shewchuk 1997): the accurate
("IEEE") addition, which is correct to a relative 2^-104 (Joldes, Muller, Popescu 2017, Thm 2: bound
3 u^2 for u = 2^-53), multiplication with the fused multiply-add (bound 2^-104 relative within 7 u^2,
ibid. Thm 7), and division by Newton-style correction with three quotient terms.  A result whose
leading word is not finite is returned as (inf or nan, 0), as float64 would give it (the error-free
transformations would otherwise turn inf - inf into a nan second word).  Inputs are normalised
(|w1| <= ulp(w0) / 2) and so are the results.
"""

from __future__ import annotations

import math

from .eft import jit, quick_two_sum, two_prod, two_sum
from .nbtypes import pack2

__all__ = ["add", "add_real", "mul", "mul_real", "div", "div_real", "neg", "lt", "le", "eq", "from_real"]


@jit
def from_real(x):
    return pack2(float(x), 0.0)


@jit
def neg(a):
    return pack2(-a.w0, -a.w1)


@jit
def add(a, b):
    s1, s2 = two_sum(a.w0, b.w0)
    if not math.isfinite(s1):
        return pack2(s1, 0.0)
    t1, t2 = two_sum(a.w1, b.w1)
    s2 += t1
    s1, s2 = quick_two_sum(s1, s2)
    s2 += t2
    s1, s2 = quick_two_sum(s1, s2)
    return pack2(s1, s2)


@jit
def add_real(a, b):
    s1, s2 = two_sum(a.w0, b)
    if not math.isfinite(s1):
        return pack2(s1, 0.0)
    s2 += a.w1
    s1, s2 = quick_two_sum(s1, s2)
    return pack2(s1, s2)


@jit
def mul(a, b):
    p1, p2 = two_prod(a.w0, b.w0)
    if not math.isfinite(p1):
        return pack2(p1, 0.0)
    p2 += a.w0 * b.w1 + a.w1 * b.w0
    p1, p2 = quick_two_sum(p1, p2)
    return pack2(p1, p2)


@jit
def mul_real(a, b):
    p1, p2 = two_prod(a.w0, b)
    if not math.isfinite(p1):
        return pack2(p1, 0.0)
    p2 += a.w1 * b
    p1, p2 = quick_two_sum(p1, p2)
    return pack2(p1, p2)


@jit
def div(a, b):
    """a / b: q1 = a0/b0, then two corrections from the remainders (QD's accurate_div)."""
    q1 = a.w0 / b.w0
    if not math.isfinite(q1):
        return pack2(q1, 0.0)
    r = add(a, neg(mul_real(b, q1)))
    q2 = r.w0 / b.w0
    r = add(r, neg(mul_real(b, q2)))
    q3 = r.w0 / b.w0
    q1, q2 = quick_two_sum(q1, q2)
    return add_real(pack2(q1, q2), q3)


@jit
def div_real(a, b):
    q1 = a.w0 / b
    if not math.isfinite(q1):
        return pack2(q1, 0.0)
    p1, p2 = two_prod(q1, b)
    s, e = two_sum(a.w0, -p1)
    e -= p2
    e += a.w1
    q2 = (s + e) / b
    q1, q2 = quick_two_sum(q1, q2)
    return pack2(q1, q2)


@jit
def lt(a, b):
    return a.w0 < b.w0 or (a.w0 == b.w0 and a.w1 < b.w1)


@jit
def le(a, b):
    return a.w0 < b.w0 or (a.w0 == b.w0 and a.w1 <= b.w1)


@jit
def eq(a, b):
    return a.w0 == b.w0 and a.w1 == b.w1
