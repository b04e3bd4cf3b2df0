"""Double-double and quad-double operations against mpmath at 300 bits, on random operands of random
sign and magnitude 2^-60 .. 2^60, plus the float64-like handling of infinities, zeros and underflow.

Tolerances, with u = 2^-53 (numerics/multiword/dd.py, qd.py, elementary.py state the bounds):
* double-double: sums normwise 3 u^2 (|a| + |b|) < 2^-104 (|a| + |b|); products, quotients and square
  roots relative 15 u^2 < 2^-102; exp, log1p relative 2^-100 (|a| + 1 ulp-scale terms through the
  argument reduction: the 2^-102 of the operations times the < 16 operations of the Horner sum and
  the doublings, which keep relative errors), log relative 2^-100 away from 1 (near x = 1 log is
  ill-conditioned: its absolute error is what is bounded there).
* quad-double: the same counts with 2^-53 K bits: 2^-204 for + - * / sqrt, 2^-200 for exp, log1p, log.
Full precision needs every word normal: results above 2^(-1022 + 53 (K - 1)), i.e. 1e-292 (K = 2) and
1e-260 (K = 4); below, the lower words are subnormal and the precision falls towards float64's, as the
float64 result itself does (exp is tested on [-550, 700] for that reason, and separately near underflow).
"""

import mpmath
import numpy as np
import pytest

pytest.importorskip("numba")

from numba import njit  # noqa: E402

from numerics import ops  # noqa: E402
from numerics.multiword import kernels  # noqa: E402,F401 -- registers the operations with numba
from numerics.multiword.words import WordArray  # noqa: E402

BITS = {2: (104, 102, 100), 4: (208, 204, 200)}  # K -> (sum, product-like, elementary) bounds as -log2
N = 400


@njit
def _apply(A, B, C, code):
    for i in range(len(A)):
        a, b = A[i], B[i]
        if code == 0:
            C[i] = a + b
        elif code == 1:
            C[i] = a - b
        elif code == 2:
            C[i] = a * b
        elif code == 3:
            C[i] = a / b
        elif code == 4:
            C[i] = ops.sqrt(abs(a))
        elif code == 5:
            C[i] = ops.exp(a)
        elif code == 6:
            C[i] = ops.log1p(abs(a))
        elif code == 7:
            C[i] = ops.log(abs(a))
        elif code == 8:
            C[i] = a ** 5
        elif code == 9:
            C[i] = a * 2.5 - 1.0 / b + max(a, b) - min(a, 0.5)


def _operands(K, rng, scale_bits=60):
    with mpmath.workprec(300):
        vals = [mpmath.mpf(rng.standard_normal()) * mpmath.mpf(2) ** int(rng.integers(-scale_bits, scale_bits))
                * (1 + mpmath.mpf(rng.standard_normal()) * mpmath.mpf(2) ** -70) for _ in range(N)]
    return WordArray.from_mpf(vals, K)


def _run(code, A, B):
    C = WordArray.zeros(len(A), A.K)
    _apply(A, B, C, code)
    return C.to_mpf()


EXACT = {0: lambda a, b: a + b, 1: lambda a, b: a - b, 2: lambda a, b: a * b, 3: lambda a, b: a / b,
         4: lambda a, b: mpmath.sqrt(abs(a)), 8: lambda a, b: a**5,
         9: lambda a, b: a * mpmath.mpf(2.5) - 1 / b + max(a, b) - min(a, mpmath.mpf(0.5))}


@pytest.mark.parametrize("K", [2, 4])
@pytest.mark.parametrize("code", [0, 1, 2, 3, 4, 8, 9])
def test_rational_operations_and_sqrt(K, code):
    rng = np.random.default_rng(code)
    A, B = _operands(K, rng), _operands(K, rng)
    got, a, b = _run(code, A, B), A.to_mpf(), B.to_mpf()
    sum_bits, prod_bits, _ = BITS[K]
    with mpmath.workprec(300):
        for x, y, z in zip(a, b, got):
            exact = EXACT[code](x, y)
            if code in (0, 1):
                bound = (abs(x) + abs(y)) * mpmath.mpf(2) ** -sum_bits
            elif code == 8:  # 5 products (repeated squaring), each relative 2^-prod_bits
                bound = 5 * abs(exact) * mpmath.mpf(2) ** -prod_bits
            elif code == 9:  # four operations on terms of the sizes below
                bound = 4 * (abs(x) * 2.5 + abs(1 / y) + abs(x) + abs(y) + 1) * mpmath.mpf(2) ** -prod_bits
            else:
                bound = abs(exact) * mpmath.mpf(2) ** -prod_bits
            assert abs(z - exact) <= bound, (x, y, z, exact)


@pytest.mark.parametrize("K", [2, 4])
def test_exp_log1p_log(K):
    rng = np.random.default_rng(7)
    with mpmath.workprec(300):
        xs = [mpmath.mpf(v) * (1 + mpmath.mpf(rng.standard_normal()) * mpmath.mpf(2) ** -70)
              for v in np.concatenate([rng.uniform(-550, 700, N // 2), rng.standard_normal(N // 2)])]
    A = WordArray.from_mpf(xs, K)
    a = A.to_mpf()
    el = mpmath.mpf(2) ** -BITS[K][2]
    with mpmath.workprec(300):
        for x, z in zip(a, _run(5, A, A)):
            # exp's condition number is |x|: an input known to its last word moves the output by |x| 2^-53K
            assert abs(z - mpmath.exp(x)) <= (1 + abs(x)) * el * mpmath.exp(x), x
        for x, z in zip(a, _run(6, A, A)):
            assert abs(z - mpmath.log1p(abs(x))) <= el * mpmath.log1p(abs(x)), x
        for x, z in zip(a, _run(7, A, A)):
            exact = mpmath.log(abs(x))
            assert abs(z - exact) <= el * max(abs(exact), 1), x


@pytest.mark.parametrize("K", [2, 4])
def test_exp_near_underflow_is_at_least_float64_accurate(K):
    xs = np.linspace(-745.0, -600.0, 50)
    got = _run(5, WordArray.from_float(xs, K), WordArray.from_float(xs, K))
    with mpmath.workprec(300):
        for x, z in zip(xs, got):
            exact = mpmath.exp(x)
            # float64's own error there: half an ulp of the result, at worst the subnormal spacing 2^-1074
            assert abs(z - exact) <= max(exact * 2.0**-52, mpmath.mpf(2) ** -1074), x


@pytest.mark.parametrize("K", [2, 4])
def test_float64_like_special_values(K):
    """-inf log-scales, exp underflow and overflow, 0/0 and sqrt(0) behave as in float64 (or as the
    optimizers' log-domain code needs): no nan leaks into a lower word."""

    @njit
    def probe(A, out):
        ninf, x, zero, big = A[0], A[1], A[2], A[3]
        out[0] = ninf + x  # -inf
        out[1] = max(ninf + 0.5, x)  # x
        out[2] = ops.exp(ninf - x)  # 0
        out[3] = ops.exp(x * 0.0 - 1000.0)  # 0 (underflow)
        out[4] = ops.exp(big)  # inf
        out[5] = ops.safe_div(zero, ops.sqrt(zero))  # 0/0 := 0
        out[6] = ops.log1p(ops.exp(-ops.absolute(x * 0.0 - 800.0)))  # log1p(0) = 0
        out[7] = x if x > ninf else ninf  # comparison with -inf

    A = WordArray.from_float([-np.inf, 1.25, 0.0, 800.0], K)
    out = WordArray.zeros(8, K)
    probe(A, out)
    w = out.words
    assert w[0, 0] == -np.inf and np.all(w[0, 1:] == 0)
    assert w[1, 0] == 1.25 and np.all(w[1, 1:] == 0)
    assert np.all(w[2] == 0) and np.all(w[3] == 0)
    assert w[4, 0] == np.inf and np.all(w[4, 1:] == 0)
    assert np.all(w[5] == 0) and np.all(w[6] == 0)
    assert w[7, 0] == 1.25


@pytest.mark.parametrize("K", [2, 4])
def test_word_array_round_trip(K):
    with mpmath.workprec(300):
        vals = [mpmath.pi * 10**k for k in (-250, -5, 0, 7, 300)]  # every word normal (module docstring)
        back = WordArray.from_mpf(vals, K).to_mpf()
        for v, b in zip(vals, back):
            assert abs(b - v) <= abs(v) * mpmath.mpf(2) ** -(53 * K)  # rounding to K words, exactly summed back
    assert np.array_equal(WordArray.from_float([1.5, -2.0], K).to_float(), [1.5, -2.0])
