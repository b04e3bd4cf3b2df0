"""Bundled example datasets (package data ``numerics/datasets/examples/``) and ``resolve``: file path or example name.

The files are written by ``python -m numerics.datasets.make_examples`` (deterministic):
``gaussian_n10_d50`` (Ex. 4.10, Fig. 1: gaussian(10, 50, seed=0); also as .csv with mixed labels),
``gr_n4_d6`` (Def. 3.1: gr_example()), ``shifted_diagonal_n4`` (Ex. 4.11: shifted_diagonal()),
``sparse_planted_n60_d10`` (sparse_planted(): D(c*) singular, docs/math.md §13.8).

Real data (``REAL_EXAMPLES``, small public datasets with their sources and licences in examples/REAL_DATA.md,
arrays X and labels y): ``digits_0v1`` (8 x 8 handwritten digits 0 vs 1, 360 x 64, 49% zero pixels, 12 all-zero
columns), ``iris_setosa_versicolor`` (100 x 4), ``wine_0v1`` (130 x 13, feature scales 2500x apart), ``wine_1v2``
(119 x 13, cultivars 1 vs 2, feature scales 1500x apart),
``breast_cancer`` (569 x 30, not linearly separable: refused as such).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from ..errors import DatasetError
from .dataset import Dataset
from .io import load

__all__ = ["EXAMPLES", "SYNTHETIC_EXAMPLES", "REAL_EXAMPLES", "example_path", "resolve"]

SYNTHETIC_EXAMPLES: tuple[str, ...] = ("gaussian_n10_d50", "gr_n4_d6", "shifted_diagonal_n4", "sparse_planted_n60_d10")
REAL_EXAMPLES: tuple[str, ...] = ("digits_0v1", "iris_setosa_versicolor", "wine_0v1", "wine_1v2", "breast_cancer")
EXAMPLES: tuple[str, ...] = SYNTHETIC_EXAMPLES + REAL_EXAMPLES
_EXTENSIONS = (".npz", ".csv")


def _split(name: str) -> tuple[str, str | None]:
    for ext in _EXTENSIONS:
        if name.lower().endswith(ext):
            return name[: -len(ext)], ext
    return name, None


def example_path(name: str) -> Path:
    """Path of a bundled example; ``name`` with or without .npz/.csv (default .npz)."""
    if not isinstance(name, str):
        raise DatasetError(f"an example name must be a string, got {type(name).__name__}")
    stem, ext = _split(name)
    if stem not in EXAMPLES:
        raise DatasetError(f"unknown bundled example {name!r}; available: {', '.join(EXAMPLES)}")
    path = Path(str(resources.files("numerics.datasets") / "examples" / f"{stem}{ext or '.npz'}"))
    if not path.is_file():
        have = sorted(p.name for p in path.parent.glob(f"{stem}.*")) if path.parent.is_dir() else []
        raise DatasetError(f"bundled example {stem!r} has no {ext or '.npz'} file (available: "
                           f"{', '.join(have) or 'none; reinstall the package'})")
    return path


def resolve(spec: str | os.PathLike, *, require_separable: bool = True) -> Dataset:
    """A dataset from an existing file path or, failing that, a bundled example name (with or without extension)."""
    if not isinstance(spec, (str, os.PathLike)):
        raise DatasetError(f"a dataset must be given as a file path or example name, got {type(spec).__name__}")
    try:
        p = Path(spec)
        exists = p.exists()
    except TypeError:
        raise DatasetError("a dataset path must be text, not bytes") from None
    except OSError:
        exists = False
    if exists:
        return load(p, require_separable=require_separable)
    text = os.fspath(spec)
    if isinstance(text, str) and _split(text)[0] in EXAMPLES:
        return load(example_path(text), require_separable=require_separable)
    raise DatasetError(f"no such file or bundled example: {_short(text)}; bundled examples: {', '.join(EXAMPLES)}")


def _short(text: object) -> str:
    s = repr(text) if not isinstance(text, str) else text
    s = s.replace("\n", " ")
    return s if len(s) <= 200 else s[:197] + "..."
