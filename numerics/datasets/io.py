"""Reading and writing datasets: .npz (array X, optional y) and .csv (last column the +-1 label); bundled examples."""

from __future__ import annotations

import io as _io
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import DatasetError
from .dataset import Dataset, from_array

__all__ = ["load", "save_npz", "EXAMPLES", "example_path", "resolve"]

EXAMPLES = ("gaussian_n10_d50", "gr_n4_d6", "shifted_diagonal_n4")


def load(path: str | Path, *, require_separable: bool = True) -> Dataset:
    """Load a dataset file; every failure is a one-line DatasetError."""
    p = Path(path)
    if not p.exists():
        raise DatasetError(f"no such file: {p}")
    if p.is_dir():
        raise DatasetError(f"{p} is a directory, not a data file")
    suffix = p.suffix.lower()
    if suffix == ".npz":
        X, y = _read_npz(p)
    elif suffix == ".csv":
        X, y = _read_csv(p)
    else:
        raise DatasetError(f"unknown file type {suffix or '(none)'!r} for {p.name}: use .npz (array X, optional y) "
                           "or .csv (last column the +-1 label)")
    return from_array(X, y, name=p.stem, source=str(p), require_separable=require_separable)


def _read_npz(p: Path):
    try:
        with np.load(p, allow_pickle=False) as z:
            if "X" not in z.files:
                raise DatasetError(f"{p.name} has no array 'X' (found: {', '.join(z.files) or 'nothing'})")
            X = np.asarray(z["X"])
            y = np.asarray(z["y"]) if "y" in z.files else None
    except DatasetError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise DatasetError(f"cannot read {p.name} as .npz: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise DatasetError(f"array X in {p.name} is not numeric (dtype {X.dtype})")
    return X, y


def _read_csv(p: Path):
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {p.name} as text: {type(exc).__name__}") from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise DatasetError(f"{p.name} is empty")
    try:
        [float(v) for v in lines[0].split(",")]
    except ValueError:
        lines = lines[1:]  # a header line
    if not lines:
        raise DatasetError(f"{p.name} has a header but no data")
    try:
        A = np.loadtxt(_io.StringIO("\n".join(lines)), delimiter=",", ndmin=2)
    except ValueError as exc:
        raise DatasetError(f"malformed CSV {p.name}: {str(exc).splitlines()[0]}") from None
    if A.shape[1] < 2:
        raise DatasetError(f"{p.name} needs at least one feature column and a final label column")
    return A[:, :-1], A[:, -1]


def save_npz(dataset: Dataset, path: str | Path) -> Path:
    """Write X (label-absorbed) to .npz; loading gives the same X."""
    p = Path(path)
    np.savez(p, X=np.asarray(dataset.X))
    return p


def example_path(name: str) -> Path:
    """Path of a bundled example (name with or without .npz/.csv)."""
    stem = name[:-4] if name.endswith((".npz", ".csv")) else name
    if stem not in EXAMPLES:
        raise DatasetError(f"unknown bundled example {name!r}; available: {', '.join(EXAMPLES)}")
    ext = name[-4:] if name.endswith((".npz", ".csv")) else ".npz"
    return Path(str(resources.files("numerics.datasets") / "examples" / f"{stem}{ext}"))


def resolve(spec: str | Path) -> Dataset:
    """A dataset from a file path or, if no such file exists, a bundled example name."""
    p = Path(spec)
    if p.exists():
        return load(p)
    stem = p.name[:-4] if p.name.endswith((".npz", ".csv")) else p.name
    if str(spec) in (stem, f"{stem}.npz", f"{stem}.csv") and stem in EXAMPLES:
        return load(example_path(str(spec)))
    raise DatasetError(f"no such file or bundled example: {spec} (bundled examples: {', '.join(EXAMPLES)})")
