"""Certified Thm 4.8 fixed point (Krawczyk in Arb ball arithmetic): proofs, enclosures and negative controls."""

import json
import time

import flint
import mpmath
import numpy as np
import pytest

from numerics.fixed_point import adam_proxy_fixed_point, algorithm3, kkt_function
from numerics.fixed_point.certify import Certificate, certify_fixed_point
from numerics.fixed_point.krawczyk import ExactSupport, dyadic_mids, enclosure_row_bounds, jacobian_row_bounds
from numerics.fixed_point.robust import support_system
from numerics.fixed_point.robust import newton_fixed_point
from numerics.maxmargin import l2_max_margin

GAUSS = np.random.default_rng(0).standard_normal((10, 50))
_rng = np.random.default_rng(1)
GR = _rng.uniform(0.5, 2.0, 4)[:, None] * np.hstack([np.ones((4, 1)), _rng.choice([-1.0, 1.0], (4, 5))])  # Def. 3.1
SHIFTED = np.diag([1.0, 2.0, 3.0, 4.0]) + 0.5  # x_i = a_i e_i + 0.5 * 1 (Ex. 4.11, docs/math.md §5)
DEGENERATE = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])  # 3 support vectors in R^2: LICQ fails


@pytest.fixture(scope="module")
def cert():
    return certify_fixed_point(GAUSS)


@pytest.fixture(scope="module")
def fp50():
    return adam_proxy_fixed_point(GAUSS, dps=50)


def test_gaussian_fixed_point_is_proved(cert):
    assert isinstance(cert, Certificate) and cert.proved and not cert.notes
    assert cert.method.startswith("Krawczyk")
    assert cert.radius < 1e-30  # target 1e-30; measured ~2e-58 at dps = 50
    assert all(ck.passed and (ck.margin is None or float(ck.margin) > 0) for ck in cert.checks.values())
    assert set(cert.checks) == {"krawczyk", "multipliers_positive", "preconditioner_positive",
                                "nonsupport_slack_positive", "licq"}


def test_box_contains_the_newton_solution(cert, fp50):
    # the 50-digit Newton values are rounded to 50 digits: within 1e-49 of the box ...
    assert cert.encloses("direction", fp50.direction, tol=1e-49)
    # ... and the 80-digit ones (rounding 1e-80 << radius ~1e-58) lie inside it
    fp80 = adam_proxy_fixed_point(GAUSS, dps=80)
    for name, vals in (("direction", fp80.direction), ("c", fp80.c), ("lambda", fp80.multipliers)):
        assert cert.encloses(name, vals)
    # negative control: a point 1e-40 away is outside
    assert not cert.encloses("direction", [v + mpmath.mpf(10) ** -40 for v in fp80.direction])


def test_certificate_from_newton_result_agrees(cert, fp50):
    c2 = certify_fixed_point(GAUSS, fp50)
    assert c2.proved and c2.support == cert.support == fp50.support
    assert all(a.overlaps(b) for a, b in zip(c2.balls["direction"], cert.balls["direction"]))
    c3 = certify_fixed_point(GAUSS, newton_fixed_point(GAUSS))  # a robust.FixedPointSolution (c, support only)
    assert c3.proved and all(a.overlaps(b) for a, b in zip(c3.balls["c"], cert.balls["c"]))


def test_json_and_centre(cert):
    d = cert.as_dict()
    json.dumps(d, allow_nan=False)
    assert d["proved"] is True and d["claim"] and len(d["box"]["direction"]) == 50 and len(d["box"]["c"]) == 10
    centre = np.array([float(v) for v in d["centre"]["direction"]])
    assert np.linalg.norm(centre) == pytest.approx(1.0, abs=1e-15)
    assert np.allclose(centre, algorithm3(GAUSS).direction, atol=1e-8)
    assert len(d["centre"]["direction"][0].lstrip("-0.")) >= 45  # full precision, not float64
    with flint.ctx.workprec(cert.prec):  # every printed ball is itself a rigorous enclosure
        assert all(flint.arb(s).contains(b) for s, b in zip(d["box"]["direction"], cert.balls["direction"]))


def test_exact_system_matches_kkt_function():
    """F from exact big-integer products agrees with newton.kkt_function (mpmath, 60 digits) to 1e-40."""
    a = algorithm3(GAUSS)
    S = list(a.support)
    lam = [float(v) for v in a.solve.dual[S]]
    F_mp, _ = kkt_function(mpmath.matrix(GAUSS[S].tolist()))
    with flint.ctx.workprec(200), mpmath.workdps(60):
        L, e = dyadic_mids([flint.arb(v) for v in lam], 200)  # exact: float64 values
        F = ExactSupport(GAUSS[S]).F(L, e)
        Fm = F_mp(*[mpmath.mpf(v) for v in lam])
        for i in range(len(S)):
            assert abs(float(F[i].mid()) - float(Fm[i])) < 1e-40 * (1 + abs(float(Fm[i])))


def _gauss_support_and_preconditioner():
    """(S, lambda_S, float64 J, Y_int, row exponents): Algorithm 3 on GAUSS and Y = J^-1 at 30 bits."""
    a = algorithm3(GAUSS)
    S = list(a.support)
    lam = a.solve.dual[S]
    _, J = support_system(GAUSS[S], lam)
    Yf = np.linalg.inv(J)
    ey = (np.frexp(np.abs(Yf).max(axis=1))[1] - 30).astype(int)
    return S, lam, J, np.rint(Yf * np.exp2(-ey)[:, None]).astype(np.int32), ey


def test_jacobian_row_bounds_cover_the_float_jacobian():
    """rho_i bounds the row sums of |I - Y J| for the float64 Jacobian at the centre (it encloses every J on
    the box), and with Y the rounded inverse they are small: the contraction Krawczyk needs."""
    S, lam, J, Yi, ey = _gauss_support_and_preconditioner()
    with flint.ctx.workprec(200):
        L, e = dyadic_mids([flint.arb(float(v)) for v in lam], 200)
        rho = jacobian_row_bounds(ExactSupport(GAUSS[S]), L, 1, e, Yi, ey.tolist())
    Y = Yi * np.exp2(ey)[:, None]
    actual = np.abs(np.eye(len(S)) - Y @ J).sum(axis=1)
    assert all(float(r.upper()) >= v for r, v in zip(rho, actual))
    assert max(float(r.upper()) for r in rho) < 1e-2  # 2^-24 roundings times the d max|A|^2-type bounds: ~2e-3


def test_enclosure_row_bounds_cover_the_float_jacobian_and_are_tighter():
    """The ball-matrix enclosure bounds the same row sums (it encloses every J on the box) and, without a grid,
    sits at the float64 inverse's own residual: far below the rounded bound's 2^-24-grid level."""
    S, lam, J, Yi, ey = _gauss_support_and_preconditioner()
    with flint.ctx.workprec(200):
        L, e = dyadic_mids([flint.arb(float(v)) for v in lam], 200)
        tight = enclosure_row_bounds(ExactSupport(GAUSS[S]), L, 1, e, Yi, ey.tolist())
        coarse = jacobian_row_bounds(ExactSupport(GAUSS[S]), L, 1, e, Yi, ey.tolist())
    Y = Yi * np.exp2(ey)[:, None]
    actual = np.abs(np.eye(len(S)) - Y @ J).sum(axis=1)
    # the float64 J and Y @ J carry their own roundings, ~ m u (|Y| |J|) 1 per row: the bound may sit that far below
    noise = 4 * len(S) * 2.0 ** -53 * (np.abs(Y) @ np.abs(J)).sum(axis=1)
    assert all(float(r.upper()) >= v - n for r, v, n in zip(tight, actual, noise))
    # Y's 30-bit rounding leaves |I - Y J| ~ m cond(J) 2^-30 ~ 1e-8 here (cond 5.5); the 24-bit grid's bound ~2e-3
    assert max(float(r.upper()) for r in tight) < 1e-5 < min(float(r.upper()) for r in coarse)


def test_columns_binades_apart_are_proved_by_the_enclosure():
    """Raw wine (columns 2^11 apart, cond(J) 6e5): the 24-bit grid bound cannot contract, the enclosure proves it."""
    from numerics.datasets import resolve

    X = resolve("wine_0v1").X
    c = certify_fixed_point(X)
    assert c.proved and "enclosure" in c.checks["krawczyk"].detail and c.hints["jacobian"] == ("enclosure",)
    assert len(c.support) == 11 and c.radius < 1e-40


def test_gr_and_shifted_diagonal_are_proved():
    gr = certify_fixed_point(GR)
    assert gr.proved and gr.radius < 1e-30
    centre = np.array([float(v) for v in gr.centre["direction"]])
    assert np.allclose(centre, l2_max_margin(GR).direction, atol=1e-9)  # Ex. 4.9, up to QP precision
    sd = certify_fixed_point(SHIFTED)
    assert sd.proved and sd.support == (0,) and sd.radius < 1e-30
    assert sd.encloses("c", [1, 0, 0, 0]) and sd.encloses("direction", [0.5] * 4)  # c* = e_0, w* ~ 1 (Ex. 4.11)


def test_perturbed_start_in_a_small_box_is_not_proved(fp50):
    lam = [v * (1 + mpmath.mpf(10) ** -20) for v in fp50.multipliers]  # the zero is ~1e-22 away
    c = certify_fixed_point(GAUSS, fp50, multipliers=lam, newton_steps=0, box_radius=1e-40)
    assert not c.proved and not c.checks["krawczyk"].passed and "Krawczyk" in c.notes[0]
    assert c.radius == float("inf") and c.as_dict()["radius"] is None and not c.box
    # with an automatic (inflated) box the same start proves a box that is honestly wide
    wide = certify_fixed_point(GAUSS, fp50, multipliers=lam, newton_steps=0)
    assert wide.proved and wide.radius > 1e-35 and wide.encloses("direction", fp50.direction, tol=1e-49)


def test_dropped_support_index_fails_the_slack_check(fp50):
    c = certify_fixed_point(GAUSS, fp50, support=fp50.support[1:])
    assert not c.proved and c.checks["krawczyk"].passed  # a zero of the wrong system exists ...
    assert not c.checks["nonsupport_slack_positive"].passed  # ... but it violates constraint 0
    assert float(c.checks["nonsupport_slack_positive"].margin) < 0
    assert any("nonsupport_slack_positive" in n for n in c.notes)


def test_added_support_index_fails_the_sign_check():
    c = certify_fixed_point(GR, support=(0, 1, 2, 3))  # the true support is (0, 2, 3)
    assert not c.proved and not c.checks["multipliers_positive"].passed
    assert any("multipliers_positive" in n for n in c.notes)


def test_degenerate_licq_is_never_proved():
    # the active-set solve of P(c) picks lambda = (l, l, 0): the third point lies on the margin with a zero
    # multiplier, which Algorithm 3 reports (LICQ on the active points fails) and the proof cannot pass
    a3 = algorithm3(DEGENERATE)
    assert not a3.solve.licq and a3.solve.slack < 1e-12
    c = certify_fixed_point(DEGENERATE, a3)
    assert not c.proved and not c.checks["nonsupport_slack_positive"].passed
    c = certify_fixed_point(DEGENERATE, support=(0, 1, 2), multipliers=[1 / 9] * 3)
    assert not c.proved and not c.checks["licq"].passed


def test_nonseparable_data_is_not_proved():
    c = certify_fixed_point(np.array([[1.0, 0.0], [-1.0, 0.0]]))
    assert not c.proved and c.notes[0].startswith("no fixed point to certify")


def test_n50_within_budget():
    X = np.random.default_rng(0).standard_normal((50, 100))
    t0 = time.perf_counter()
    c = certify_fixed_point(X)
    assert c.proved and c.radius < 1e-30
    assert time.perf_counter() - t0 < 30  # measured ~0.6 s (Algorithm 3 + certification)


@pytest.mark.parametrize("X", [[[1.0, 1.0]], [[4.0, 4.0, 4.0]]])
def test_power_of_two_preconditioner_is_handled(X):
    """A single support row (1, ..., 1) scaled by a power of two has F(l) = d l - 1 and a power-of-two inverse
    Jacobian, so every entry of the integer preconditioner is a multiple of a large power of two (a negative
    slicing exponent): the exact product Y F(l~) must still be right and the point proved (c = 1)."""
    from numerics.fixed_point.box import _exact_matvec

    assert _exact_matvec(np.array([[2**23, 1], [2**20, -2**22]]), [5, -7]) == [5 * 2**23 - 7, 5 * 2**20 + 7 * 2**22]
    cert = certify_fixed_point(np.array(X))
    assert cert.proved and cert.support == (0,)
    assert cert.encloses("c", [1.0])


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")  # float Newton's 0/0 at D = 0
def test_zero_column_on_the_support_is_reported_not_raised():
    """The support found is {0}, whose row vanishes in columns 1-3, so D(lambda)_k = 0 and F_S is 0/0 near lambda~
    (Assumption 2.2 fails): the certificate says so instead of raising flint's ValueError."""
    X = np.array([[3221225473.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, -4294967296.0],
                  [3221225473.0, -4294967296.0, -1073741824.0, 1073741824.0]])
    cert = certify_fixed_point(X)
    assert not cert.proved and cert.notes
