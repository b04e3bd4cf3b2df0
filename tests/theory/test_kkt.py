"""theory.kkt: KKT systems of the l2 problem and of P(c) (Def. 4.6), exact solutions and verify_kkt."""

import pytest
import sympy as sp

from theory import TheoryError
from theory.kkt import (D_diag, l2_kkt, l2_max_margin_exact, mahalanobis_kkt, mahalanobis_max_margin_exact,
                        quadratic_max_margin_exact, verify_kkt)
from theory.report import COMPLEMENTARITY, DUAL_SIGN, PRIMAL_FEASIBILITY, STATIONARITY, STRICT_INACTIVITY

R = sp.Rational
a, delta = sp.symbols("a delta", positive=True)


def test_l2_exact_known_answer():
    sol = l2_max_margin_exact([[1, 0], [0, 1], [2, 1]])
    assert sol.support == (0, 1)
    assert list(sol.w) == [1, 1] and list(sol.lam) == [1, 1, 0]
    assert sol.margin == 1 / sp.sqrt(2) and sol.direction == sp.Matrix([1, 1]) / sp.sqrt(2)
    rep = sol.verify()
    assert rep.ok and [c.name for c in rep.conditions] == [STATIONARITY, PRIMAL_FEASIBILITY, STRICT_INACTIVITY,
                                                            DUAL_SIGN, COMPLEMENTARITY]


def test_support_too_large_fails_dual_sign_only():
    X = [[1, 0, 0], [0, 1, 0], [1, 1, 1]]          # true support {0, 1}; x_2 has slack 1
    assert l2_max_margin_exact(X).support == (0, 1)
    wrong = l2_kkt(X, [0, 1, 2])
    assert wrong.lam[2] == -1
    rep = wrong.verify()
    assert rep.failed == (DUAL_SIGN,) and rep[DUAL_SIGN].violations == ((2, -1),)


def test_support_too_small_fails_primal_feasibility():
    rep = l2_kkt([[1, 0], [0, 1]], [0]).verify()
    assert PRIMAL_FEASIBILITY in rep.failed and rep[PRIMAL_FEASIBILITY].violations[0][0] == 1
    assert DUAL_SIGN not in rep.failed and STATIONARITY not in rep.failed


def test_user_candidate_wrong_w_fails_stationarity():
    rep = verify_kkt([[1, 0], [0, 1], [2, 1]], [2, 2], [1, 1, 0])
    assert STATIONARITY in rep.failed and COMPLEMENTARITY in rep.failed


def test_licq_violation_raises():
    with pytest.raises(TheoryError, match="LICQ"):
        l2_kkt([[1, 1], [2, 2], [1, 0]], [0, 1])
    with pytest.raises(TheoryError, match="non-empty subset"):
        l2_kkt([[1, 1]], [3])


def test_degenerate_problem_passes_plain_kkt_only():
    X = [[1, 0], [0, 1], [R(1, 2), R(1, 2)]]       # three active constraints in R^2 at w = (1, 1)
    sol = l2_max_margin_exact(X)
    assert list(sol.w) == [1, 1]
    assert sol.verify(strict=False).ok and not sol.verify(strict=True).ok


def test_D_diag_definition():
    X = [[1, -2], [3, 1]]
    assert list(D_diag(X, [R(1, 2), R(1, 2)])) == [sp.sqrt(10) / 2, sp.sqrt(5) / 2]
    c0, c1 = sp.symbols("c0 c1", nonnegative=True)
    assert sp.expand(D_diag(X, [c0, c1])[0]**2) == c0**2 + 9 * c1**2


def test_mahalanobis_exact_closed_algebraic():
    X = [[1, 2], [3, 1], [2, 2]]
    sol = mahalanobis_max_margin_exact(X, [R(1, 2), R(1, 2), 0])
    assert sol.support == (0, 1) and list(sol.w) == [R(1, 5), R(2, 5)]
    assert (sol.lam[0] - (6 * sp.sqrt(5) - sp.sqrt(10)) / 50).equals(0)
    assert sol.verify().ok


def test_mahalanobis_symbolic_family():
    X = sp.Matrix([[a + delta, a], [a, a + delta]])
    sol = mahalanobis_kkt(X, [R(1, 2), R(1, 2)], [0, 1])
    assert all(sp.simplify(v - 1 / (2 * a + delta)) == 0 for v in sol.w)
    assert sol.verify().ok


def test_mahalanobis_scale_invariance_of_c():
    """w*(tc) = w*(c) and lambda*(tc) = t lambda*(c): T is 0-homogeneous (fixed_point module note)."""
    X = [[1, 2], [3, 1], [2, 2]]
    s1 = mahalanobis_kkt(X, [1, 1, 0], [0, 1])
    s2 = mahalanobis_kkt(X, [3, 3, 0], [0, 1])
    assert s1.w == s2.w and all(sp.simplify(3 * u - v) == 0 for u, v in zip(s1.lam, s2.lam))


def test_guards():
    with pytest.raises(TheoryError, match="max_size"):
        quadratic_max_margin_exact([[1, 0]] * 5, [1, 1], max_size=4)
    with pytest.raises(TheoryError, match="support"):
        l2_max_margin_exact(sp.Matrix([[a, 1], [1, a]]))
    with pytest.raises(TheoryError, match="max_size"):
        l2_kkt(sp.eye(3), [0, 1, 2], max_size=2)


def test_non_separable_data_rejected():
    with pytest.raises(TheoryError, match="separable"):
        l2_max_margin_exact([[1, 0], [-1, 0]])


# --- agreement with numerics.maxmargin (tolerance: see tests/theory/_agreement.py) ---------------------------

import numpy as np  # noqa: E402

from numerics.datasets import gaussian  # noqa: E402
from numerics.maxmargin import l2_max_margin, mahalanobis_max_margin  # noqa: E402

from ._agreement import TOL, exact_and_float, rel_err, to_float  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_l2_exact_agrees_with_numerics(seed):
    Xq, Xf = exact_and_float(gaussian(N=5, d=7, seed=seed).X)
    ex, num = l2_max_margin_exact(Xq), l2_max_margin(Xf)
    assert ex.verify().ok and ex.support == num.support
    assert rel_err(to_float(ex.w), num.w) < TOL and rel_err(to_float(ex.lam), num.dual) < TOL
    assert abs(float(ex.margin) - num.margin) < TOL * num.margin


def test_mahalanobis_exact_agrees_with_numerics():
    Xq, Xf = exact_and_float(gaussian(N=4, d=5, seed=3).X, 100)
    c = [R(1, 8), R(3, 8), R(1, 4), R(1, 4)]
    ex, num = mahalanobis_max_margin_exact(Xq, c), mahalanobis_max_margin(Xf, np.array([float(v) for v in c]))
    assert ex.verify().ok and ex.support == num.support
    assert rel_err(to_float(D_diag(Xq, c)), num.metric) < 1e-14
    assert rel_err(to_float(ex.w), num.w) < TOL and rel_err(to_float(ex.lam), num.dual) < TOL


def test_results_simplified_after_placeholders_go_back():
    """Shifted-diagonal variant x_0 = (a + b, b, b): w*(e_0) = 1/(a + 3b) 1, not an unsimplified quotient."""
    b, dl = sp.symbols("b delta", positive=True)
    X = sp.Matrix([[a + b, b, b], [b, a + dl + b, b], [b, b, a + 2 * dl + b]])
    sol = mahalanobis_kkt(X, [1, 0, 0], [0])
    assert list(sol.w) == [1 / (a + 3 * b)] * 3
