"""theory.fixed_point: T(c) = lambda*(c)/||lambda*(c)||_1 (Thm 4.8) and exact fixed-point verification."""

import pytest
import sympy as sp

from theory import TheoryError
from theory.fixed_point import FIXED_POINT, T_map, verify_fixed_point
from theory.kkt import l2_max_margin_exact
from theory.report import PRIMAL_FEASIBILITY, STRICT_INACTIVITY

R = sp.Rational
a, delta = sp.symbols("a delta", positive=True)
GR = [[1, 1, 1], [2, -2, 2], [3, 3, -3]]
SD = [[2, 1, 1], [1, 3, 1], [1, 1, 4]]          # shifted diagonal a = (1, 2, 3), b = 1


def test_gr_fixed_point_is_normalised_l2_dual():
    c = [R(21, 25), R(3, 25), R(1, 25)]
    v = verify_fixed_point(GR, c)
    assert v.ok and v.is_fixed_point is True and list(v.residual) == [0, 0, 0]
    assert v.direction == l2_max_margin_exact(GR).direction


def test_wrong_c_is_not_a_fixed_point():
    v = verify_fixed_point(GR, [1, 1, 1])
    assert v.is_fixed_point is False and v.failed == (FIXED_POINT,)
    assert list(v.residual) == [R(38, 75), R(-16, 75), R(-22, 75)]


def test_shifted_diagonal_e0_fixed_e1_not():
    assert verify_fixed_point(SD, [1, 0, 0]).is_fixed_point is True
    v = verify_fixed_point(SD, [0, 1, 0])
    assert v.is_fixed_point is False
    assert PRIMAL_FEASIBILITY in v.failed and FIXED_POINT in v.failed   # supp(c) is not the support of P(c)


def test_T_map_closed_finds_support_and_is_on_simplex():
    m = T_map(SD, [1, 1, 1])
    assert m.support == (0, 1, 2)
    assert sp.simplify(sum(m.T) - 1) == 0 and all(sp.N(t) > 0 for t in m.T)
    assert not verify_fixed_point(SD, [1, 1, 1]).is_fixed_point


def test_zero_homogeneity():
    """T(tc) = T(c): c may be given up to scale (D(tc) = t D(c))."""
    assert verify_fixed_point(GR, [21, 3, 1]).is_fixed_point is True
    assert T_map(SD, [1, 2, 3]).T == T_map(SD, [2, 4, 6]).T


def test_symbolic_family_several_fixed_points():
    X = sp.Matrix([[a + delta, a], [a, a + delta]])
    sym = verify_fixed_point(X, [R(1, 2), R(1, 2)])
    assert sym.is_fixed_point is True and sym.ok
    bad = verify_fixed_point(X, [R(1, 3), R(2, 3)])
    assert bad.is_fixed_point is False and FIXED_POINT in bad.failed   # refuted at an admissible sample point
    # e_0 is a degenerate fixed point: x_1 active with zero multiplier (condition (M) holds with equality)
    e0 = verify_fixed_point(X, [1, 0])
    assert e0.is_fixed_point is True and e0.failed == (STRICT_INACTIVITY,)


def test_symbolic_needs_support():
    with pytest.raises(TheoryError, match="support"):
        T_map(sp.Matrix([[a, 1], [1, a]]), [R(1, 2), R(1, 2)])


def test_licq_failure_reported():
    v = verify_fixed_point([[1, 1], [2, 2], [1, 0]], [R(1, 2), R(1, 2), 0])
    assert v.is_fixed_point is False and v.failed == ("LICQ",)


def test_zero_c_rejected():
    with pytest.raises(TheoryError, match="nonzero"):
        verify_fixed_point(SD, [0, 0, 0])
