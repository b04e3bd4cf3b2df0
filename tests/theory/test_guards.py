"""theory._guards and theory.report: exact input, size guards, zero/sign decisions, report objects."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from numerics.errors import ToolkitError
from theory import TheoryError, as_exact_matrix, rationalize
from theory._guards import check_size, is_zero, sample_point, sign_ok
from theory.report import Condition, Report, make_condition


def test_error_class_is_toolkit_error_and_value_error():
    assert issubclass(TheoryError, ToolkitError) and issubclass(TheoryError, ValueError)


def test_exact_inputs_accepted():
    M = as_exact_matrix([[1, "1/3", Fraction(2, 5)], [np.int64(4), sp.Rational(-1, 2), sp.sqrt(2)]])
    assert M[0, 1] == sp.Rational(1, 3) and M[0, 2] == sp.Rational(2, 5) and M[1, 0] == 4 and M[1, 2] == sp.sqrt(2)


@pytest.mark.parametrize("bad", [[[0.5, 1]], np.array([[1.0, 2.0]]), [[sp.Float(0.5), 1]]])
def test_floats_refused_with_pointer_to_rationalize(bad):
    with pytest.raises(TheoryError, match="rationalize"):
        as_exact_matrix(bad)


def test_ragged_and_empty_refused():
    with pytest.raises(TheoryError):
        as_exact_matrix([[1, 2], [3]])
    with pytest.raises(TheoryError):
        as_exact_matrix([])


def test_rationalize_is_close_and_exact():
    X = np.array([[0.1, -2.5], [1 / 3, 4.0]])
    R = rationalize(X)
    assert all(v.is_Rational for v in R)
    assert np.max(np.abs(np.array(R.tolist(), dtype=float) - X)) < 1e-9
    assert R[1, 0] == sp.Rational(1, 3)


def test_size_guard_message():
    check_size(3, 3, "N")
    with pytest.raises(TheoryError, match="max_size = 3"):
        check_size(4, 3, "N")


def test_is_zero_and_sign_ok():
    x = sp.Symbol("x", positive=True)
    assert is_zero(sp.sqrt(8) - 2 * sp.sqrt(2)) is True
    assert is_zero(sp.sqrt(2) - sp.Rational(141421, 100000)) is False
    assert is_zero((x + 1)**2 - x**2 - 2 * x - 1) is True
    assert sign_ok(x + 1, strict=True) is True
    assert sign_ok(sp.sqrt(3) - sp.sqrt(2), strict=True) is True
    assert sign_ok(sp.Integer(0), strict=True) is False and sign_ok(sp.Integer(0), strict=False) is True


def test_sample_point_refutes_but_never_proves():
    x, y = sp.symbols("x y", positive=True)
    pt = sample_point({x, y, sp.Symbol("z", negative=True)})
    assert all(v > 0 for k, v in pt.items() if k.is_positive) and any(v < 0 for v in pt.values())
    assert is_zero(x - y) is False            # refuted at a sample point (not identically zero)
    assert sign_ok(x - y, strict=True) is False or sign_ok(y - x, strict=True) is False
    assert sign_ok(sp.sqrt(x**2 + 1) - x, strict=True) in (True, None)   # true statement never refuted


def test_report_aggregation():
    c1 = make_condition("a", [(0, sp.Integer(0), True)])
    c2 = make_condition("b", [(0, sp.Integer(1), False), (1, x := sp.Symbol("x"), None)])
    c3 = make_condition("c", [(0, x, None)])
    r = Report("demo", (c1, c2, c3))
    assert not r.ok and r.failed == ("b",) and r.open == ("c",)
    assert r["b"].violations == ((0, 1),) and isinstance(r["a"], Condition)
    assert "FAILED" in r.summary() and "undecided" in r.summary()
    with pytest.raises(KeyError):
        r["zzz"]
