"""theory.decide, theory.errors, theory.exact_input and theory.report: exact tests, domains, guards, verdicts."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from numerics.errors import ToolkitError
from theory import LICQError, SizeGuardError, TheoryError, as_exact_matrix, rationalize
from theory.decide import decide_sign, decide_zero, is_zero, reparametrise, sample_points, sign_ok
from theory.errors import check_cost, check_size
from theory.report import PROVED, REFUTED, UNDECIDED, Condition, Report, make_condition
from theory.symbols import BETA_DOMAIN, beta1, beta2


def test_error_classes():
    assert issubclass(TheoryError, ToolkitError) and issubclass(TheoryError, ValueError)
    assert issubclass(LICQError, TheoryError) and issubclass(SizeGuardError, TheoryError)
    assert LICQError((0, 2)).support == (0, 2)


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
    B = rationalize(X, None)                      # exact binary values: float(B) == X bit for bit
    assert np.array_equal(np.array(B.tolist(), dtype=float), X) and B[0, 0] != sp.Rational(1, 10)


def test_size_guards_measure_and_estimate():
    check_size(3, 3, "N")
    with pytest.raises(SizeGuardError, match="max_size = 3") as err:
        check_size(4, 3, "N", "8 supports")
    assert err.value.cost == 4 and "8 supports" in str(err.value)
    with pytest.raises(SizeGuardError, match=r"distinct radicals \(10\) x system size \(5\).*estimated") as err:
        check_cost(10, 5, 30, "exact KKT solve")
    assert err.value.cost == 50


def test_is_zero_and_sign_ok():
    x = sp.Symbol("x", positive=True)
    assert is_zero(sp.sqrt(8) - 2 * sp.sqrt(2)) is True
    assert is_zero(sp.sqrt(2) - sp.Rational(141421, 100000)) is False
    assert is_zero((x + 1)**2 - x**2 - 2 * x - 1) is True
    assert sign_ok(x + 1, strict=True) is True
    assert sign_ok(sp.sqrt(3) - sp.sqrt(2), strict=True) is True
    assert sign_ok(sp.Integer(0), strict=True) is False and sign_ok(sp.Integer(0), strict=False) is True
    # a tiny nonzero closed number is decided, not rounded away
    assert is_zero(sp.sqrt(10**32 + 1) - 10**16) is False


def test_explicit_domain_proves_and_never_falsely_refutes():
    t = sp.Symbol("t", positive=True)
    # t > 0 only: 1 - t > 0 is false (refuted with a witness point where it fails)
    d = decide_sign(1 - t, strict=True)
    assert d.value is False and dict(d.witness)[t] > 1
    # t in (0, 1): proved, and no sample point leaves the domain
    assert decide_sign(1 - t, strict=True, domain={t: sp.Interval.open(0, 1)}).value is True
    for pt in sample_points({t}, {t: sp.Interval.open(0, 1)}):
        assert 0 < pt[t] < 1
    # closed end: 1 - t >= 0 on [0, 1] holds, 1 - t > 0 fails at the endpoint t = 1
    assert decide_sign(1 - t, strict=False, domain={t: sp.Interval(0, 1)}).value is True
    assert decide_sign(1 - t, strict=True, domain={t: sp.Interval(0, 1)}).value is False
    # the beta domain of the shared symbols: 1 - beta2^2 > 0 and beta1 beta2 < 1
    assert decide_sign(1 - beta2**2, strict=True, domain=BETA_DOMAIN).value is True
    assert decide_sign(1 - beta1 * beta2, strict=True, domain=BETA_DOMAIN).value is True
    subs, ends = reparametrise({beta2}, BETA_DOMAIN)
    assert beta2 in subs and ends == []


def test_sample_points_refute_but_never_prove():
    x, y = sp.symbols("x y", positive=True)
    pts = sample_points({x, y, sp.Symbol("z", negative=True)})
    assert all(all(v > 0 for k, v in pt.items() if k.is_positive) and any(v < 0 for v in pt.values()) for pt in pts)
    d = decide_zero(x - y)
    assert d.value is False and d.witness                    # refuted, with the point
    assert sign_ok(x - y, strict=True) is False or sign_ok(y - x, strict=True) is False
    assert sign_ok(sp.sqrt(x**2 + 1) - x, strict=True) in (True, None)   # true statement never refuted


def test_report_verdicts():
    c1 = make_condition("a", [(0, sp.Integer(0), True)])
    x = sp.Symbol("x")
    c2 = make_condition("b", [(0, sp.Integer(1), False), (1, x, None)])
    c3 = make_condition("c", [(0, x, None)])
    r = Report("demo", (c1, c2, c3), scope="general")
    assert not r.ok and r.failed == ("b",) and r.open == ("c",)
    assert r.verdict.status == REFUTED and r.verdict.counterexample[:2] == ("b", 0) and r.verdict.scope == "general"
    assert Report("demo", (c1, c3)).verdict.status == UNDECIDED and "c at [0]" in Report("d", (c3,)).verdict.reason
    assert Report("demo", (c1,)).verdict.status == PROVED and Report("demo", (c1,)).verdict.value is True
    assert r["b"].violations == ((0, 1),) and isinstance(r["a"], Condition)
    assert "FAILED" in r.summary() and "undecided" in r.summary() and "scope: general" in r.summary()
    with pytest.raises(KeyError):
        r["zzz"]


def test_condition_keeps_the_witness_of_a_decision():
    t = sp.Symbol("t", positive=True)
    cond = make_condition("bound", [(0, 1 - t, decide_sign(1 - t, strict=True))])
    rep = Report("t < 1", (cond,))
    assert rep.verdict.refuted and dict(rep.verdict.counterexample[3])[t] > 1
