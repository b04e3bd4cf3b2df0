"""High-precision refinement of the Thm 4.8 fixed point: residuals, Lemma 4.5, precision agreement, LICQ."""

import mpmath
import numpy as np
import pytest

from numerics.fixed_point import adam_proxy_fixed_point, algorithm3, fixed_point_map
from numerics.maxmargin import l2_max_margin

GAUSS = np.random.default_rng(0).standard_normal((10, 50))


@pytest.fixture(scope="module")
def fp50():
    return adam_proxy_fixed_point(GAUSS, dps=50)


def test_residual_and_sign_checks(fp50):
    assert fp50.refined and fp50.licq
    assert fp50.residual < mpmath.mpf(10) ** -45  # Newton converges quadratically: ~10^-dps after the last step
    assert fp50.min_multiplier > 0 and fp50.min_slack > 0
    assert abs(mpmath.fsum(fp50.c) - 1) < mpmath.mpf(10) ** -45


def test_agrees_with_algorithm3(fp50):
    # Algorithm 3 stops at step 1e-9 with contraction rate ~0.4: its c is within ~1e-9 of c*
    a = algorithm3(GAUSS)
    assert np.allclose(fp50.c_float, a.c, atol=1e-8)
    assert np.allclose(fp50.direction_float, a.direction, atol=1e-8)


def test_lemma_4_5_equation_5(fp50):
    """Eq. (5): the limit direction is proportional to D(c)^{-1} sum_i c_i x_i, checked at 50 digits."""
    with mpmath.workdps(50):
        X = [[mpmath.mpf(float(v)) for v in row] for row in GAUSS]
        u = [mpmath.fsum(fp50.c[i] * X[i][k] for i in range(10))
             / mpmath.sqrt(mpmath.fsum(fp50.c[i] ** 2 * X[i][k] ** 2 for i in range(10))) for k in range(50)]
        nu = mpmath.sqrt(mpmath.fsum(v**2 for v in u))
        err = max(abs(u[k] / nu - fp50.direction[k]) for k in range(50))
    assert err < mpmath.mpf(10) ** -45


def test_precisions_agree(fp50):
    fp80 = adam_proxy_fixed_point(GAUSS, dps=80)
    with mpmath.workdps(80):
        assert max(abs(a - b) for a, b in zip(fp80.direction, fp50.direction)) < mpmath.mpf(10) ** -48


def test_perturbed_c_is_not_a_fixed_point(fp50):
    """Negative control: moving c* by 1e-3 gives |T(c) - c| far above the solver noise (1e-9)."""
    c = fp50.c_float + 1e-3 * np.random.default_rng(2).dirichlet(np.ones(10))
    c /= c.sum()
    Tc, _ = fixed_point_map(GAUSS, c)
    assert np.abs(Tc - c).sum() > 1e-5


def test_gr_fixed_point_equals_l2_direction():
    rng = np.random.default_rng(1)
    X = rng.uniform(0.5, 2.0, 4)[:, None] * np.hstack([np.ones((4, 1)), rng.choice([-1.0, 1.0], (4, 5))])
    fp = adam_proxy_fixed_point(X)
    assert np.allclose(fp.direction_float, l2_max_margin(X).direction, atol=1e-9)  # QP precision (~1e-10)


def test_licq_failure_is_reported_not_hidden():
    """Three points on the margin in R^2 (x_2 = (x_0 + x_1)/2): Assumption 4.7 fails, the duals are not unique
    and T is ill-defined there.  The result must say so (licq False, not refined, a note naming LICQ) rather
    than pass off a refined number."""
    X = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
    fp = adam_proxy_fixed_point(X)
    assert fp.licq is False and fp.refined is False and any("LICQ" in n for n in fp.notes)
