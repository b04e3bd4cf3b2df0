"""Quad-double arithmetic (K = 4 words, 212-bit significand, ~63.8 digits), numba-compiled.

Algorithms of the QD library (Hida, Li, Bailey 2001, Sec. 5): the "sloppy" addition and multiplication
(the library's defaults), whose errors are bounded relative to the operands, |err| <= c 2^-211 (|a| + |b|)
for the sum and c 2^-211 |a b| for the product with small c (ibid., Sec. 5.1-5.2) -- the same
normwise model as float64's a(1 + d1) + b(1 + d2), which is what the optimizers' error analysis
uses; division from double-double quotients of the remainders (:func:`div`).  Non-finite leading words as in
:mod:`.dd`.
"""

from __future__ import annotations

import math

from . import dd
from .eft import jit, renorm5, three_sum, three_sum2, two_prod, two_sum
from .nbtypes import pack2, pack4

__all__ = ["add", "add_real", "mul", "mul_real", "div", "div_real", "neg", "lt", "le", "eq", "from_real"]


@jit
def _inf(x):
    return pack4(x, 0.0, 0.0, 0.0)


@jit
def from_real(x):
    return pack4(float(x), 0.0, 0.0, 0.0)


@jit
def neg(a):
    return pack4(-a.w0, -a.w1, -a.w2, -a.w3)


@jit
def add(a, b):
    s0, t0 = two_sum(a.w0, b.w0)
    if not math.isfinite(s0):
        return _inf(s0)
    s1, t1 = two_sum(a.w1, b.w1)
    s2, t2 = two_sum(a.w2, b.w2)
    s3, t3 = two_sum(a.w3, b.w3)
    s1, t0 = two_sum(s1, t0)
    s2, t0, t1 = three_sum(s2, t0, t1)
    s3, t0 = three_sum2(s3, t0, t2)
    t0 = t0 + t1 + t3
    return pack4(*renorm5(s0, s1, s2, s3, t0))


@jit
def add_real(a, b):
    c0, e = two_sum(a.w0, b)
    if not math.isfinite(c0):
        return _inf(c0)
    c1, e = two_sum(a.w1, e)
    c2, e = two_sum(a.w2, e)
    c3, e = two_sum(a.w3, e)
    return pack4(*renorm5(c0, c1, c2, c3, e))


@jit
def mul(a, b):
    p0, q0 = two_prod(a.w0, b.w0)
    if not math.isfinite(p0):
        return _inf(p0)
    p1, q1 = two_prod(a.w0, b.w1)
    p2, q2 = two_prod(a.w1, b.w0)
    p3, q3 = two_prod(a.w0, b.w2)
    p4, q4 = two_prod(a.w1, b.w1)
    p5, q5 = two_prod(a.w2, b.w0)
    p1, p2, q0 = three_sum(p1, p2, q0)
    p2, q1, q2 = three_sum(p2, q1, q2)
    p3, p4, p5 = three_sum(p3, p4, p5)
    s0, t0 = two_sum(p2, p3)
    s1, t1 = two_sum(q1, p4)
    s2 = q2 + p5
    s1, t0 = two_sum(s1, t0)
    s2 += t0 + t1
    s1 += a.w0 * b.w3 + a.w1 * b.w2 + a.w2 * b.w1 + a.w3 * b.w0 + q0 + q3 + q4 + q5
    return pack4(*renorm5(p0, p1, s0, s1, s2))


@jit
def mul_real(a, b):
    p0, q0 = two_prod(a.w0, b)
    if not math.isfinite(p0):
        return _inf(p0)
    p1, q1 = two_prod(a.w1, b)
    p2, q2 = two_prod(a.w2, b)
    p3 = a.w3 * b
    s1, s2 = two_sum(q0, p1)
    s2, q1, p2 = three_sum(s2, q1, p2)
    q1, q2 = three_sum2(q1, q2, p3)
    return pack4(*renorm5(p0, s1, s2, q1, q2 + p2))


@jit
def div(a, b):
    """a / b from double-double quotients: q0 = a/b to 2^-102, then the remainder a - b q0 (exact to
    ~2^-211 |a| in quad-double) divided in double-double and once more in float64, so that the three
    terms leave ~2^-102 * 2^-102 * 2^-50 |a/b|: a quarter of the cost of QD's five quad-double remainders."""
    q0 = dd.div(pack2(a.w0, a.w1), pack2(b.w0, b.w1))
    if not math.isfinite(q0.w0):
        return _inf(a.w0 / b.w0)
    r = add(a, neg(mul(b, pack4(q0.w0, q0.w1, 0.0, 0.0))))
    q1 = dd.div(pack2(r.w0, r.w1), pack2(b.w0, b.w1))
    r = add(r, neg(mul(b, pack4(q1.w0, q1.w1, 0.0, 0.0))))
    q2 = r.w0 / b.w0
    return pack4(*renorm5(q0.w0, q0.w1, q1.w0, q1.w1, q2))


@jit
def div_real(a, b):
    return div(a, from_real(b))


@jit
def lt(a, b):
    if a.w0 != b.w0:
        return a.w0 < b.w0
    if a.w1 != b.w1:
        return a.w1 < b.w1
    if a.w2 != b.w2:
        return a.w2 < b.w2
    return a.w3 < b.w3


@jit
def le(a, b):
    return not lt(b, a)


@jit
def eq(a, b):
    return a.w0 == b.w0 and a.w1 == b.w1 and a.w2 == b.w2 and a.w3 == b.w3
