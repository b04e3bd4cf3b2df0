"""The Dataset object: label-absorbed rows y_i x_i, validated, with the paper's assumptions recorded."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import cvxpy as cp
import numpy as np

from ..errors import DatasetError

__all__ = ["Assumptions", "Dataset", "DatasetWarning", "from_array", "is_separable"]

# An LP margin below this fraction of the data scale is indistinguishable from 0 at Clarabel's
# default tolerances (1e-8 relative): we call such data non-separable rather than trust it.
SEPARABILITY_THRESHOLD = 1e-7


class DatasetWarning(UserWarning):
    """A property of the data that some claims of the paper need (e.g. Assumption 2.2)."""


@dataclass(frozen=True)
class Assumptions:
    """Which of the paper's assumptions the data satisfy.

    separable: Assumption 2.1; nonzero_entries: Assumption 2.2; generalized_rademacher: Def. 3.1
    (|x_i[k]| independent of k); distinct_rows: no duplicated point; licq: Assumption 4.7 at a
    computed support set (None until a solver has looked).
    """

    separable: bool
    nonzero_entries: bool
    generalized_rademacher: bool
    distinct_rows: bool
    licq: bool | None = None

    def notes(self) -> list[str]:
        out = []
        if not self.nonzero_entries:
            out.append("Assumption 2.2 fails (zero entries): D(c) of Def. 4.6 may be singular; Prop. 2.4, 2.5, "
                       "Cor. 3.2, Thm 3.3, Lemma 4.5 and Thm 4.8 assume nonzero entries")
        if not self.distinct_rows:
            out.append("duplicate rows: support vectors are linearly dependent, so LICQ (Assumption 4.7) fails "
                       "if they are support vectors")
        if self.licq is False:
            out.append("LICQ (Assumption 4.7) fails at the support set: the dual of P(c) is not unique")
        return out


@dataclass(frozen=True)
class Dataset:
    """Label-absorbed data (rows y_i x_i, read-only float64) plus provenance and assumptions."""

    X: np.ndarray
    name: str
    assumptions: Assumptions
    source: str = "array"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        X = np.array(self.X, dtype=float, copy=True)
        X.flags.writeable = False
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @property
    def N(self) -> int:
        return int(self.X.shape[0])

    @property
    def d(self) -> int:
        return int(self.X.shape[1])


def is_separable(X: np.ndarray) -> tuple[bool, float]:
    """Assumption 2.1 by an LP: gamma = max t s.t. <w, x_i> >= t, ||w||_inf <= 1 on X / max|X|.

    Returns (gamma > SEPARABILITY_THRESHOLD, gamma).  Rescaling by the largest entry keeps huge
    or tiny data inside the solver's range; separability is scale invariant.
    """
    X = np.asarray(X, float)
    s = float(np.max(np.abs(X)))
    if s == 0 or not np.isfinite(s):
        return False, 0.0
    Xs = X / s
    w, t = cp.Variable(X.shape[1]), cp.Variable()
    prob = cp.Problem(cp.Maximize(t), [Xs @ w >= t, cp.norm(w, "inf") <= 1, t <= 1])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError as exc:
        raise DatasetError(f"the separability LP failed ({exc}); check the data for extreme values") from None
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or t.value is None:
        raise DatasetError(f"the separability LP ended with status {prob.status!r}")
    gamma = float(t.value)
    return gamma > SEPARABILITY_THRESHOLD, gamma


def _as_matrix(X: Any) -> np.ndarray:
    try:
        A = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise DatasetError("X must be a numeric array") from None
    if A.ndim != 2:
        raise DatasetError(f"X must be 2-D (N samples x d features), got shape {A.shape}")
    if A.shape[0] < 1 or A.shape[1] < 1:
        raise DatasetError(f"X must have at least one sample and one feature, got shape {A.shape}")
    bad = np.argwhere(~np.isfinite(A))
    if bad.size:
        i, k = bad[0]
        raise DatasetError(f"X has {len(bad)} NaN/inf entr{'y' if len(bad) == 1 else 'ies'}, first at row {i}, "
                           f"column {k}")
    return A


def _labels(y: Any, N: int) -> np.ndarray:
    try:
        y = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise DatasetError("labels y must be numbers in {-1, +1}") from None
    if y.shape[0] != N:
        raise DatasetError(f"got {y.shape[0]} labels for {N} samples")
    bad = sorted({float(v) for v in y if v not in (-1.0, 1.0)}, key=str)
    if bad:
        shown = ", ".join(repr(v) for v in bad[:5])
        raise DatasetError(f"labels must be -1 or +1, found {shown}{' ...' if len(bad) > 5 else ''}")
    return y


def from_array(X: Any, y: Any = None, *, name: str = "array", source: str = "array",
               require_separable: bool = True, meta: Mapping[str, Any] | None = None) -> Dataset:
    """Validate data and absorb labels (rows become y_i x_i, Sec. 1.2 'WLOG y_i = 1').

    Errors (DatasetError, one line): wrong shape, NaN/inf, labels not +-1, an all-zero row,
    non-separable data (unless ``require_separable=False``).  Warnings (DatasetWarning): zero
    entries (Assumption 2.2), duplicate rows.
    """
    A = _as_matrix(X)
    if y is not None:
        A = A * _labels(y, A.shape[0])[:, None]
    zero_rows = np.flatnonzero(~A.any(axis=1))
    if zero_rows.size:
        raise DatasetError(f"row(s) {zero_rows[:10].tolist()} are all zero: a zero point has margin 0 for every w, "
                           "so the data cannot be separated (Assumption 2.1)")
    separable, gamma = is_separable(A)
    if not separable and require_separable:
        raise DatasetError(f"data are not linearly separable (LP margin {gamma:.2e} of the data scale): the paper's "
                           "claims need Assumption 2.1")
    nz = int(np.sum(A == 0))
    if nz:
        warnings.warn(f"{nz} zero entr{'y' if nz == 1 else 'ies'}: Assumption 2.2 fails, which Prop. 2.4/2.5, "
                      "Thm 3.3 and Thm 4.8 need (D(c) may be singular)", DatasetWarning, stacklevel=2)
    _, first = np.unique(A, axis=0, return_index=True)
    dup = sorted(i for i in range(A.shape[0]) if i not in set(first.tolist()))
    if dup:
        warnings.warn(f"duplicate rows {dup[:10]} (after label absorption): LICQ (Assumption 4.7) fails if they are "
                      "support vectors", DatasetWarning, stacklevel=2)
    absx = np.abs(A)
    gr = bool(np.all(absx == absx[:, :1]))
    return Dataset(A, name, Assumptions(separable, nz == 0, gr, not dup), source, meta or {})
