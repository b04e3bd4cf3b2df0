"""Exact input for :mod:`theory`: SymPy matrices whose rows are the label-absorbed samples x_i = y_i x_i.

Entries may be integers, rationals, symbols or closed algebraic expressions; floats are refused (an
exact routine fed a float would return an exact answer for a different dataset) unless the user
converts them on purpose with :func:`rationalize`.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral, Rational as _PyRational

import sympy as sp

from .errors import TheoryError

__all__ = ["as_exact_matrix", "as_exact_vector", "rationalize", "is_symbolic", "is_rational_matrix"]


def _exact_scalar(v, where: str) -> sp.Expr:
    if isinstance(v, bool):
        raise TheoryError(f"{where}: booleans are not data")
    if isinstance(v, sp.Basic):
        e = v
    elif isinstance(v, Integral):
        return sp.Integer(int(v))
    elif isinstance(v, _PyRational):
        return sp.Rational(int(v.numerator), int(v.denominator))
    elif isinstance(v, str):
        try:
            return sp.Rational(v)
        except (TypeError, ValueError):
            e = sp.sympify(v)
    elif isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "fc"):
        raise TheoryError(f"{where}: float entry {v!r}; theory/ is exact. Convert on purpose with "
                          f"theory.rationalize(X) or type rationals such as '1/3' or sympy.Rational(1, 3).")
    else:
        e = sp.sympify(v)
    if e.has(sp.Float):
        raise TheoryError(f"{where}: entry {e} contains a Float; use rationals (theory.rationalize).")
    return e


def as_exact_matrix(X, *, name: str = "X") -> sp.Matrix:
    """Exact SymPy matrix from nested lists / numpy integer arrays / a SymPy matrix (rows = samples x_i)."""
    if isinstance(X, sp.MatrixBase):
        rows = X.tolist()
    else:
        rows = [list(r) for r in (X.tolist() if hasattr(X, "tolist") else X)]
    if not rows or not rows[0]:
        raise TheoryError(f"{name} must be a non-empty N x d array")
    if any(len(r) != len(rows[0]) for r in rows):
        raise TheoryError(f"{name}: rows have different lengths")
    return sp.Matrix([[_exact_scalar(v, f"{name}[{i}][{k}]") for k, v in enumerate(r)] for i, r in enumerate(rows)])


def as_exact_vector(v, n: int | None = None, *, name: str = "c") -> sp.Matrix:
    """Exact column vector; checks the length ``n`` if given."""
    items = list(v) if not isinstance(v, sp.MatrixBase) else list(v)
    col = sp.Matrix([_exact_scalar(x, f"{name}[{i}]") for i, x in enumerate(items)])
    if n is not None and col.rows != n:
        raise TheoryError(f"{name} must have length {n}, got {col.rows}")
    return col


def rationalize(X, max_denominator: int | None = 10**6) -> sp.Matrix:
    """Float data -> exact rational matrix.

    ``max_denominator`` = an integer: each entry becomes the closest fraction with bounded denominator (short
    numbers, cheap exact arithmetic; the answers are then exact for data within ~1/max_denominator^2 of
    the floats).  ``None``: each float64 becomes the binary fraction it is exactly, so that the exact
    answers are those of the very data numerics/ sees (what a 40-digit comparison needs).
    """
    rows = X.tolist() if hasattr(X, "tolist") else X
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]

    def conv(v):
        f = Fraction(float(v))
        return sp.Rational(f if max_denominator is None else f.limit_denominator(max_denominator))

    return sp.Matrix([[conv(v) for v in r] for r in rows])


def is_symbolic(M) -> bool:
    """True if any entry has free symbols (then sign tests rely on symbol assumptions)."""
    return bool(getattr(M, "free_symbols", set()))




def is_rational_matrix(M) -> bool:
    """True if every entry is a rational number (the data of the exact simplex and the fixed-point solver)."""
    return all(v.is_Rational for v in M)
