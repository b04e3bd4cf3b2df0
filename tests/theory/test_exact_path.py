"""theory.exact_path: a hand-typed rational dataset gets exact answers (item 7 of the issue)."""

import pytest
import sympy as sp

from theory import TheoryError, exact_answers

R = sp.Rational


def test_gr_dataset_all_answers():
    ans = exact_answers([[1, 1, 1], [2, -2, 2], [3, 3, -3]])
    assert ans.generalized_rademacher and ans.fixed_point_reason.startswith("GR data")
    assert ans.adam_proxy_direction == ans.l2.direction                   # Ex. 4.9 / Thm 3.3
    assert ans.linf.verify().ok and ans.l2.verify().ok


def test_mechanism_dataset():
    ans = exact_answers([["3/2", "1/2", "1/2"], ["1/2", "5/2", "1/2"], ["1/2", "1/2", 3]])
    assert list(ans.fixed_point_c) == [1, 0, 0]
    assert ans.adam_proxy_direction == ans.linf.direction                 # Ex. 4.11: the l_inf direction
    assert ans.adam_proxy_direction != ans.l2.direction


def test_generic_dataset_no_closed_fixed_point():
    ans = exact_answers([[3, 1, 2], [1, 4, -1], [2, -1, 5]])
    assert ans.fixed_point_c is None and ans.fixed_point is None and ans.adam_proxy_direction is None
    assert "numerics.fixed_point" in ans.fixed_point_reason and ans.l2.support == (1, 2)


def test_symbolic_refused():
    with pytest.raises(TheoryError, match="numbers"):
        exact_answers(sp.Matrix([[sp.Symbol("a"), 1], [1, 2]]))
