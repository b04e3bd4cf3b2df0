"""Files: npz/csv round trips, and a one-line DatasetError for everything else."""

import os
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numerics.datasets import DatasetWarning, gaussian, load, save_npz
from numerics.errors import DatasetError

G = np.random.default_rng(0).standard_normal((6, 12))
Y = np.array([1, -1, 1, 1, -1, 1.0])


def test_npz_round_trip(tmp_path):
    ds = gaussian(6, 12, seed=1)
    p = save_npz(ds, tmp_path / "a.npz")
    back = load(p)
    assert p == tmp_path / "a.npz" and np.array_equal(back.X, ds.X)
    assert (back.name, back.source) == ("a", str(p))


def test_npz_labels_absorbed_and_extra_keys_ignored(tmp_path):
    np.savez(tmp_path / "b.npz", X=G * Y[:, None], y=Y.astype(int), other=np.zeros(2))
    assert np.array_equal(load(tmp_path / "b.npz").X, G)
    with open(tmp_path / "c.NPZ", "wb") as fh:
        np.savez_compressed(fh, X=G)
    assert np.array_equal(load(tmp_path / "c.NPZ").X, G)


@pytest.mark.parametrize("header", ["x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,y", "# x0,...,y", ""])
def test_csv_with_and_without_header(tmp_path, header):
    p = tmp_path / "d.csv"
    np.savetxt(p, np.hstack([G * Y[:, None], Y[:, None]]), delimiter=",", fmt="%.17g", header=header, comments="")
    ds = load(p)
    assert np.array_equal(ds.X, G) and ds.name == "d"


def test_csv_blank_lines_bom_and_single_row(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("\ufeffa,b,label\n\n1.5,-2,1\n\n-3,4,-1\n", encoding="utf-8")
    assert np.array_equal(load(p).X, [[1.5, -2.0], [3.0, -4.0]])
    p.write_text("2,3,-1\n")
    assert np.array_equal(load(p).X, [[-2.0, -3.0]])


def test_require_separable_passes_through(tmp_path):
    np.savez(tmp_path / "ns.npz", X=np.array([[1.0, 1.0], [-1.0, -1.0]]))
    with pytest.raises(DatasetError, match="not linearly separable"):
        load(tmp_path / "ns.npz")
    assert not load(tmp_path / "ns.npz", require_separable=False).assumptions.separable


@pytest.mark.parametrize("name,content,fragment", [
    ("missing.npz", None, "no such file"),
    ("empty.csv", b"", "is empty"),
    ("empty.npz", b"", "is empty"),
    ("blank.csv", b"\n  \n", "no data"),
    ("garbage.npz", b"\x00\x01garbage", "not an .npz archive"),
    ("pickle.npz", pickle.dumps({"X": [[1.0]]}), "not an .npz archive"),
    ("fake.npz", b"PK\x03\x04garbage that is not a zip", "cannot read .*fake.npz as .npz: File is not a zip file"),
    ("bytes.csv", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("data.txt", b"1,2\n", "unknown file type '.txt'"),
    ("noext", b"1,2\n", "unknown file type '\\(none\\)'"),
    ("bad.csv", b"1,2,1\n3,x,1\n", "line 2, column 1: 'x' is not a number"),
    ("ragged.csv", b"1,2,1\n3,1\n", "line 2 has 2 fields"),
    ("mixed.csv", b"1,x,1\n3,1,1\n", "mixes numbers and text"),
    ("spaces.csv", b"1 2 1\n3 1 1\n", "comma-separated"),
    ("onlyheader.csv", b"a,b,y\n", "header line but no data"),
    ("onecol.csv", b"1\n-1\n", "feature column"),
    ("labels.csv", b"1,2,0\n3,1,1\n", r"labels must be -1 or \+1, found 0; map the classes"),
    ("nan.csv", b"1,nan,1\n3,1,1\n", "NaN/inf"),
    ("zero.csv", b"0,0,1\n3,1,1\n", "all zero"),
])
def test_file_errors(tmp_path, name, content, fragment):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(DatasetError, match=fragment) as info:
        load(p)
    assert "\n" not in str(info.value)


def test_npz_problems(tmp_path):
    np.savez(tmp_path / "nox.npz", Z=G, W=G)
    with pytest.raises(DatasetError, match="no array 'X' \\(found 'Z', 'W'\\)"):
        load(tmp_path / "nox.npz")
    np.savez(tmp_path / "obj.npz", X=np.array([[1, "a"]], dtype=object))
    with pytest.raises(DatasetError, match="pickled object array"):
        load(tmp_path / "obj.npz")
    np.savez(tmp_path / "str.npz", X=np.array([["a", "b"]]))
    with pytest.raises(DatasetError, match="numeric"):
        load(tmp_path / "str.npz")
    np.savez(tmp_path / "cplx.npz", X=G + 1j)
    with pytest.raises(DatasetError, match="complex"):
        load(tmp_path / "cplx.npz")
    np.savez(tmp_path / "y.npz", X=G, y=np.ones(5))
    with pytest.raises(DatasetError, match="5 labels for 6"):
        load(tmp_path / "y.npz")
    np.save(tmp_path / "arr.npy", G)
    os.replace(tmp_path / "arr.npy", tmp_path / "arr.npz")
    with pytest.raises(DatasetError, match="single .npy array"):
        load(tmp_path / "arr.npz")


def test_path_problems(tmp_path):
    with pytest.raises(DatasetError, match="directory"):
        load(tmp_path)
    with pytest.raises(DatasetError, match="string or path"):
        load(3)
    with pytest.raises(DatasetError, match="got bytes"):
        load(b"x.npz")
    with pytest.raises(DatasetError):
        load(tmp_path / ("x" * 5000 + ".npz"))  # name too long for the OS
    if os.name == "posix" and os.geteuid() != 0:
        p = tmp_path / "locked.csv"
        p.write_text("1,2,1\n")
        p.chmod(0)
        with pytest.raises(DatasetError, match="cannot read"):
            load(p)


def test_save_npz_problems(tmp_path):
    ds = gaussian(3, 4, seed=0)
    with pytest.raises(DatasetError, match="ending in .npz"):
        save_npz(ds, tmp_path / "a.csv")
    with pytest.raises(DatasetError, match="cannot write"):
        save_npz(ds, tmp_path / "no" / "dir" / "a.npz")
    with pytest.raises(DatasetError, match="needs a Dataset"):
        save_npz(ds.X, tmp_path / "a.npz")


_CSV_CHARS = st.sampled_from(list("0123456789.,-+e\n ,x#") + ["nan", "inf", "1", "-1"])


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["f.csv", "f.npz"]), st.one_of(st.binary(max_size=64), st.lists(_CSV_CHARS, max_size=40).map(
    lambda parts: "".join(parts).encode())))
def test_any_file_loads_or_raises_dataset_error(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DatasetWarning)
            ds = load(p)
    except DatasetError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert ds.X.ndim == 2 and np.all(np.isfinite(ds.X)) and ds.assumptions.separable
