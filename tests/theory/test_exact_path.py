"""theory.exact_path: a hand-typed dataset gets every exact answer, including all fixed points of T."""

import pytest
import sympy as sp

from theory import TheoryError, exact_answers

R = sp.Rational


def test_gr_dataset_all_answers():
    ans = exact_answers([[1, 1, 1], [2, -2, 2], [3, 3, -3]])
    assert ans.generalized_rademacher and ans.fixed_point_reason.startswith("GR data")
    assert ans.adam_proxy_direction == ans.l2.direction                   # Ex. 4.9 / Thm 3.3
    assert ans.linf.verify().ok and ans.l2.verify().ok
    assert ans.fixed_points.count == 1                                    # and T has no other fixed point


def test_mechanism_dataset():
    ans = exact_answers([["3/2", "1/2", "1/2"], ["1/2", "5/2", "1/2"], ["1/2", "1/2", 3]])
    assert list(ans.fixed_point_c) == [1, 0, 0]
    assert ans.adam_proxy_direction == ans.linf.direction                 # Ex. 4.11: the l_inf direction
    assert ans.adam_proxy_direction != ans.l2.direction


def test_generic_dataset_gets_its_exact_fixed_point():
    """No closed form applies; the enumeration finds the only fixed point, an algebraic number of degree 4."""
    ans = exact_answers([[3, 1, 2], [1, 4, -1], [2, -1, 5]])
    assert ans.fixed_points.verdict.proved and ans.fixed_points.count == 1
    assert ans.fixed_point_reason.startswith("the only fixed point") and ans.fixed_point.ok
    assert ans.fixed_point_c == ans.fixed_point.c and any(isinstance(v, sp.CRootOf) for v in ans.fixed_point_c)
    u = [float(sp.N(v, 20)) for v in ans.adam_proxy_direction]
    assert abs(sum(v * v for v in u) - 1) < 1e-12 and ans.l2.support == (1, 2)


def test_larger_data_skip_expensive_candidates_with_reason():
    """N > 4: no enumeration; a candidate whose exact check exceeds the cost guard is skipped, not run for minutes."""
    X = [[3, 1, 2, 1, 2], [1, 4, -1, 2, 1], [2, -1, 5, 1, 1], [1, 2, 1, 6, -1], [2, 1, 1, -1, 7]]
    ans = exact_answers(X, max_cost=4)
    assert ans.fixed_points is None and "N <= 4" in ans.fixed_points_reason
    assert ans.fixed_point_c is None and "skipped normalised l2 dual" in ans.fixed_point_reason


def test_algebraic_data_all_exact_answers():
    ans = exact_answers([[sp.sqrt(2), 1], [1, 3]])
    assert ans.linf.value == sp.sqrt(2) - 1 and ans.linf.verify(strict=True).ok
    assert ans.fixed_points is None and "rational" in ans.fixed_points_reason
    assert list(ans.fixed_point_c) == [1, 0]                               # mechanism (M) holds for i* = 0


def test_symbolic_refused():
    with pytest.raises(TheoryError, match="numbers"):
        exact_answers(sp.Matrix([[sp.Symbol("a"), 1], [1, 2]]))
