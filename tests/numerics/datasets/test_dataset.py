"""The Dataset and Assumptions types: frozen, read-only X, frozen meta, notes naming the affected claims."""

import dataclasses

import numpy as np
import pytest

from numerics.datasets import Assumptions, Dataset, from_array
from numerics.errors import DatasetError, ToolkitError

OK = Assumptions(True, True, False, True)


def test_x_is_a_private_read_only_copy():
    X = np.array([[1.0, 2.0], [3.0, 1.0]])
    ds = Dataset(X, "a", OK)
    X[0, 0] = 99.0
    assert ds.X[0, 0] == 1.0 and ds.X.dtype == np.float64 and not ds.X.flags.writeable
    with pytest.raises(ValueError):
        ds.X[0, 0] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.name = "b"
    assert (ds.N, ds.d) == (2, 2)


def test_meta_is_frozen_deeply():
    ds = Dataset(np.eye(2), "a", OK, meta={"alphas": [1.0, 2.0], "signs": np.ones((2, 2)), "sub": {"k": [1]}})
    assert ds.meta["alphas"] == (1.0, 2.0) and ds.meta["signs"] == ((1.0, 1.0), (1.0, 1.0))
    with pytest.raises(TypeError):
        ds.meta["x"] = 1
    with pytest.raises(TypeError):
        ds.meta["sub"]["k"] = 2
    assert ds.meta["sub"]["k"] == (1,)


def test_equality_repr_and_with_name():
    X = np.eye(3) + 1.0
    a, b = from_array(X, name="e"), from_array(X, name="e")
    assert a == b and a != a.with_name("f") and a.with_name("f").name == "f"
    assert a != from_array(2 * X, name="e") and a != "e"
    assert repr(a) == "Dataset(name='e', N=3, d=3, source='array')"
    with pytest.raises(TypeError):
        hash(a)


@pytest.mark.parametrize("X", [np.ones(3), np.ones((0, 2)), np.array([[np.nan, 1.0]]), [["a"]]])
def test_direct_construction_checks_shape_and_finiteness(X):
    with pytest.raises(DatasetError, match="from_array"):
        Dataset(X, "bad", OK)


def test_direct_construction_checks_field_types():
    with pytest.raises(DatasetError, match="strings"):
        Dataset(np.eye(2), 3, OK)
    with pytest.raises(DatasetError, match="Assumptions"):
        Dataset(np.eye(2), "a", {"separable": True})


def test_notes_name_the_claims():
    assert OK.notes() == [] and OK.needs() == []
    bad = Assumptions(separable=False, nonzero_entries=False, generalized_rademacher=False, distinct_rows=False,
                      licq=False)
    text = " | ".join(bad.notes())
    for fragment in ("Assumption 2.1", "Assumption 2.2", "Def. 4.6", "Thm 4.8", "Prop. 2.4", "LICQ", "duplicate"):
        assert fragment in text
    assert len(bad.notes()) == 4 and all("\n" not in n for n in bad.notes())


def test_dataset_error_is_a_toolkit_value_error():
    assert issubclass(DatasetError, ToolkitError) and issubclass(DatasetError, ValueError)
