"""Validation of user data against the paper's assumptions: ``from_array`` and the separability LP.

Errors (``DatasetError``, one line) for data the paper's claims cannot apply to: wrong shape,
non-numeric, NaN/inf, labels outside {-1, +1}, an all-zero row, non-separable data (Assumption 2.1).
Warnings (``DatasetWarning``) for assumptions some claims need: zero entries (Assumption 2.2) and
duplicate rows (LICQ, Assumption 4.7).
"""

from __future__ import annotations

import warnings
from typing import Any, Mapping

import numpy as np

from ..errors import DatasetError
from .dataset import Assumptions, Dataset, DatasetWarning

__all__ = ["from_array", "is_separable", "SEPARABILITY_THRESHOLD"]

# Decision threshold of the separability LP, on data whose rows are scaled to max |x_i[k]| = 1 (so the
# margin is in [0, 1]).  Clarabel's default tolerances are 1e-8 (absolute and relative), so a margin
# below 10x that cannot be told apart from 0; such data are called non-separable.
SEPARABILITY_THRESHOLD = 1e-7
# The solver's answer is checked both ways: the primal w certifies a lower bound, the dual weights c an
# upper bound (weak duality).  If the bounds straddle the threshold by more than this, we refuse to decide.
_INCONCLUSIVE = 100 * SEPARABILITY_THRESHOLD
# Rows whose max |entry| differ by more than this factor make later solvers on the raw data fragile.
_SCALE_SPREAD_WARN = 1e12


def is_separable(X: Any) -> tuple[bool, float]:
    """Assumption 2.1: (gamma > SEPARABILITY_THRESHOLD, gamma).

    gamma = max_{||w||_inf <= 1} min_i <w, x_i> / ||x_i||_inf, capped at 1: the l_inf max margin of
    the data with every row rescaled to max |entry| = 1.  Positive rescaling of a row does not change
    whether a w with <w, x_i> > 0 exists, and it keeps data of any magnitude (1e-300 .. 1e300, or
    rows of very different sizes) inside the solver's range.  First a cheap certificate is tried: the
    least-squares w of X_s w = 1 (it separates whenever the rows are linearly independent, N <= d);
    if its margin is above the threshold, gamma is that certified lower bound.  Otherwise the LP
    decides (Clarabel): its primal w certifies a lower bound and its dual weights an upper bound of
    gamma.  A zero row gives (False, 0.0).  Raises DatasetError for non-finite or non-2-D input, or
    if the LP is inconclusive.
    """
    A = _as_matrix(X)
    scale = np.max(np.abs(A), axis=1)
    if np.any(scale == 0):
        return False, 0.0
    Xs = A / scale[:, None]
    with np.errstate(all="ignore"):
        w = np.linalg.lstsq(Xs, np.ones(Xs.shape[0]), rcond=None)[0]
    top = float(np.max(np.abs(w))) if np.all(np.isfinite(w)) else 0.0
    if top > 0:
        lower = min(float(np.min(Xs @ (w / top))), 1.0)  # certified: w / top is feasible
        if lower > SEPARABILITY_THRESHOLD:
            return True, lower
    return _separability_lp(Xs)


def _separability_lp(Xs: np.ndarray) -> tuple[bool, float]:
    """max t s.t. X_s w >= t, -1 <= w <= 1, t <= 1 (always feasible and bounded), both bounds checked."""
    from ..maxmargin.clarabel_lp import CSC, DEFAULT, linprog

    N, d = Xs.shape
    A = np.zeros((N + 2 * d + 1, d + 1))
    A[:N, :d], A[:N, d] = -Xs, 1.0
    A[N:N + d, :d], A[N + d:N + 2 * d, :d] = np.eye(d), -np.eye(d)
    A[-1, d] = 1.0
    b = np.concatenate([np.zeros(N), np.ones(2 * d + 1)])
    q = np.zeros(d + 1)
    q[d] = -1.0
    try:
        x, z, status = linprog(q, CSC.from_dense(A), b, DEFAULT)
    except (ValueError, ArithmeticError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatasetError(f"the separability LP failed ({reason}); check the data for extreme values") from None
    if x is None:
        raise DatasetError(f"the separability LP ended with status {status!r}; check the data for extreme values")
    w_val = np.clip(x[:d], -1.0, 1.0)
    lower = min(float(np.min(Xs @ w_val)), 1.0)  # certified: a feasible w attains it
    if lower > SEPARABILITY_THRESHOLD:
        return True, lower
    c = np.maximum(z[:N], 0.0)
    upper = np.inf if c.sum() <= 0 else float(np.sum(np.abs(Xs.T @ c)) / c.sum())
    if upper > _INCONCLUSIVE:
        raise DatasetError(f"the separability LP is inconclusive (margin between {lower:.2e} and {upper:.2e}); "
                           "rescale the features or remove near-duplicate points")
    return False, max(lower, 0.0)


def from_array(X: Any, y: Any = None, *, name: str = "array", source: str = "array",
               require_separable: bool = True, meta: Mapping[str, Any] | None = None) -> Dataset:
    """Validate data and absorb labels: rows become y_i x_i (Sec. 1.2, 'WLOG y_i = 1').

    ``y`` (optional) holds N labels in {-1, +1} (ints, floats or bools are fine as long as the values
    are +-1).  Errors (DatasetError, one line): wrong shape, non-numeric or complex data, NaN/inf,
    bad labels, an all-zero row, non-separable data (Assumption 2.1, decided by ``is_separable``;
    pass ``require_separable=False`` to accept it and record ``separable=False``).  Warnings
    (DatasetWarning): zero entries (Assumption 2.2), duplicate rows, rows of wildly different scale.
    """
    if not isinstance(name, str) or not isinstance(source, str):
        raise DatasetError("name and source must be strings")
    A = _as_matrix(X)
    if y is not None:
        A = A * _labels(y, A.shape[0])[:, None]
    zero_rows = np.flatnonzero(~A.any(axis=1))
    if zero_rows.size:
        rows = ", ".join(map(str, zero_rows[:10].tolist())) + (" ..." if zero_rows.size > 10 else "")
        raise DatasetError(f"row(s) {rows} are all zero: a zero point has margin 0 for every w, so the data cannot "
                           "be separated (Assumption 2.1); remove those rows")
    separable, gamma = is_separable(A)
    if not separable and require_separable:
        raise DatasetError(f"data are not linearly separable (max l_inf margin of the row-normalised data "
                           f"{gamma:.2e} <= {SEPARABILITY_THRESHOLD:g}): the paper's claims need Assumption 2.1")
    nz = int(np.count_nonzero(A == 0))
    if nz:
        warnings.warn(f"{nz} of {A.size} entries are zero: Assumption 2.2 fails, which Prop. 2.4/2.5, Cor. 3.2, "
                      "Thm 3.3, Lemma 4.5 and Thm 4.8 need (D(c) of Def. 4.6 may be singular)",
                      DatasetWarning, stacklevel=2)
    dup = _duplicates(A)
    if dup:
        shown = ", ".join(f"{i} (= row {j})" for i, j in dup[:10]) + (" ..." if len(dup) > 10 else "")
        warnings.warn(f"duplicate rows after label absorption: {shown}; LICQ (Assumption 4.7) fails if they are "
                      "support vectors", DatasetWarning, stacklevel=2)
    scale = np.max(np.abs(A), axis=1)
    if scale.max() > _SCALE_SPREAD_WARN * scale.min():
        warnings.warn(f"row scales (max |x_i[k]|) range from {scale.min():.1e} to {scale.max():.1e}: solvers on the "
                      "raw data may be inaccurate; consider normalising the rows", DatasetWarning, stacklevel=2)
    absx = np.abs(A)
    gr = bool(np.all(absx == absx[:, :1]))
    return Dataset(A, name, Assumptions(separable, nz == 0, gr, not dup), source, meta or {})


def _duplicates(A: np.ndarray) -> list[tuple[int, int]]:
    """(i, j) with row i equal to the earlier row j, for every repeated row i."""
    _, first, inverse = np.unique(A, axis=0, return_index=True, return_inverse=True)
    owner = first[np.asarray(inverse).reshape(-1)]
    return [(int(i), int(owner[i])) for i in np.flatnonzero(owner != np.arange(A.shape[0]))]


def _to_float(values: Any, what: str) -> np.ndarray:
    """float64 array of ``values``; DatasetError for strings, complex numbers, dates, ragged lists."""
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):
        raise DatasetError(f"{what} must be a rectangular numeric array (ragged rows or mixed types?)") from None
    kind = raw.dtype.kind
    if kind == "c":
        raise DatasetError(f"{what} is complex (dtype {raw.dtype}); give real numbers")
    if kind not in "biufO":
        raise DatasetError(f"{what} must be numeric, got dtype {raw.dtype}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. ComplexWarning from complex objects: refuse, don't drop parts
            return raw.astype(np.float64)
    except (TypeError, ValueError, OverflowError, Warning):
        raise DatasetError(f"{what} must contain only real numbers") from None


def _as_matrix(X: Any) -> np.ndarray:
    A = _to_float(X, "X")
    if A.ndim != 2:
        raise DatasetError(f"X must be 2-D (N samples x d features), got shape {A.shape}")
    if A.shape[0] < 1 or A.shape[1] < 1:
        raise DatasetError(f"X must have at least one sample and one feature, got shape {A.shape}")
    bad = np.argwhere(~np.isfinite(A))
    if bad.size:
        i, k = bad[0]
        raise DatasetError(f"X has {len(bad)} NaN/inf entr{'y' if len(bad) == 1 else 'ies'} (first at row {i}, "
                           f"column {k}): remove or impute them")
    return A


def _labels(y: Any, N: int) -> np.ndarray:
    v = _to_float(y, "labels y")
    if v.ndim == 2 and 1 in v.shape:
        v = v.reshape(-1)
    if v.ndim != 1:
        raise DatasetError(f"labels y must be a 1-D array of N = {N} values in {{-1, +1}}, got shape {v.shape}")
    if v.shape[0] != N:
        raise DatasetError(f"got {v.shape[0]} labels for {N} samples")
    bad = np.unique(v[(v != 1.0) & (v != -1.0)])  # NaN shows up too
    if bad.size:
        shown = ", ".join(f"{b:g}" for b in bad[:5]) + (" ..." if bad.size > 5 else "")
        raise DatasetError(f"labels must be -1 or +1, found {shown}; map the classes to -1 and +1")
    return v
