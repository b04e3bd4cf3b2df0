import math

import mpmath
import numpy as np
import pytest

from numerics.backend import FLOAT64, backend_from_precision, mpmath_backend
from numerics.errors import HyperparameterError


def test_mpmath_backend_scopes_precision_without_touching_global():
    before = mpmath.mp.dps
    bk = mpmath_backend(40)
    with bk.context():
        assert mpmath.mp.dps == 40
        x = bk.sqrt(bk.asarray([2.0]))[0]
        assert abs(x - mpmath.sqrt(2)) < mpmath.mpf(10) ** -38
    assert mpmath.mp.dps == before


def test_mpmath_exp_does_not_underflow_where_float64_does():
    bk = mpmath_backend(30)
    with bk.context():
        tiny = bk.exp(bk.asarray([-1e5]))[0]
        # log(exp(-1e5)) at 30 digits: relative error ~1e-30, i.e. ~1e-25 absolute at this size
        assert tiny > 0 and abs(mpmath.log(tiny) + 100000) < 1e-24
    assert FLOAT64.exp(np.array([-1e5]))[0] == 0.0  # the underflow the toolkit works around


@pytest.mark.parametrize("bk", [FLOAT64, mpmath_backend(30)], ids=["float64", "mpmath"])
def test_logsumexp_and_safe_ratio(bk):
    with bk.context():
        a = bk.asarray([-1e4, -1e4 + math.log(3)])
        # log(e^-1e4 + 3 e^-1e4) = -1e4 + log 4, exact in both backends up to rounding of O(1e4 * eps)
        assert abs(float(bk.logsumexp(a)) - (-1e4 + math.log(4))) < 1e4 * 1e-15
        r = bk.safe_ratio(bk.asarray([0.0, 2.0]), bk.asarray([0.0, 4.0]))
        assert [float(v) for v in r] == [0.0, 0.5]


def test_precision_parsing_errors():
    assert backend_from_precision("float64") is FLOAT64
    assert backend_from_precision("25").dps == 25
    for bad in ("abc", "2", 3.5):
        with pytest.raises(HyperparameterError):
            backend_from_precision(bad)
