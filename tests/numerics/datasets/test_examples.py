"""Bundled examples: present, loadable, consistent with their generators, regenerated identically."""

import subprocess
import sys

import numpy as np
import pytest

from numerics.datasets import (EXAMPLES, example_path, gaussian, gr_example, load, resolve, save_npz,
                               shifted_diagonal, sparse_planted)
from numerics.datasets.bundled import REAL_EXAMPLES, SYNTHETIC_EXAMPLES
from numerics.datasets.make_examples import write_examples
from numerics.errors import DatasetError


def test_examples_exist_and_load():
    assert SYNTHETIC_EXAMPLES == ("gaussian_n10_d50", "gr_n4_d6", "shifted_diagonal_n4", "sparse_planted_n60_d10")
    assert EXAMPLES == SYNTHETIC_EXAMPLES + REAL_EXAMPLES
    for name in EXAMPLES:
        if name == "breast_cancer":
            continue
        for spec in (name, f"{name}.npz"):
            ds = resolve(spec)
            assert example_path(spec).is_file() and ds.name == name and ds.assumptions.separable


def test_examples_match_their_generators():
    assert np.array_equal(resolve("gaussian_n10_d50").X, gaussian(10, 50, seed=0).X)
    assert np.array_equal(resolve("gr_n4_d6").X, gr_example().X)
    assert resolve("gr_n4_d6").assumptions.generalized_rademacher
    assert np.array_equal(resolve("shifted_diagonal_n4").X, shifted_diagonal().X)
    assert np.array_equal(resolve("sparse_planted_n60_d10").X, sparse_planted().X)


def test_real_examples_are_what_their_readme_says():
    """Shapes, zeros and scales of the real data (examples/REAL_DATA.md); breast cancer is refused as not
    separable, naming its margin."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digits, iris, wine, wine12 = (resolve(n).X for n in ("digits_0v1", "iris_setosa_versicolor", "wine_0v1",
                                                             "wine_1v2"))
    assert digits.shape == (360, 64) and 0.49 < np.mean(digits == 0) < 0.5
    assert int(np.sum(~np.any(digits != 0, axis=0))) == 12
    assert iris.shape == (100, 4) and not np.any(iris == 0)
    top = np.abs(wine).max(axis=0)
    assert wine.shape == (130, 13) and top.max() / top.min() > 1e3
    top = np.abs(wine12).max(axis=0)
    assert wine12.shape == (119, 13) and top.max() / top.min() > 1e3
    with pytest.raises(DatasetError, match="not linearly separable"):
        resolve("breast_cancer")
    assert resolve("breast_cancer", require_separable=False).X.shape == (569, 30)


def test_csv_example_has_mixed_labels_and_re_absorbs_them():
    p = example_path("gaussian_n10_d50.csv")
    raw = np.loadtxt(p, delimiter=",", skiprows=1)
    assert set(raw[:, -1]) == {-1.0, 1.0}
    assert not np.array_equal(raw[:, :-1], resolve("gaussian_n10_d50").X)  # stored un-absorbed
    assert np.array_equal(load(p).X, resolve("gaussian_n10_d50").X)
    assert np.array_equal(resolve("gaussian_n10_d50.csv").X, resolve("gaussian_n10_d50").X)


def test_make_examples_is_deterministic(tmp_path):
    for p in write_examples(tmp_path):
        shipped = example_path(p.name)
        assert np.array_equal(load(p).X, load(shipped).X), p.name
        assert p.read_bytes() == shipped.read_bytes(), p.name
    again = write_examples(tmp_path / "again")
    assert [q.read_bytes() for q in again] == [(tmp_path / q.name).read_bytes() for q in again]


def test_make_examples_runs_as_a_module(tmp_path):
    r = subprocess.run([sys.executable, "-m", "numerics.datasets.make_examples", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert sorted(q.name for q in tmp_path.iterdir()) == sorted(
        ["gaussian_n10_d50.npz", "gaussian_n10_d50.csv", "gr_n4_d6.npz", "shifted_diagonal_n4.npz",
         "sparse_planted_n60_d10.npz"])


def test_resolve_prefers_existing_files(tmp_path, monkeypatch):
    save_npz(shifted_diagonal((1.0, 5.0)), tmp_path / "gr_n4_d6.npz")
    monkeypatch.chdir(tmp_path)
    assert resolve("gr_n4_d6.npz").N == 2  # the local file, not the bundled example
    assert resolve("gr_n4_d6").N == 4  # no file of that exact name: the bundled example
    assert resolve(tmp_path / "gr_n4_d6.npz").N == 2


@pytest.mark.parametrize("spec,fragment", [
    ("nope", "no such file or bundled example: nope; bundled examples: gaussian_n10_d50, gr_n4_d6"),
    ("dir/gr_n4_d6", "no such file or bundled example"),
    (3, "file path or example name"),
])
def test_resolve_errors(spec, fragment):
    with pytest.raises(DatasetError, match=fragment):
        resolve(spec)


def test_example_path_errors():
    with pytest.raises(DatasetError, match="unknown bundled example 'nope'; available: gaussian_n10_d50"):
        example_path("nope")
    with pytest.raises(DatasetError, match="has no .csv file \\(available: gr_n4_d6.npz\\)"):
        example_path("gr_n4_d6.csv")
    with pytest.raises(DatasetError, match="string"):
        example_path(None)
