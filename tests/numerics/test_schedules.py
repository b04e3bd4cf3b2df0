import pytest

from numerics.errors import HyperparameterError
from numerics.schedules import constant, polynomial_decay


def test_polynomial_decay_values():
    s = polynomial_decay(0.1, 0.5)
    assert s(0) == pytest.approx(0.1 / 2**0.5) and s(7) == pytest.approx(0.1 / 3)
    assert constant(0.3)(10**6) == 0.3


@pytest.mark.parametrize("eta0,a", [(0, 0.5), (-1, 0.5), (float("nan"), 0.5), (0.1, 1.5), (0.1, -0.1)])
def test_bad_schedules(eta0, a):
    with pytest.raises(HyperparameterError):
        polynomial_decay(eta0, a)
