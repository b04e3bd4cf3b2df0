"""theory.linf_lp: the l_inf max-margin LP solved by SymPy's exact simplex, and verify_linf."""

import numpy as np
import pytest
import sympy as sp

from theory import TheoryError
from theory.linf_lp import l1_norm, linf_max_margin_exact, linf_norm, verify_linf
from theory.report import COMPLEMENTARITY, STATIONARITY, STRICT_INACTIVITY

R = sp.Rational


def test_known_answer_shifted_diagonal():
    X = [[2, 1, 1, 1], [1, 3, 1, 1], [1, 1, 4, 1], [1, 1, 1, 5]]     # a = (1, 2, 3, 4), b = 1
    sol = linf_max_margin_exact(X)
    assert sol.value == R(1, 5) and sol.margin == 5
    assert list(sol.w) == [R(1, 5)] * 4 and list(sol.lam) == [R(1, 5), 0, 0, 0] and sol.support == (0,)
    assert sol.verify(strict=True).ok


def test_non_unique_minimiser_both_certified():
    X = [[1, 0], [1, 1]]                     # value 1; every w = (1, s), s in [0, 1], is optimal
    sol = linf_max_margin_exact(X)
    assert sol.value == 1 and sol.verify().ok
    for s in (0, R(1, 2), 1):
        assert verify_linf(X, [1, s], sol.lam).ok


def test_negative_controls_name_the_condition():
    X = [[1, 0], [1, 1]]
    assert verify_linf(X, [2, 0], [1, 0]).failed == (COMPLEMENTARITY,)          # feasible, not optimal
    assert STATIONARITY in verify_linf(X, [1, 0], [R(1, 2), 0]).failed             # dual not a subgradient
    assert STRICT_INACTIVITY in verify_linf(X, [1, 0], [1, 0], strict=True).failed  # x_1 active, lambda_1 = 0


def test_regression_sympy_phase_one_bug():
    """The textbook form min t s.t. Xw >= 1 made SymPy 1.14 return an infeasible point on this LP
    (sympy#28089); the origin-feasible form used by linf_max_margin_exact is certified instead."""
    rng = np.random.default_rng(0)
    X = rng.integers(-5, 6, size=(10, 20))
    X[:, 0] = np.abs(X[:, 0]) + 1
    sol = linf_max_margin_exact(X)
    assert sol.verify().ok
    assert sum(sol.lam) == sol.value and all(v >= 1 for v in sp.Matrix(X.tolist()) * sol.w)


def test_norm_helpers():
    assert linf_norm([1, -3, 2]) == 3 and l1_norm([1, -3, 2]) == 6


def test_errors():
    with pytest.raises(TheoryError, match="separable"):
        linf_max_margin_exact([[1, 0], [-1, 0]])
    with pytest.raises(TheoryError, match="numbers"):
        linf_max_margin_exact(sp.Matrix([[sp.Symbol("a"), 1]]))
    with pytest.raises(TheoryError, match="max_size"):
        linf_max_margin_exact([[1] * 5], max_size=4)


def test_algebraic_data_certified_basis():
    """sqrt(2) entries: the simplex on a 60-digit approximation names the basis, the exact data solve it, and
    verify_linf proves the pair optimal; a wrong w on the same data is refuted by the same verifier."""
    X = [[sp.sqrt(2), 1, 1], [1, 3, sp.sqrt(3)], [2, -1, 1]]
    sol = linf_max_margin_exact(X)
    assert sol.value == R(4, 7) - sp.sqrt(2) / 7 and sol.support == (0, 2) and sol.verify().ok
    assert not verify_linf(X, sol.w * R(11, 10), sol.lam).ok                 # feasible but not optimal


def test_symbolic_certificate():
    a, b = sp.symbols("a b", positive=True)
    X = sp.Matrix([[a + b, b], [b, a + b + 1]])
    w = sp.Matrix([1, 1]) / (a + 2 * b)
    assert verify_linf(X, w, [1 / (a + 2 * b), 0], strict=True).ok


# --- agreement with numerics.maxmargin.linf_max_margin (tolerance: see tests/theory/_agreement.py) ----------

from numerics.datasets import gaussian  # noqa: E402
from numerics.maxmargin import linf_max_margin  # noqa: E402

from ._agreement import TOL, exact_and_float  # noqa: E402


@pytest.mark.parametrize("N,d,seed", [(6, 8, 0), (8, 5, 1), (10, 12, 2)])
def test_linf_exact_agrees_with_numerics(N, d, seed):
    """Compare optimal values (the minimiser may be non-unique), and check numerics' w attains it."""
    Xq, Xf = exact_and_float(gaussian(N=N, d=d, seed=seed, mean=0.3).X)
    ex, num = linf_max_margin_exact(Xq), linf_max_margin(Xf)
    assert ex.verify().ok
    assert abs(float(ex.margin) - num.margin) < TOL * num.margin
    assert abs(np.min(Xf @ num.w) / np.max(np.abs(num.w)) - float(ex.margin)) < TOL * float(ex.margin)
    assert set(ex.support) <= set(np.flatnonzero(Xf @ num.w - 1 < 1e-6))   # exact support vectors are active
