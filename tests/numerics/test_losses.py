import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, strategies as st

from numerics.backend import FLOAT64, mpmath_backend
from numerics.errors import HyperparameterError
from numerics.losses import EXPONENTIAL, LOGISTIC, get_loss, log_loss

MP = mpmath_backend(50)


def _reference(z: float):
    """log l(z) and log|l'(z)| of the logistic loss at 50 digits (mpmath has no underflow)."""
    with mpmath.workdps(50):
        zz = mpmath.mpf(z)
        return mpmath.log(mpmath.log1p(mpmath.exp(-zz))), -mpmath.log1p(mpmath.exp(zz))


@given(st.floats(min_value=-700, max_value=1e6, allow_nan=False))
def test_logistic_log_domain_matches_50_digit_reference(z):
    lv, ld = _reference(z)
    got_v = LOGISTIC.log_value(FLOAT64, np.array([z]))[0]
    got_d = LOGISTIC.log_neg_derivative(FLOAT64, np.array([z]))[0]
    # float64 evaluation of O(|z|)-sized logs: absolute error a few ulps of max(|value|, 1)
    tol = 8 * np.finfo(float).eps * max(1.0, abs(float(lv)))
    assert math.isfinite(got_v) and abs(got_v - float(lv)) <= tol
    assert abs(got_d - float(ld)) <= 8 * np.finfo(float).eps * max(1.0, abs(float(ld)))


def test_losses_finite_far_beyond_float64_underflow():
    z = np.array([1e4, 1e5, 1e300])
    assert np.all(np.exp(-z) == 0)  # the naive computation has lost everything
    for loss in (EXPONENTIAL, LOGISTIC):
        assert np.all(np.isfinite(loss.log_value(FLOAT64, z)))
        assert np.allclose(loss.log_neg_derivative(FLOAT64, z), -z, rtol=1e-15)
    assert log_loss(FLOAT64, EXPONENTIAL, z) == pytest.approx(-1e4 - math.log(3), rel=1e-15)


def test_mpmath_backend_same_formulas():
    with MP.context():
        z = MP.asarray([-3.0, 0.5, 40.0, 2e4])
        got = LOGISTIC.log_value(MP, z)
        for zi, gi in zip([-3.0, 0.5, 40.0, 2e4], got):
            assert abs(gi - _reference(zi)[0]) < mpmath.mpf(10) ** -45


def test_unknown_loss():
    assert get_loss("exp") is EXPONENTIAL and get_loss("logistic") is LOGISTIC
    with pytest.raises(HyperparameterError, match="unknown loss"):
        get_loss("hinge")
