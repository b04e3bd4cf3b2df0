"""Error-free transformations on float64 (numba-compiled), the building blocks of double-double and
quad-double arithmetic (Shewchuk 1997, "Adaptive precision floating-point arithmetic and fast robust
geometric predicates"; Hida, Li, Bailey 2001, "Algorithms for quad-double precision floating point
arithmetic", Sec. 2 and 3).

``two_sum(a, b) = (s, e)`` with s = fl(a + b) and s + e = a + b exactly (Knuth), ``quick_two_sum``
the same when |a| >= |b| (Dekker), ``two_prod(a, b) = (p, e)`` with p = fl(a b) and p + e = a b exactly,
by one fused multiply-add (no Dekker split, whose factor 2^27 + 1 would overflow for |a| > 1e300).
All are exact unless a result over- or underflows (then they round like float64).
"""

from __future__ import annotations

from numba import njit, types
from numba.extending import intrinsic

__all__ = ["two_sum", "quick_two_sum", "two_prod", "three_sum", "three_sum2", "renorm5"]

jit = njit(cache=True, error_model="numpy")


@intrinsic
def fma(typingctx, a, b, c):
    """a * b + c with one rounding (LLVM's llvm.fma.f64: the hardware instruction where there is one)."""
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.fma(*args)

    return sig, codegen


@jit
def two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@jit
def quick_two_sum(a, b):
    s = a + b
    return s, b - (s - a)


@jit
def two_prod(a, b):
    p = a * b
    return p, fma(a, b, -p)


@jit
def three_sum(a, b, c):
    """(a, b, c) -> (s, e1, e2) with s + e1 + e2 = a + b + c exactly (Hida et al., Fig. 4)."""
    t1, t2 = two_sum(a, b)
    s, t3 = two_sum(c, t1)
    e1, e2 = two_sum(t2, t3)
    return s, e1, e2


@jit
def three_sum2(a, b, c):
    """(a, b, c) -> (s, e) with s + e = a + b + c up to one rounding in e."""
    t1, t2 = two_sum(a, b)
    s, t3 = two_sum(c, t1)
    return s, t2 + t3


@jit
def renorm5(c0, c1, c2, c3, c4):
    """Five overlapping words -> four non-overlapping ones (Hida et al., Alg. 7)."""
    s0, c4 = quick_two_sum(c3, c4)
    s0, c3 = quick_two_sum(c2, s0)
    s0, c2 = quick_two_sum(c1, s0)
    c0, c1 = quick_two_sum(c0, s0)
    s0, s1, s2, s3 = c0, c1, 0.0, 0.0
    if s1 != 0.0:
        s1, s2 = quick_two_sum(s1, c2)
        if s2 != 0.0:
            s2, s3 = quick_two_sum(s2, c3)
            if s3 != 0.0:
                s3 += c4
            else:
                s2 += c4
        else:
            s1, s2 = quick_two_sum(s1, c3)
            if s2 != 0.0:
                s2, s3 = quick_two_sum(s2, c4)
            else:
                s1, s2 = quick_two_sum(s1, c4)
    else:
        s0, s1 = quick_two_sum(s0, c2)
        if s1 != 0.0:
            s1, s2 = quick_two_sum(s1, c3)
            if s2 != 0.0:
                s2, s3 = quick_two_sum(s2, c4)
            else:
                s1, s2 = quick_two_sum(s1, c4)
        else:
            s0, s1 = quick_two_sum(s0, c3)
            if s1 != 0.0:
                s1, s2 = quick_two_sum(s1, c4)
            else:
                s0, s1 = quick_two_sum(s0, c4)
    return s0, s1, s2, s3
