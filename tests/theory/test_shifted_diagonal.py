"""theory.shifted_diagonal: Ex. 4.11 family, the l_inf mechanism (M), the l2 solution for comparison."""

import pytest
import sympy as sp

from theory import TheoryError, verify_fixed_point
from theory.kkt import l2_max_margin_exact
from theory.linf_lp import linf_max_margin_exact
from theory.shifted_diagonal import (l2_all_support_closed_form, linf_closed_form, linf_mechanism, mechanism_margins,
                                     shifted_diagonal, shifted_diagonal_symbols, verify_l2_closed_form,
                                     verify_l2_not_linf)

R = sp.Rational


@pytest.mark.parametrize("N,d", [(N, N) for N in range(2, 7)] + [(2, 5), (3, 4), (4, 7)])
def test_mechanism_symbolic(N, d):
    """(M) holds for i* = 0, w_inf = 1/(a_0 + d b) 1 is certified, e_0 is a fixed point with w*(e_0) = w_inf."""
    X, a, b = shifted_diagonal_symbols(N, d)
    cert = linf_mechanism(X, 0)
    assert cert.holds, (cert.condition.summary(), cert.linf.summary(), cert.fixed_point.report.summary())
    assert all(sp.simplify(u - v) == 0 for u, v in zip(cert.w_inf, linf_closed_form(a[0], b, d)))
    margins = dict(mechanism_margins(X, 0))
    assert all(sp.simplify(margins[j] - (a[j] - a[0])) == 0 for j in range(1, N))   # (M) reads a_j > a_0


def test_mechanism_fails_when_a0_not_smallest():
    X = shifted_diagonal([3, 2, 4], 1)
    cert = linf_mechanism(X, 0)
    assert not cert.holds
    assert cert.condition.failed == ("(M)",) and cert.condition["(M)"].violations[0][0] == 1
    assert "primal feasibility" in cert.linf.failed and cert.fixed_point.is_fixed_point is False
    assert linf_mechanism(X, 1).holds                # the smallest a_i is the mechanism's sample


def test_rational_instance_matches_exact_lp_and_fixed_point():
    a, b, d = [1, 2, 3, 4], R(1, 2), 6
    X = shifted_diagonal(a, b, d)
    lp = linf_max_margin_exact(X)
    assert lp.value == 1 / (a[0] + d * b) and list(lp.w) == list(linf_closed_form(a[0], b, d))
    assert verify_fixed_point(X, [1, 0, 0, 0]).is_fixed_point is True


def test_reference_numbers_for_l2():
    """Reference figures: a = (1, 2, 3, 4), b = 0.5, d = N = 4: w_2 ~ (0.815, 0.408, 0.291, 0.291),
    cos(w_2, w_inf) = 0.90."""
    X = shifted_diagonal([1, 2, 3, 4], R(1, 2))
    l2 = l2_max_margin_exact(X)
    u = [float(v) for v in l2.direction]
    assert max(abs(p - q) for p, q in zip(u, [0.815, 0.408, 0.291, 0.291])) < 1e-3
    assert abs(sum(u) / 2 - 0.90) < 5e-3
    assert l2.support == (0, 1)                     # samples 2, 3 inactive: the all-support formula does not apply
    _, _, valid = l2_all_support_closed_form([1, 2, 3, 4], R(1, 2))
    assert [v > 0 for v in valid] == [True, True, False, False]


@pytest.mark.parametrize("N", [2, 3, 4, 6])
def test_l2_closed_form_symbolic(N):
    assert verify_l2_closed_form(N).ok


def test_l2_closed_form_matches_exact_solver_when_valid():
    a, b = [2, 3, 4], R(1, 3)
    w, lam, valid = l2_all_support_closed_form(a, b)
    assert all(v > 0 for v in valid)
    l2 = l2_max_margin_exact(shifted_diagonal(a, b))
    assert l2.w == w and l2.lam == lam


@pytest.mark.parametrize("N,d", [(2, 2), (4, 4), (3, 6)])
def test_l2_never_linf(N, d):
    assert verify_l2_not_linf(N, d).ok


def test_family_validation():
    with pytest.raises(TheoryError, match="d >= N"):
        shifted_diagonal([1, 2, 3], 1, d=2)
    with pytest.raises(TheoryError, match="sign"):
        mechanism_margins(sp.Matrix([[sp.Symbol("u"), 1], [1, 2]]), 0)


# --- agreement with numerics (datasets.shifted_diagonal, maxmargin, fixed_point; see _agreement.py) ----------

import numpy as np  # noqa: E402

from numerics import datasets  # noqa: E402
from numerics.fixed_point import adam_proxy_fixed_point, algorithm3  # noqa: E402
from numerics.maxmargin import l2_max_margin, linf_max_margin  # noqa: E402

from ._agreement import TOL, rel_err, to_float  # noqa: E402


@pytest.mark.parametrize("a,b,d", [((1, 2, 3, 4), R(1, 2), None), ((1, 2, 3), R(1, 4), 5),
                                   ((R(1, 2), 1, R(3, 2), 2, R(5, 2)), 1, None)])
def test_shifted_diagonal_agrees_with_numerics(a, b, d):
    X = shifted_diagonal(a, b, d)
    Xf = datasets.shifted_diagonal(a=tuple(float(v) for v in a), b=float(b), d=d).X
    assert np.array_equal(Xf, np.array(X.tolist(), dtype=float))
    D = X.cols
    # l_inf: margin a_0 + d b, attained by 1
    assert abs(linf_max_margin(Xf).margin - float(a[0] + D * b)) < TOL * float(a[0] + D * b)
    # Thm 4.8 fixed point: numerics' Algorithm 3 (from uniform c) and Newton land on the exact e_0
    alg, newton = algorithm3(Xf), adam_proxy_fixed_point(Xf, dps=30)
    assert alg.support == newton.support == (0,) and abs(alg.c[0] - 1) < TOL
    assert rel_err(to_float(linf_closed_form(a[0], b, D)) / float(sp.sqrt(D) / (a[0] + D * b)),
                   newton.direction_float) < TOL
    # l2 for comparison: exact vs numerics
    l2 = l2_max_margin_exact(X)
    num = l2_max_margin(Xf)
    assert l2.support == num.support and rel_err(to_float(l2.w), num.w) < TOL
