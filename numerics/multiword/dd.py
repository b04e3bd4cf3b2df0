"""Double-double arithmetic (K = 2 words, 106-bit significand, ~31.9 digits), numba-compiled.

Algorithms of the QD library (Hida, Li, Bailey 2001, Sec. 3-4) on the error-free transformations of
:mod:`.eft`; u = 2^-53.  Addition is QD's default "sloppy" sum, whose error is bounded normwise,
|err| <= 3 u^2 (|a| + |b|) < 2^-104 (|a| + |b|) (the lower words' sum rounds twice; the leading words'
sum is exact): the model a(1 + d1) + b(1 + d2) of float64 rounding, which is all the optimizers' error
analysis needs, at half the latency of the correctly-rounded-to-u^2 "IEEE" sum, and the difference
between a 6x and a 5x slowdown against float64 (benchmarks/precision_bench.py).  Multiplication uses
the fused multiply-add and division is QD's one-correction quotient; Joldes, Muller, Popescu 2017
("Tight and rigorous error bounds for basic building blocks of double-word arithmetic") bound their
relative errors by 7 u^2 and 15 u^2 = 2^-102.1 (tests/numerics/multiword measure 2^-105 to 2^-106).  A result whose leading word is not
finite is returned as (inf or nan, 0), as float64 gives it (the transformations would otherwise turn
inf - inf into a nan second word).  Inputs are normalised (|w1| <= ulp(w0) / 2) and so are the results.
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
    s, e = two_sum(a.w0, b.w0)
    if not math.isfinite(s):
        return pack2(s, 0.0)
    e += a.w1 + b.w1
    s, e = quick_two_sum(s, e)
    return pack2(s, e)


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
    """q1 = a0 / b0, then one correction from the remainder a - q1 b."""
    q1 = a.w0 / b.w0
    if not math.isfinite(q1):
        return pack2(q1, 0.0)
    r = mul_real(b, q1)
    s1, s2 = two_sum(a.w0, -r.w0)
    s2 -= r.w1
    s2 += a.w1
    q2 = (s1 + s2) / b.w0
    q1, q2 = quick_two_sum(q1, q2)
    return pack2(q1, q2)


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
