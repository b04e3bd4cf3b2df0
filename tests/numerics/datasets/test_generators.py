"""Generators: Gaussian (Ex. 4.10), GR (Def. 3.1), shifted diagonal (Ex. 4.11)."""

import numpy as np
import pytest

from numerics.datasets import gaussian, generalized_rademacher, gr_example, shifted_diagonal
from numerics.errors import DatasetError
from numerics.maxmargin import l2_max_margin, linf_max_margin


def test_gaussian_is_seeded_and_not_gr():
    a, b = gaussian(10, 50, seed=3), gaussian(10, 50, seed=3)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, gaussian(10, 50, seed=4).X)
    assert a.assumptions.separable and not a.assumptions.generalized_rademacher
    with pytest.raises(DatasetError, match="d >= N"):
        gaussian(40, 2, seed=0)


def test_gr_structure():
    ds = generalized_rademacher(N=5, d=7, seed=2)
    absx = np.abs(ds.X)
    assert ds.assumptions.generalized_rademacher and np.all(absx == absx[:, :1])
    with pytest.raises(DatasetError, match="positive"):
        generalized_rademacher([1.0, -1.0], [[1, 1], [1, -1]])
    with pytest.raises(DatasetError, match="signs"):
        generalized_rademacher([1.0, 1.0], [[1, 0.5], [1, -1]])


def test_gr_example_separates_l2_from_linf():
    X = gr_example().X
    l2, li = l2_max_margin(X), linf_max_margin(X)
    assert li.normalised_margin(l2.w, X) < 0.7 * li.margin  # the documented 67%
    assert l2.support == (0, 1, 2, 3) and l2.licq


def test_shifted_diagonal_formula_and_validation():
    ds = shifted_diagonal((1.0, 2.0, 3.0), 0.5, d=5)
    expect = np.full((3, 5), 0.5)
    expect[[0, 1, 2], [0, 1, 2]] += [1.0, 2.0, 3.0]
    assert np.array_equal(ds.X, expect)
    for kwargs, fragment in (({"a": (2.0, 1.0)}, "a_0 < a_i"), ({"b": 0.0}, "positive"), ({"d": 2}, "d >= N")):
        with pytest.raises(DatasetError, match=fragment):
            shifted_diagonal(**kwargs)
