"""Algorithm 3 (Thm 4.8): fixed points on GR, Gaussian and shifted-diagonal data; failure detection."""

import numpy as np
import pytest

import numerics.fixed_point.iteration as alg3_module
from numerics.errors import ConvergenceError, HyperparameterError
from numerics.fixed_point import algorithm3, fixed_point_map
from numerics.maxmargin import l2_max_margin, linf_max_margin

GAUSS = np.random.default_rng(0).standard_normal((10, 50))
rng = np.random.default_rng(1)
GR = rng.uniform(0.5, 2.0, 4)[:, None] * np.hstack([np.ones((4, 1)), rng.choice([-1.0, 1.0], (4, 5))])  # Def. 3.1


def test_fixed_point_property():
    res = algorithm3(GAUSS)
    Tc, _ = fixed_point_map(GAUSS, res.c)
    # tol 1e-9 on the last step, and T is a local contraction (rate < 1): |T(c) - c| <= tol / (1 - rate)
    assert np.abs(Tc - res.c).sum() <= 1e-9 / (1 - res.rate)
    assert res.c.sum() == pytest.approx(1.0) and np.all(res.c >= 0)


def test_gaussian_fixed_point_differs_from_l2_and_linf():
    """Ex. 4.10: the fixed point is neither the l2 nor the l_inf max-margin direction."""
    d = algorithm3(GAUSS).direction
    for ref in (l2_max_margin(GAUSS), linf_max_margin(GAUSS)):
        assert 1 - d @ ref.direction > 1e-3


def test_gr_fixed_point_is_l2():
    """Ex. 4.9: on GR data D(c) is scalar, P(c) is the SVM, so the direction is the l2 one (QP precision 1e-9)."""
    assert np.allclose(algorithm3(GR).direction, l2_max_margin(GR).direction, atol=1e-9)


def test_shifted_diagonal_fixed_point_is_e0():
    """Ex. 4.11 mechanism (docs/math.md §5): c = e_0 is a fixed point and w*(e_0) is proportional to 1 = l_inf solution."""
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), 0.5
    X = np.diag(a) + b
    res = algorithm3(X)
    assert np.allclose(res.c, [1, 0, 0, 0], atol=1e-9)
    assert np.allclose(res.w, np.full(4, 1 / (a[0] + 4 * b)), atol=1e-9)


def test_damped_iteration_reaches_the_same_point():
    assert np.allclose(algorithm3(GAUSS, damping=0.5).c, algorithm3(GAUSS).c, atol=1e-8)


def test_cycle_is_reported(monkeypatch):
    swap = lambda X, c, start=None: (c[::-1].copy(), None)  # noqa: E731 -- a map with a 2-cycle and no fixed point nearby
    monkeypatch.setattr(alg3_module, "fixed_point_map", swap)
    with pytest.raises(ConvergenceError, match="cycles with period 2"):
        algorithm3(GAUSS[:2], np.array([0.9, 0.1]))


def test_stall_is_reported(monkeypatch):
    creep = lambda X, c, start=None: (c + np.array([1e-5, -1e-5]), None)  # noqa: E731 -- constant steps: no contraction
    monkeypatch.setattr(alg3_module, "fixed_point_map", creep)
    with pytest.raises(ConvergenceError, match="stalls"):
        algorithm3(GAUSS[:2], np.array([0.5, 0.5]))


def test_max_iter_is_reported():
    with pytest.raises(ConvergenceError, match="did not reach"):
        algorithm3(GAUSS, max_iter=3)


def test_bad_settings():
    with pytest.raises(HyperparameterError):
        algorithm3(GAUSS, damping=0.0)
    with pytest.raises(HyperparameterError):
        algorithm3(GAUSS, np.ones(10))  # not on the simplex
