"""from_array and the separability LP: errors for what cannot work, warnings for assumptions that fail."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from numerics.datasets import SEPARABILITY_THRESHOLD, DatasetWarning, from_array, is_separable
from numerics.errors import DatasetError

G = np.random.default_rng(0).standard_normal((6, 12))


def _quiet(X, y=None, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = from_array(X, y, **kw)
    return ds, [str(w.message) for w in caught if issubclass(w.category, DatasetWarning)]


@pytest.mark.parametrize("X,y,fragment", [
    (np.ones(3), None, "2-D"),
    (np.ones((2, 2, 2)), None, "2-D"),
    (5.0, None, "2-D"),
    (np.ones((0, 3)), None, "at least one"),
    (np.ones((3, 0)), None, "at least one"),
    ([[1.0, 2.0], [3.0]], None, "rectangular"),
    (np.array([["a", "b"]]), None, "numeric"),
    (np.array([[1 + 2j, 1.0]]), None, "complex"),
    (np.array([[1.0, None]], dtype=object), None, "NaN/inf"),  # None is a missing value
    (np.array([[1.0, "x"]], dtype=object), None, "real numbers"),
    (np.array([["2020-01-01"]], dtype="datetime64[D]"), None, "numeric"),
    (np.array([[1.0, np.nan]]), None, r"NaN/inf entry \(first at row 0, column 1\)"),
    (np.array([[1.0, 2.0], [np.inf, -np.inf]]), None, r"2 NaN/inf entries \(first at row 1, column 0\)"),
    (G, np.r_[np.ones(5), 0.0], "found 0;"),
    (G, np.r_[np.ones(4), 2.0, 0.0], "found 0, 2"),
    (G, np.r_[np.ones(5), np.nan], "found nan"),
    (G, np.ones(5), "5 labels for 6"),
    (G, np.ones((6, 2)), "1-D"),
    (G, np.array(["a"] * 6), "numeric"),
    (np.array([[1.0, 0.0], [0.0, 0.0]]), None, r"row\(s\) 1 are all zero.*Assumption 2.1"),
    (np.array([[1.0, 1.0], [-1.0, -1.0]]), None, "not linearly separable.*Assumption 2.1"),
    (np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]]), None, "not linearly separable"),  # XOR-like
    (np.vstack([G[0], G[0]]), np.array([1, -1]), "not linearly separable"),  # labels make x and -x
])
def test_errors(X, y, fragment):
    with pytest.raises(DatasetError, match=fragment) as info:
        from_array(X, y)
    assert "\n" not in str(info.value)


def test_labels_are_absorbed_for_every_label_spelling():
    signs = np.array([1, -1, 1, -1, 1, -1])
    for y in (signs, signs.astype(float), signs.tolist(), signs[:, None], signs[None, :]):
        ds = from_array(G * signs[:, None], y)
        assert np.array_equal(ds.X, G) and not ds.X.flags.writeable


def test_non_separable_allowed_on_request():
    ds, _ = _quiet(np.array([[1.0, 1.0], [-1.0, -1.0]]), require_separable=False)
    assert not ds.assumptions.separable and "Assumption 2.1" in ds.assumptions.notes()[0]


def test_zero_entries_warn_and_are_recorded():
    ds, msgs = _quiet(np.array([[1.0, 0.0, 2.0], [2.0, 1.0, 0.0]]))
    assert any("2 of 6 entries are zero" in m and "Assumption 2.2" in m for m in msgs)
    assert not ds.assumptions.nonzero_entries and ds.assumptions.separable


def test_duplicates_warn_with_indices():
    X = np.array([[1.0, 3.0, 2.0], [1.0, 3.0, 2.0], [2.0, 1.0, 1.0], [-1.0, -3.0, -2.0]])
    ds, msgs = _quiet(X, np.array([1, 1, 1, -1]))  # row 3 equals row 0 after label absorption
    assert any("duplicate rows after label absorption: 1 (= row 0), 3 (= row 0)" in m for m in msgs)
    assert not ds.assumptions.distinct_rows and any("LICQ" in n for n in ds.assumptions.notes())


def test_clean_data_give_no_warning_and_gr_flag():
    ds, msgs = _quiet(np.array([[2.0, -2.0, 2.0], [0.5, 0.5, 0.5]]))
    assert msgs == [] and ds.assumptions.generalized_rademacher and ds.assumptions.distinct_rows
    ds, _ = _quiet(G)
    assert not ds.assumptions.generalized_rademacher and ds.assumptions.licq is None


def test_separability_lp_on_hand_made_data():
    ok, gamma = is_separable(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert ok and gamma == pytest.approx(1.0, abs=1e-6)  # w = (1, 1)
    ok, gamma = is_separable(np.array([[2.0, 1.0], [1.0, -2.0]]))  # rows (1, 1/2), (1/2, -1): w = (1, -1/3)
    assert ok and gamma == pytest.approx(5 / 6, abs=1e-6)
    ok, gamma = is_separable(np.array([[1.0, 0.0], [-1.0, 0.0]]))  # x and -x
    assert not ok and 0.0 <= gamma <= SEPARABILITY_THRESHOLD
    assert not is_separable(np.array([[1.0, 1.0], [-1.0, 1.0], [0.0, -1.0]]))[0]  # 0 in the convex hull
    assert is_separable(np.array([[1.0, 1e-9]]))[0] and is_separable(np.array([[-3.0]]))[0]
    assert is_separable(np.array([[0.0, 0.0], [1.0, 1.0]])) == (False, 0.0)


def test_separability_is_scale_invariant():
    for s in (1e-300, 1e-150, 1.0, 1e150, 1e300):
        assert is_separable(G * s)[0]
        assert not is_separable(np.vstack([G, -G[:1]]) * s)[0]
    rows = np.array([[1e300, 1.0], [-1e-300, 1e-300]])  # separable by (1/2, 1) after row scaling
    assert is_separable(rows)[0]
    ds, msgs = _quiet(rows)
    assert any("row scales" in m for m in msgs)


@pytest.mark.parametrize("X", [np.ones(2), np.array([[np.nan]]), [["x"]]])
def test_is_separable_rejects_bad_input(X):
    with pytest.raises(DatasetError):
        is_separable(X)


def test_name_and_source_must_be_strings():
    with pytest.raises(DatasetError, match="strings"):
        from_array(G, name=3)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)),
       st.one_of(st.none(), st.lists(st.sampled_from([-1, 1, 0, 2]), min_size=1, max_size=5)))
def test_any_array_loads_or_raises_dataset_error(X, y):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DatasetWarning)
            ds = from_array(X, y)
    except DatasetError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert np.all(np.isfinite(ds.X)) and ds.assumptions.separable and ds.X.shape == X.shape
    if y is not None:
        assert np.array_equal(ds.X, X * np.asarray(y, float)[:, None])
