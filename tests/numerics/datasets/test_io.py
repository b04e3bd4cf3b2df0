"""Files and bundled examples: round trips, and one-line errors for everything else."""

import numpy as np
import pytest

from numerics.datasets import EXAMPLES, example_path, gaussian, load, resolve, save_npz
from numerics.datasets.make_examples import write_examples
from numerics.errors import DatasetError

G = np.random.default_rng(0).standard_normal((6, 12))


def test_npz_round_trip(tmp_path):
    ds = gaussian(6, 12, seed=1)
    assert np.array_equal(load(save_npz(ds, tmp_path / "a.npz")).X, ds.X)
    np.savez(tmp_path / "b.npz", X=G, y=-np.ones(6), other=np.zeros(2))
    assert np.array_equal(load(tmp_path / "b.npz").X, -G)


@pytest.mark.parametrize("header", [True, False])
def test_csv_with_and_without_header(tmp_path, header):
    y = np.array([1, -1, 1, 1, -1, 1.0])
    p = tmp_path / "d.csv"
    np.savetxt(p, np.hstack([G * y[:, None], y[:, None]]), delimiter=",", fmt="%.17g",
               header="a,b,c" if header else "", comments="")
    assert np.array_equal(load(p).X, G)


@pytest.mark.parametrize("name,content,fragment", [
    ("missing.npz", None, "no such file"),
    ("empty.csv", b"", "empty"),
    ("garbage.npz", b"\x00\x01garbage", "cannot read"),
    ("data.txt", b"1,2\n", "unknown file type"),
    ("bad.csv", b"1,2,1\n3,x,1\n", "malformed"),
    ("onecol.csv", b"1\n-1\n", "feature column"),
])
def test_file_errors(tmp_path, name, content, fragment):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(DatasetError, match=fragment):
        load(p)


def test_npz_without_x_and_with_pickles(tmp_path):
    np.savez(tmp_path / "nox.npz", Z=G)
    with pytest.raises(DatasetError, match="no array 'X'.*Z"):
        load(tmp_path / "nox.npz")
    np.savez(tmp_path / "obj.npz", X=np.array([[1, "a"]], dtype=object))
    with pytest.raises(DatasetError):
        load(tmp_path / "obj.npz")
    with pytest.raises(DatasetError, match="directory"):
        load(tmp_path)


def test_examples_bundled_and_reproducible(tmp_path):
    for name in EXAMPLES:
        assert example_path(name).exists() and resolve(name).N >= 2
    assert np.array_equal(resolve("gaussian_n10_d50.csv").X, resolve("gaussian_n10_d50").X)
    for p in write_examples(tmp_path):  # regenerating gives the shipped files' data
        shipped = example_path(p.name)
        assert np.array_equal(load(p).X, load(shipped).X)
    with pytest.raises(DatasetError, match="bundled examples"):
        resolve("nope")
