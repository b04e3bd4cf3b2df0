"""The Dataset object: label-absorbed rows y_i x_i (Sec. 1.2, 'WLOG y_i = 1') with the paper's assumptions recorded.

``Dataset`` only stores and freezes; the checks that fill ``Assumptions`` live in
``numerics.datasets.validate.from_array``, the entry point for user data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..errors import DatasetError

__all__ = ["Assumptions", "Dataset", "DatasetWarning"]


class DatasetWarning(UserWarning):
    """A property of the data that some claims of the paper need (e.g. Assumption 2.2, distinct points)."""


@dataclass(frozen=True)
class Assumptions:
    """Which of the paper's assumptions the data satisfy.

    separable: Assumption 2.1 (some w has <w, x_i> > 0 for all i);
    nonzero_entries: Assumption 2.2 (x_i[k] != 0 for all i, k);
    generalized_rademacher: Def. 3.1 (|x_i[k]| = |x_i[l]| for all k, l, each i; exact equality);
    distinct_rows: no point repeated (after label absorption);
    licq: Assumption 4.7 at a computed support set (None until a solver has looked).
    """

    separable: bool
    nonzero_entries: bool
    generalized_rademacher: bool
    distinct_rows: bool
    licq: bool | None = None

    def notes(self) -> list[str]:
        """One line per failed assumption, naming the claims of the paper it affects (empty if all hold)."""
        out = []
        if not self.separable:
            out.append("Assumption 2.1 fails (not linearly separable): no claim of the paper applies; the loss "
                       "cannot reach 0 and no max-margin direction exists")
        if not self.nonzero_entries:
            out.append("Assumption 2.2 fails (zero entries): D(c) of Def. 4.6 may be singular; Prop. 2.4, 2.5, "
                       "Cor. 3.2, Thm 3.3, Prop. 4.3, Lemma 4.5 and Thm 4.8 assume nonzero entries")
        if not self.distinct_rows:
            out.append("duplicate rows: if they are support vectors they are linearly dependent, so LICQ "
                       "(Assumption 4.7) and the uniqueness of the dual in Thm 4.8 fail")
        if self.licq is False:
            out.append("LICQ (Assumption 4.7) fails at the support set: the dual of P(c) (Def. 4.6) is not unique, "
                       "so T(c) of Thm 4.8 is not well defined")
        return out

    def needs(self) -> list[str]:
        """Alias of :meth:`notes`."""
        return self.notes()


@dataclass(frozen=True, eq=False)
class Dataset:
    """Label-absorbed data (rows y_i x_i, read-only float64 copy) plus provenance and assumptions.

    Build it with ``from_array`` (or a generator / ``load``), which validates the data; constructing
    ``Dataset`` directly only checks the shape and finiteness.  ``meta`` is frozen into a read-only
    mapping (lists become tuples).  Two datasets are equal when all fields are (X compared exactly).
    """

    X: np.ndarray
    name: str
    assumptions: Assumptions
    source: str = "array"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            X = np.array(self.X, dtype=np.float64, copy=True)
        except (TypeError, ValueError):
            raise DatasetError("Dataset.X must be a numeric (N, d) array; build datasets with from_array") from None
        if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1 or not np.all(np.isfinite(X)):
            raise DatasetError(f"Dataset.X must be a finite (N, d) array with N, d >= 1, got shape {X.shape}; "
                               "build datasets with from_array")
        if not isinstance(self.name, str) or not isinstance(self.source, str):
            raise DatasetError("Dataset.name and Dataset.source must be strings")
        if not isinstance(self.assumptions, Assumptions):
            raise DatasetError("Dataset.assumptions must be an Assumptions instance")
        X.flags.writeable = False
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "meta", MappingProxyType({str(k): _freeze(v) for k, v in dict(self.meta).items()}))

    @property
    def N(self) -> int:
        """Number of samples."""
        return int(self.X.shape[0])

    @property
    def d(self) -> int:
        """Dimension."""
        return int(self.X.shape[1])

    def with_name(self, name: str) -> Dataset:
        """The same data under another name."""
        return dataclasses.replace(self, name=name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (self.X.shape == other.X.shape and bool(np.array_equal(self.X, other.X)) and self.name == other.name
                and self.assumptions == other.assumptions and self.source == other.source
                and dict(self.meta) == dict(other.meta))

    __hash__ = None  # X is an array: datasets are not hashable

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, N={self.N}, d={self.d}, source={self.source!r})"


def _freeze(value: Any) -> Any:
    """Lists/arrays/dicts in meta become tuples/read-only mappings, so a Dataset cannot be changed through it."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, np.generic):
        return value.item()
    return value
