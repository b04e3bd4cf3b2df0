"""Validation of user data: errors for what cannot work, warnings for assumptions that fail."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from numerics.datasets import DatasetWarning, from_array, is_separable
from numerics.errors import DatasetError

G = np.random.default_rng(0).standard_normal((6, 12))


@pytest.mark.parametrize("X,y,fragment", [
    (np.ones(3), None, "2-D"),
    (np.ones((0, 3)), None, "at least one"),
    (np.array([[1.0, np.nan]]), None, "NaN/inf"),
    (np.array([[1.0, 2.0], [np.inf, 1.0]]), None, "row 1, column 0"),
    (G, np.r_[np.ones(5), 0.0], "found 0.0"),
    (G, np.ones(5), "5 labels for 6"),
    (np.array([[1.0, 0.0], [0.0, 0.0]]), None, "all zero"),
    (np.array([[1.0, 1.0], [-1.0, -1.0]]), None, "not linearly separable"),
    (np.array([["a", "b"]]), None, "numeric"),
])
def test_errors(X, y, fragment):
    with pytest.raises(DatasetError, match=fragment):
        from_array(X, y)


def test_labels_are_absorbed():
    y = np.array([1, -1, 1, -1, 1, -1])
    ds = from_array(G * y[:, None], y)
    assert np.array_equal(ds.X, G) and not ds.X.flags.writeable


def test_warnings_for_zero_entries_and_duplicates():
    X = np.array([[1.0, 0.0, 2.0], [1.0, 0.0, 2.0], [2.0, 1.0, 1.0]])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ds = from_array(X)
    msgs = " ".join(str(x.message) for x in w if issubclass(x.category, DatasetWarning))
    assert "Assumption 2.2" in msgs and "duplicate rows [1]" in msgs
    assert not ds.assumptions.nonzero_entries and not ds.assumptions.distinct_rows
    assert any("LICQ" in n for n in ds.assumptions.notes())


def test_separability_lp():
    assert is_separable(np.array([[1.0, 0.0], [0.0, 1.0]]))[0]
    ok, gamma = is_separable(np.array([[1.0, 0.0], [-1.0, 0.0]]))
    assert not ok and abs(gamma) < 1e-7
    # scale invariance: extreme magnitudes do not change the answer
    assert is_separable(G * 1e250)[0] and is_separable(G * 1e-250)[0]


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_any_array_loads_or_raises_dataset_error(X):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DatasetWarning)
            ds = from_array(X)
    except DatasetError:
        return
    assert np.all(np.isfinite(ds.X)) and ds.assumptions.separable
