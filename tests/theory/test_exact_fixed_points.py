"""theory.exact_fixed_points: every fixed point of T (Thm 4.8) of small rational data, exact and certified.

Agreement with numerics at 40 digits: numerics' support-restricted KKT function (numerics.fixed_point.kkt_function)
solved by mpmath Newton at 60 digits from numerics' own float64 fixed point; the exact coordinates are evaluated
at 50 digits.  Both sides see the very same data (binary floats taken exactly, or dyadic rationals).
"""

import time

import mpmath
import numpy as np
import pytest
import sympy as sp

from numerics.fixed_point import find_fixed_points, fixed_point_map, kkt_function
from theory import SizeGuardError, TheoryError, rationalize
from theory.algebraic import FieldElement
from theory.exact_fixed_points import all_fixed_points, certify_candidate, fixed_points_on_support
from theory.generalized_rademacher import gr_fixed_point
from theory.report import PRIMAL_FEASIBILITY, STRICT_INACTIVITY
from theory.support_system import support_system

R = sp.Rational
X3 = [[3, 1, -1], [1, 2, 1], [-1, 1, 4]]                       # a 3-point rational example whose fixed point is a quartic root
MULTI = np.random.default_rng(817299556).standard_normal((2, 3))   # tests/numerics/fixed_point/test_robust.py
# dyadic 3 x 3 sets found by numerics' multistart (np.round(8 * standard_normal) / 8, seeds 63 and 316)
D63 = [[0.75, 2.375, -1.625], [-0.125, 1.25, 1.125], [1.375, 0.25, 1.25]]
D316 = [[-2.625, 0.625, -2.0], [-0.125, 1.25, 0.375], [0.125, 0.125, -1.125]]


@pytest.fixture(scope="module")
def cat3():
    t0 = time.perf_counter()
    cat = all_fixed_points(X3)
    return cat, time.perf_counter() - t0


@pytest.fixture(scope="module")
def cat_multi():
    return all_fixed_points(rationalize(MULTI, None))


def _newton(Xf, support, c_float, dps=60):
    """numerics' fixed-point system F(lambda) = 0 on ``support``, Newton at ``dps`` digits from a float64 c."""
    S = list(support)
    lam0 = fixed_point_map(Xf, c_float)[1].dual[S]
    with mpmath.workdps(dps):
        XS = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in Xf[S]])
        F, J = kkt_function(XS)
        lam = mpmath.findroot(F, [mpmath.mpf(float(v)) for v in lam0], J=J, solver="mdnewton",
                              tol=mpmath.mpf(10)**(-2 * dps + 10), maxsteps=80)
        lam = [lam[i] for i in range(len(S))]
        c = [mpmath.mpf(0)] * Xf.shape[0]
        for i, v in zip(S, lam):
            c[i] = v / mpmath.fsum(lam)
        return c


def _agree_40_digits(point, Xf, c_float):
    c_num = _newton(Xf, point.support, c_float)
    c_ex = point.c_evalf(50)
    with mpmath.workdps(60):
        return max(abs(mpmath.mpf(str(a)) - b) for a, b in zip(c_ex, c_num)) < mpmath.mpf(10)**-40


def test_three_point_example_exact_and_fast(cat3):
    """The 3-point dataset: the only fixed point has support {0, 2}; c_0 is the root near 0.5914 of the quartic
    obtained by hand; every support solved (the verdict is a proof of uniqueness) in well under 10 s."""
    cat, seconds = cat3
    assert cat.verdict.proved and cat.count == 1 and cat.unique
    p = cat.points[0]
    assert p.support == (0, 2) and p.ok and p.nondegenerate.proved
    x = sp.Symbol("x")
    assert p.c[0] == sp.CRootOf(1898 * x**4 - 882 * x**3 - 1839 * x**2 + 760 * x + 144, 2)
    assert abs(p.c_evalf(20)[0] - sp.Float("0.59141019387136562912", 20)) < 1e-19 and p.c[1] == 0
    assert seconds < 10, seconds


def test_three_point_example_agrees_with_numerics(cat3):
    Xf = np.array(X3, float)
    p = cat3[0].points[0]
    res = find_fixed_points(Xf, starts=4, seed=0)
    assert res.unique and np.abs(res.points[0].c - [float(v) for v in p.c_evalf(20)]).sum() < 1e-8
    assert _agree_40_digits(p, Xf, res.points[0].c)
    u = np.array([float(v) for v in p.direction_evalf(20)])
    assert np.abs(u - res.points[0].solution.direction).max() < 1e-8


def test_seeded_gaussian_set_has_exactly_three_fixed_points(cat_multi):
    """test_robust.py's MULTI (N = 2, d = 3), with the float64 entries taken exactly: exactly three fixed points,
    the ones numerics' multistart finds (e_1, a repelling interior one, an attracting one near e_0)."""
    cat = cat_multi
    assert cat.verdict.proved and cat.count == 3 and cat.unique is False
    ex = sorted(tuple(float(v) for v in p.c_evalf(20)) for p in cat.points)
    num = sorted(tuple(p.c) for p in find_fixed_points(MULTI, starts=6, seed=0).points)
    assert np.abs(np.array(ex) - np.array(num)).max() < 1e-8
    for p in cat.points:
        match = min(num, key=lambda c: np.abs(np.array(c) - [float(v) for v in p.c_evalf(20)]).sum())
        assert _agree_40_digits(p, MULTI, np.array(match))


@pytest.mark.parametrize("data,expected_numerics", [(D63, 3), (D316, 2)])
def test_dyadic_three_point_sets_with_three_fixed_points(data, expected_numerics):
    """Three fixed points with N = 3.  On D316 numerics' multistart (50 starts) finds only two; the exact
    enumeration finds a third, repelling one (interior), and numerics' own Newton confirms it to 40 digits."""
    Xf = np.array(data)
    cat = all_fixed_points(rationalize(Xf, None))
    assert cat.verdict.proved and cat.count == 3 and all(p.nondegenerate.proved for p in cat.points)
    res = find_fixed_points(Xf, starts=50 if expected_numerics == 2 else 6, seed=1)
    assert len(res.points) == expected_numerics
    for p in cat.points:
        c_float = np.array([float(v) for v in p.c_evalf(20)])
        assert np.abs(fixed_point_map(Xf, c_float)[0] - c_float).sum() < 1e-9     # numerics' T agrees
        assert _agree_40_digits(p, Xf, c_float)


def test_negative_control_wrong_point_same_field(cat3):
    """c_2/c_0 moved by 10^-6 inside Q(theta): the same certificate refutes the polynomial system."""
    p = cat3[0].points[0]
    coords = dict(p.coordinates)
    t1 = p.system.t[0]
    coords[t1] = coords[t1] + R(1, 10**6)
    report, _, _, _ = certify_candidate(p.system, p.root, coords)
    assert report.failed == ("polynomial system",) and not report.ok


def test_negative_control_wrong_support(cat3):
    """The fixed point claimed with full support {0, 1, 2} (c_1 = 0): positive multipliers fail; and the full
    support, the generic guess, carries no fixed point at all."""
    p = cat3[0].points[0]
    full = fixed_points_on_support(X3, (0, 1, 2))
    assert full.points == () and full.verdict.proved and dict(full.rejected)["radicals positive"] >= 1
    coords = {full_t: v for full_t, v in zip(
        [sp.Symbol("t1"), sp.Symbol("t2")], [FieldElement.of(p.root, 0), dict(p.coordinates)[p.system.t[0]]])}
    coords.update({s: v for s, v in p.coordinates if s in p.system.s})
    report, _, _, _ = certify_candidate(support_system(sp.Matrix(X3), (0, 1, 2)), p.root, coords)
    assert "positive multipliers" in report.failed


def test_wrong_support_rejections_name_the_reason(cat3):
    """Per support, every real root of the eliminant is accounted for: certified, or rejected with a reason."""
    res = {r.support: r for r in cat3[0].supports}
    assert dict(res[(0,)].rejected) == {PRIMAL_FEASIBILITY: 1}          # e_0: P(e_0) has a larger support
    assert res[(0, 2)].radicals == 3 and len(res[(0, 2)].points) == 1


def test_degenerate_fixed_points_listed_and_flagged():
    """x_0 = (2, 1), x_1 = (1, 2): (1/2, 1/2) and the two vertices; at e_i the other constraint is active with
    multiplier 0 (degenerate, still a fixed point since LICQ holds on the active set)."""
    cat = all_fixed_points([[2, 1], [1, 2]])
    assert cat.count == 3
    by_c = {tuple(p.c): p for p in cat.points}
    assert set(by_c) == {(1, 0), (0, 1), (R(1, 2), R(1, 2))}
    assert by_c[(R(1, 2), R(1, 2))].nondegenerate.proved
    assert by_c[(1, 0)].ok and by_c[(1, 0)].nondegeneracy.failed == (STRICT_INACTIVITY,)


def test_gr_data_unique_fixed_point_is_normalised_l2_dual():
    X = [[1, 1, 1], [2, -2, 2], [3, 3, -3]]
    cat = all_fixed_points(X)
    ver, _, _ = gr_fixed_point(X)
    assert cat.count == 1 and list(cat.points[0].c) == list(ver.map.c)       # Ex. 4.9, found by enumeration
    assert cat.supports[-1].radicals == 1                                     # one radical for every column


def test_guards_and_data_errors():
    with pytest.raises(SizeGuardError, match="number of samples"):
        all_fixed_points([[1, 2], [2, 1], [1, 3], [3, 1], [2, 3]])
    X4 = [[3, 1, 2, 1], [1, 4, -1, 2], [2, -1, 5, 1]]
    with pytest.raises(SizeGuardError, match=r"distinct radicals \(4\) x system size \(3\).*150 s"):
        fixed_points_on_support(X4, (0, 1, 2))
    cat = all_fixed_points(X3, max_cost=5)          # the vertices are solved; the verdict says what is open
    assert [r.status for r in cat.supports[:3]] == ["solved"] * 3
    assert cat.verdict.status == "undecided" and "size guard" in cat.verdict.reason and cat.count is None
    with pytest.raises(TheoryError, match="rational"):
        all_fixed_points([[sp.sqrt(2), 1], [1, 2]])


def test_zero_entries_exclude_only_the_supports_where_D_is_singular():
    """X = [[2,1,0,1],[1,3,-1,0],[0,-1,2,3]] has zeros, but D(c) > 0 on the support {1, 2} of its fixed point (which
    numerics finds, LICQ holding): that point is found and certified; each single-point support is excluded with
    the coordinate where its row is 0; the full support exceeds the size guard, so completeness stays open."""
    from theory.exact_fixed_points import SINGULAR

    X = [[2, 1, 0, 1], [1, 3, -1, 0], [0, -1, 2, 3]]
    cat = all_fixed_points(X)
    status = {r.support: r.status for r in cat.supports}
    assert status[(0,)] == f"{SINGULAR}: D(c) = 0 at coordinates [2] (every row of X_S is 0 there)"
    assert status[(1,)].endswith("coordinates [3] (every row of X_S is 0 there)")
    assert status[(2,)].endswith("coordinates [0] (every row of X_S is 0 there)")
    (fp,) = cat.points
    assert fp.support == (1, 2) and fp.report.ok and fp.c[0] == 0
    import numpy as np

    from numerics.limits import predict_limits

    num = predict_limits(np.array(X, float), precision=None).adam_proxy
    # numerics stops Algorithm 3 at |c^(k+1) - c^(k)|_1 < 1e-9; contracting at rate r ~ 0.53 per step, the rest of
    # the way is <= step r / (1 - r) ~ 1.1e-9 (measured 7e-10): 1e-8 leaves a factor 9
    assert num.support == (1, 2) and np.abs(np.array([float(v) for v in fp.c]) - num.c).sum() < 1e-8
    assert cat.verdict.status == "undecided" and "size guard" in cat.verdict.reason
    # a support that is singular everywhere else still counts as decided: [[1, 0], [1, 2]]
    small = all_fixed_points([[1, 0], [1, 2]])
    assert small.supports[0].status.startswith(SINGULAR) and small.verdict.proved
    assert "D(c) is singular there" in small.verdict.reason
