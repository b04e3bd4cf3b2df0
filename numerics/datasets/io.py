"""Reading and writing dataset files: .npz (array X, optional labels y) and .csv (last column the +-1 label).

Every failure (missing file, directory, empty or corrupt file, wrong type, pickled arrays,
malformed rows) is a one-line DatasetError; the loaded arrays then go through ``from_array``, so
files get exactly the validation of in-memory data.  ``name`` is the file stem, ``source`` the path.
"""

from __future__ import annotations

import io as _io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DatasetError
from .dataset import Dataset
from .validate import from_array

__all__ = ["load", "save_npz"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NPY_MAGIC = b"\x93NUMPY"
# What a corrupt / hostile .npz can raise inside numpy and zipfile.
_READ_ERRORS = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error, NotImplementedError,
                RuntimeError, struct.error, OverflowError, MemoryError)
_FORMATS = "use .npz (array X, optional y) or .csv (last column the +-1 label)"


def load(path: str | os.PathLike, *, require_separable: bool = True) -> Dataset:
    """Load a .npz or .csv dataset file (see the module docstring); every failure is a one-line DatasetError.

    .npz: array ``X`` (N, d), optional ``y`` (N labels +-1), other arrays ignored; opened with
    ``allow_pickle=False``.  .csv: comma-separated, last column the label, an optional header line
    (a first line of which no field is a number).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise DatasetError(f"a dataset path must be a string or path, got {type(path).__name__}")
    try:
        p = Path(path)
    except TypeError:
        raise DatasetError("a dataset path must be text, not bytes") from None
    try:
        if not p.exists():
            raise DatasetError(f"no such file: {p}")
        if p.is_dir():
            raise DatasetError(f"{p} is a directory, not a data file")
        size = p.stat().st_size
    except OSError as exc:
        raise DatasetError(f"cannot access {_name(p)}: {exc.strerror or type(exc).__name__}") from None
    suffix = p.suffix.lower()
    if suffix not in (".npz", ".csv"):
        raise DatasetError(f"unknown file type {suffix or '(none)'!r} for {_name(p)}: {_FORMATS}")
    if size == 0:
        raise DatasetError(f"{_name(p)} is empty")
    X, y = _read_npz(p) if suffix == ".npz" else _read_csv(p)
    return from_array(X, y, name=p.stem, source=str(p), require_separable=require_separable)


def save_npz(dataset: Dataset, path: str | os.PathLike) -> Path:
    """Write ``dataset.X`` (label-absorbed) as array ``X`` of a .npz file; ``load`` gives the same X back."""
    if not isinstance(dataset, Dataset):
        raise DatasetError(f"save_npz needs a Dataset, got {type(dataset).__name__}")
    p = Path(path)
    if p.suffix.lower() != ".npz":
        raise DatasetError(f"save_npz writes .npz files: give a path ending in .npz, got {_name(p)}")
    try:
        with open(p, "wb") as fh:  # a file object: np.savez would otherwise append '.npz' to odd names
            np.savez(fh, X=np.asarray(dataset.X))
    except OSError as exc:
        raise DatasetError(f"cannot write {_name(p)}: {exc.strerror or type(exc).__name__}") from None
    return p


# ----------------------------------------------------------------------------- readers
def _read_npz(p: Path) -> tuple[np.ndarray, Any]:
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise DatasetError(f"cannot read {_name(p)}: {exc.strerror or type(exc).__name__}") from None
    if head.startswith(_NPY_MAGIC):
        raise DatasetError(f"{_name(p)} is a single .npy array, not an .npz archive: save it with "
                           "numpy.savez(path, X=X, y=y)")
    if not head.startswith(_ZIP_MAGIC):
        raise DatasetError(f"{_name(p)} is not an .npz archive (not a zip file): save data with "
                           "numpy.savez(path, X=X, y=y)")
    try:
        with np.load(p, allow_pickle=False) as z:
            if "X" not in z.files:
                found = ", ".join(repr(k) for k in z.files[:10]) or "no arrays"
                raise DatasetError(f"{_name(p)} has no array 'X' (found {found}); store the (N, d) data as X")
            X = _array(z, "X", p)
            y = _array(z, "y", p) if "y" in z.files else None
    except DatasetError:
        raise
    except _READ_ERRORS as exc:
        raise DatasetError(f"cannot read {_name(p)} as .npz: {_first_line(exc)}") from None
    return X, y


def _array(z: Any, key: str, p: Path) -> np.ndarray:
    try:
        return np.asarray(z[key])
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise DatasetError(f"array {key!r} in {_name(p)} is a pickled object array, which is never loaded (it "
                               "could run code): store a numeric array") from None
        raise


def _read_csv(p: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError(f"{_name(p)} is not UTF-8 text; save the CSV as plain text") from None
    except OSError as exc:
        raise DatasetError(f"cannot read {_name(p)}: {exc.strerror or type(exc).__name__}") from None
    lines = [(n, ln.strip()) for n, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
    if not lines:
        raise DatasetError(f"{_name(p)} has no data (only blank lines)")
    numeric = [_is_number(f) for f in lines[0][1].split(",")]
    if not any(numeric):
        lines = lines[1:]  # a header line
        if not lines:
            raise DatasetError(f"{_name(p)} has a header line but no data rows")
    elif not all(numeric):
        raise DatasetError(f"line {lines[0][0]} of {_name(p)} mixes numbers and text: a header must be all names, "
                           "a data row all numbers (comma-separated)")
    try:
        A = np.loadtxt(_io.StringIO("\n".join(ln for _, ln in lines)), delimiter=",", ndmin=2, comments=None,
                       dtype=np.float64)
    except ValueError:
        raise DatasetError(_csv_problem(p, lines)) from None
    if A.shape[1] < 2:
        raise DatasetError(f"{_name(p)} needs at least one feature column and a final label column (+-1), "
                           f"got {A.shape[1]} column")
    return A[:, :-1], A[:, -1]


def _csv_problem(p: Path, lines: list[tuple[int, str]]) -> str:
    """A one-line description of the first malformed CSV row (np.loadtxt's message is not specific)."""
    width = len(lines[0][1].split(","))
    for n, ln in lines:
        fields = ln.split(",")
        if len(fields) != width:
            return (f"malformed CSV {_name(p)}: line {n} has {len(fields)} fields, the first data row {width}; "
                    "every row needs the same columns")
        for k, f in enumerate(fields):
            if not _is_number(f):
                return (f"malformed CSV {_name(p)}: line {n}, column {k}: {_short(f)} is not a number "
                        "(fields must be comma-separated numbers)")
    return f"malformed CSV {_name(p)}: rows must be comma-separated numbers"


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _short(text: str) -> str:
    text = repr(text)
    return text if len(text) <= 40 else text[:37] + "..."


def _name(p: Path) -> str:
    text = str(p)
    return text if len(text) <= 200 else "..." + text[-197:]
