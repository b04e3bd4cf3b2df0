"""Generators: Gaussian (Ex. 4.10), Generalized Rademacher (Def. 3.1), shifted diagonal (Ex. 4.11)."""

import numpy as np
import pytest

from numerics.datasets import GR_ALPHAS, GR_SIGNS, gaussian, generalized_rademacher, gr_example, shifted_diagonal
from numerics.errors import DatasetError
from numerics.maxmargin import l2_max_margin, linf_max_margin


def test_gaussian_is_the_documented_draw_and_not_gr():
    a = gaussian(10, 50, seed=3)
    assert np.array_equal(a.X, np.random.default_rng(3).normal(0.0, 1.0, size=(10, 50)))
    assert np.array_equal(a.X, gaussian(10, 50, seed=3).X) and not np.array_equal(a.X, gaussian(10, 50, seed=4).X)
    assert a.assumptions.separable and a.assumptions.nonzero_entries and not a.assumptions.generalized_rademacher
    assert (a.name, a.source) == ("gaussian_n10_d50", "gaussian(N=10, d=50, seed=3, mean=0.0, scale=1.0)")
    assert a.meta["seed"] == 3 and a.meta["generator"] == "gaussian"
    b = gaussian(4, 3, seed=1, mean=2.0, scale=0.5)
    assert np.array_equal(b.X, np.random.default_rng(1).normal(2.0, 0.5, size=(4, 3)))


def test_gaussian_non_separable_draw_suggests_a_fix():
    with pytest.raises(DatasetError, match="not linearly separable.*larger d.*nonzero mean"):
        gaussian(40, 2, seed=0)
    assert gaussian(40, 2, seed=0, mean=5.0).assumptions.separable


@pytest.mark.parametrize("kwargs,fragment", [
    ({"N": 0}, "N must be >= 1"), ({"d": 2.5}, "d must be an integer"), ({"N": "10"}, "N must be an integer"),
    ({"N": True}, "integer"), ({"seed": -1}, "seed must be >= 0"), ({"seed": None}, "seed must be an integer"),
    ({"scale": 0.0}, "scale must be positive"), ({"mean": float("nan")}, "finite"), ({"scale": "big"}, "finite"),
    ({"scale": 1e308, "mean": 1e308}, "overflow"),
])
def test_gaussian_argument_errors(kwargs, fragment):
    with pytest.raises(DatasetError, match=fragment):
        gaussian(**kwargs)


def test_gr_random_draw_has_exact_structure():
    ds = generalized_rademacher(N=5, d=7, seed=2)
    absx = np.abs(ds.X)
    assert ds.assumptions.generalized_rademacher and np.all(absx == absx[:, :1])
    alphas, signs = np.array(ds.meta["alphas"]), np.array(ds.meta["signs"])
    assert np.array_equal(ds.X, alphas[:, None] * signs) and np.all((alphas >= 0.5) & (alphas <= 2.0))
    assert ds.assumptions.separable and ds.assumptions.distinct_rows and ds.assumptions.nonzero_entries
    assert np.array_equal(ds.X, generalized_rademacher(N=5, d=7, seed=2).X)
    assert ds.source == "generalized_rademacher(N=5, d=7, seed=2)" and ds.name == "gr_n5_d7"


def test_gr_redraws_until_separable(monkeypatch):
    ds = generalized_rademacher(N=6, d=3, seed=1)  # 6 random points in 3-D: the first draws are not separable
    assert ds.assumptions.separable and ds.meta["attempt"] == 8
    rng = np.random.default_rng(1)
    for _ in range(9):  # the redraws come from the same generator, in order
        a, S = rng.uniform(0.5, 2.0, 6), rng.choice([-1.0, 1.0], size=(6, 3))
    assert np.array_equal(ds.X, a[:, None] * S)
    monkeypatch.setattr("numerics.datasets.generators._GR_ATTEMPTS", 5)
    with pytest.raises(DatasetError, match="no separable GR draw with N = 30, d = 1 in 5 attempts.*increase d"):
        generalized_rademacher(N=30, d=1, seed=0)  # in 1-D all 30 signs must agree: probability 2^-29 per draw


def test_gr_explicit_points():
    ds = generalized_rademacher([2.0, 0.5], [[1, -1, 1], [1, 1, -1]])
    assert np.array_equal(ds.X, [[2.0, -2.0, 2.0], [0.5, 0.5, -0.5]]) and ds.assumptions.generalized_rademacher
    assert ds.meta["alphas"] == (2.0, 0.5) and ds.meta["signs"][0] == (1.0, -1.0, 1.0)
    assert np.array_equal(generalized_rademacher([1.0, 2.0], [[1, 1], [1, -1]], N=2, d=2).X, [[1, 1], [2, -2]])


@pytest.mark.parametrize("alphas,signs,kw,fragment", [
    ([1.0, -1.0], [[1, 1], [1, -1]], {}, "positive"),
    ([1.0, 0.0], [[1, 1], [1, -1]], {}, "positive"),
    ([1.0, np.inf], [[1, 1], [1, -1]], {}, "finite"),
    (["a", "b"], [[1, 1], [1, -1]], {}, "alphas must be"),
    ([1.0, 1.0], [[1, 0.5], [1, -1]], {}, "signs must have entries"),
    ([1.0, 1.0], [[1, 0], [1, -1]], {}, "signs must have entries"),
    ([1.0, 1.0], [1, -1], {}, r"\(N, d\)"),
    ([1.0, 1.0, 1.0], [[1, 1], [1, -1]], {}, "one row per alpha"),
    ([1.0, 1.0], [[1, 1], [1, -1]], {"d": 3}, "d = 3 disagrees"),
    ([1.0, 1.0], [[1, 1], [-1, -1]], {}, "not linearly separable"),
    ([1.0], None, {}, "both"),
    (None, None, {"N": 0}, "N must be >= 1"),
    (None, None, {"seed": 1.5}, "seed must be an integer"),
])
def test_gr_validation(alphas, signs, kw, fragment):
    with pytest.raises(DatasetError, match=fragment):
        generalized_rademacher(alphas, signs, **kw)


def test_gr_example_separates_l2_from_linf():
    ds = gr_example()
    assert np.array_equal(ds.X, np.array(GR_ALPHAS)[:, None] * np.array(GR_SIGNS)) and ds.name == "gr_n4_d6"
    l2, li = l2_max_margin(ds.X), linf_max_margin(ds.X)
    assert li.normalised_margin(l2.w, ds.X) < 0.7 * li.margin  # the documented 67%
    assert l2.support == (0, 1, 2, 3) and l2.licq


def test_shifted_diagonal_formula():
    ds = shifted_diagonal((1.0, 2.0, 3.0), 0.5, d=5)
    expect = np.full((3, 5), 0.5)
    expect[[0, 1, 2], [0, 1, 2]] += [1.0, 2.0, 3.0]
    assert np.array_equal(ds.X, expect) and ds.name == "shifted_diagonal_n3_d5"
    default = shifted_diagonal()
    assert np.array_equal(default.X, np.diag([1.0, 2.0, 3.0, 4.0]) + 0.5) and default.name == "shifted_diagonal_n4"
    assert default.meta["a"] == (1.0, 2.0, 3.0, 4.0) and default.meta["b"] == 0.5 and default.meta["d"] == 4
    assert default.assumptions.separable and default.assumptions.nonzero_entries


@pytest.mark.parametrize("kwargs,fragment", [
    ({"a": (2.0, 1.0)}, "a_0 < a_i"), ({"a": (1.0, 1.0)}, "a_0 < a_i"), ({"a": (0.0, 1.0)}, "0 < a_0"),
    ({"a": (-1.0, 1.0)}, "0 < a_0"), ({"a": (1.0,)}, "at least two"), ({"a": ()}, "non-empty"),
    ({"a": (1.0, np.nan)}, "finite"), ({"a": "12"}, "a must be"), ({"a": [[1.0, 2.0]]}, "1-D"),
    ({"b": 0.0}, "b must be positive"), ({"b": -1.0}, "positive"), ({"b": np.inf}, "finite"), ({"b": "x"}, "finite"),
    ({"d": 2}, "d >= N"), ({"d": 4.0}, "integer"), ({"a": (1.0, 1e308), "b": 1e308}, "overflow"),
])
def test_shifted_diagonal_validation(kwargs, fragment):
    with pytest.raises(DatasetError, match=fragment):
        shifted_diagonal(**kwargs)
