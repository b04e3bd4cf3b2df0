"""theory.fixed_point: T(c) = lambda*(c)/||lambda*(c)||_1 (Thm 4.8) and exact fixed-point verification."""

import pytest
import sympy as sp

from theory import LICQError, SizeGuardError, TheoryError
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
    # e_0 is a degenerate fixed point: x_1 active with zero multiplier (condition (M) holds with equality);
    # one notion of success: it is a fixed point (ok, verdict proved), and nondegeneracy is a separate verdict
    e0 = verify_fixed_point(X, [1, 0])
    assert e0.is_fixed_point is True and e0.ok and e0.verdict.proved and e0.failed == ()
    assert e0.nondegenerate.refuted and e0.nondegeneracy.failed == (STRICT_INACTIVITY,)


def test_symbolic_needs_support():
    with pytest.raises(TheoryError, match="support"):
        T_map(sp.Matrix([[a, 1], [1, a]]), [R(1, 2), R(1, 2)])


def test_licq_failure_reported():
    """Dependent support vectors: the multipliers are not unique, T(c) is undefined -- undecided, not refuted."""
    v = verify_fixed_point([[1, 1], [2, 2], [1, 0]], [R(1, 2), R(1, 2), 0])
    assert v.is_fixed_point is None and v.verdict.status == "undecided" and "LICQ" in v.verdict.reason
    assert v.failed == ("LICQ",) and not v.ok
    with pytest.raises(LICQError) as err:                    # the solver raises the typed error
        T_map([[1, 1], [2, 2], [1, 0]], [R(1, 2), R(1, 2), 0], (0, 1))
    assert err.value.support == (0, 1)


def test_normalisation_is_exact():
    """c0 = 1 + (sqrt(10^32 + 1) - 10^16) is not 1: no nearby rational may replace it (the old nsimplify did)."""
    c0 = 1 + (sp.sqrt(10**32 + 1) - 10**16)
    m = T_map(SD, [c0, 1, 1])
    assert sp.simplify(m.c[0] * (c0 + 2) - c0) == 0 and m.c[0] != R(1, 3)
    assert abs(sp.N(m.c[0] - R(1, 3), 60)) > 1e-18


def test_cost_guard_on_distinct_radicals():
    """Cost = distinct radicals of D(c) x |S|; a guard with an estimate instead of a minute-long solve."""
    X = [[3, 1, 2, 1], [1, 4, -1, 2], [2, -1, 5, 1]]       # D(c) = (7/6, sqrt(149)/6, 5 sqrt(2)/6, sqrt(41)/6)
    with pytest.raises(SizeGuardError, match=r"distinct radicals \(3\) x system size \(3\).*estimated") as err:
        verify_fixed_point(X, [R(1, 3), R(1, 2), R(1, 6)], max_cost=8)
    assert err.value.cost == 9
    assert verify_fixed_point(X, [1, 0, 0], max_cost=8).map is not None      # D(e_0) is rational: cost 0


def test_zero_c_rejected():
    with pytest.raises(TheoryError, match="nonzero"):
        verify_fixed_point(SD, [0, 0, 0])


# --- agreement with numerics.fixed_point (tolerance: see tests/theory/_agreement.py) -------------------------

import numpy as np  # noqa: E402

from numerics.datasets import gaussian  # noqa: E402
from numerics.fixed_point import adam_proxy_fixed_point, algorithm3, fixed_point_map  # noqa: E402

from theory import rationalize  # noqa: E402

from ._agreement import TOL, exact_and_float, rel_err, to_float  # noqa: E402


def test_T_map_agrees_with_numerics_at_rational_c():
    Xq, Xf = exact_and_float(gaussian(N=4, d=5, seed=3).X, 100)
    c = [R(1, 8), R(3, 8), R(1, 4), R(1, 4)]
    T_num, res = fixed_point_map(Xf, np.array([float(v) for v in c]))
    m = T_map(Xq, c)
    assert m.support == res.support and rel_err(to_float(m.T), T_num) < TOL


def test_numerics_fixed_point_is_an_exact_near_fixed_point():
    """The 50-digit Newton fixed point of numerics, rounded to rationals (denominator 1e12), is a fixed point of
    the exact T up to the rounding: ||T(c_q) - c_q|| ~ Lip(T) * 1e-12, far below the O(1) residual of a wrong c."""
    Xq, Xf = exact_and_float(gaussian(N=4, d=3, seed=5, mean=0.5).X, 100)
    fp = adam_proxy_fixed_point(Xf, dps=50)
    cq = rationalize(np.array([float(v) for v in fp.c]), 10**12)
    m = T_map(Xq, list(cq), fp.support)
    assert m.solution.verify().ok                       # the exact KKT system holds on numerics' support
    assert rel_err(to_float(cq), to_float(m.T)) < 1e-9
    assert rel_err(to_float(m.direction), fp.direction_float) < TOL
    wrong = T_map(Xq, [R(1, 4)] * 4)
    assert rel_err(to_float(wrong.c), to_float(wrong.T)) > 1e-2   # negative control


def test_algorithm3_on_shifted_diagonal_finds_exact_e0():
    X = sp.Matrix(SD)
    r = algorithm3(np.array(X.tolist(), dtype=float))
    assert r.support == (0,) and np.max(np.abs(r.c - [1, 0, 0])) < TOL
    assert verify_fixed_point(X, [1, 0, 0]).is_fixed_point is True


def test_algorithm3_on_gr_finds_exact_c_star():
    r = algorithm3(np.array(GR, dtype=float))
    assert np.max(np.abs(r.c - np.array([21, 3, 1]) / 25)) < TOL
