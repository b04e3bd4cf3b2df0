"""Shared plumbing of :mod:`theory`: the error class, size guards, exact data and exact tests.

Everything in :mod:`theory` works on SymPy matrices whose rows are the label-absorbed
samples ``x_i`` (math.md §12).  Entries may be integers, rationals, symbols or
algebraic expressions; floats are refused (an exact routine fed a float would return
an exact answer for a different dataset) unless the user converts them on purpose with
:func:`rationalize`.

Zero and sign tests are decided exactly where possible: rationals directly, closed
expressions without free symbols by SymPy's numeric-with-proof evaluation, symbolic
expressions by ``simplify`` and the assumptions on their symbols.  A test that cannot be
decided returns ``None`` ("undecided"), never a guess.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral, Rational as _PyRational

import sympy as sp

try:  # the toolkit's user-facing error base; theory/ depends on numerics only for this
    from numerics.errors import ToolkitError as _Base
except ImportError:  # pragma: no cover - theory used standalone
    _Base = Exception

__all__ = ["TheoryError", "SYMBOLIC_MAX", "EXACT_MAX", "check_size", "as_exact_matrix", "as_exact_vector",
           "rationalize", "is_symbolic", "is_zero", "sign_ok", "sample_point"]

#: default bound on N (or on a support size) for routines on fully symbolic data
SYMBOLIC_MAX = 12
#: default bound for routines on rational / closed algebraic data
EXACT_MAX = 40


class TheoryError(_Base, ValueError):
    """A request :mod:`theory` cannot answer exactly: bad data, a size guard, a singular system."""


def check_size(n: int, max_size: int, what: str) -> None:
    """Raise :class:`TheoryError` if ``n > max_size`` (the size guard of every routine that can blow up)."""
    if n > max_size:
        raise TheoryError(f"{what} = {n} exceeds max_size = {max_size}; exact symbolic algebra grows "
                          f"combinatorially with it. Pass a larger max_size to insist, or use numerics/ instead.")


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


def rationalize(X, max_denominator: int = 10**6) -> sp.Matrix:
    """Float data -> exact rational matrix (each entry the closest fraction with bounded denominator).

    The answers of :mod:`theory` are then exact for the *rationalized* data, which differs from
    the float data by at most ``1/(2 max_denominator**2)``-ish per entry.
    """
    rows = X.tolist() if hasattr(X, "tolist") else X
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    return sp.Matrix([[sp.Rational(Fraction(float(v)).limit_denominator(max_denominator)) for v in r] for r in rows])


def is_symbolic(M) -> bool:
    """True if any entry has free symbols (then sign tests rely on symbol assumptions)."""
    return bool(getattr(M, "free_symbols", set()))


def sample_point(symbols) -> dict:
    """An admissible rational value for each symbol (respecting positive/negative/integer/nonzero).

    Values are distinct and irregular (1 + 1/p for the k-th prime p, up to sign), so that an identity that
    fails somewhere is very unlikely to hold there by accident; used only to *refute* universal statements.
    """
    point = {}
    for k, x in enumerate(sorted(symbols, key=str)):
        v = sp.Integer(k + 2) if x.is_integer else 1 + sp.Rational(1, sp.prime(k + 2))
        point[x] = -v if x.is_negative or x.is_nonpositive else v
    return point


def _refuted_at_sample(e: sp.Expr, test) -> bool:
    pt = sample_point(e.free_symbols)
    val = e.xreplace(pt)
    try:
        return test(val) is False
    except (TypeError, ValueError):  # pragma: no cover - non-real sample value
        return False


def is_zero(e) -> bool | None:
    """Exact zero test: True / False, or None when SymPy cannot decide."""
    e = sp.sympify(e)
    if e.is_Rational:
        return e == 0
    if not e.free_symbols:
        # closed algebraic number: formal cancellation (radicals as independent generators) proves zero;
        # a value bounded away from 0 at 50 digits proves nonzero; minimal polynomials only as last resort
        if sp.cancel(sp.together(e)) == 0:
            return True
        v = sp.N(e, 50)
        if v.is_number and v.is_comparable and abs(v) > sp.Float(10)**-30:
            return False
        z = e.equals(0)
        return None if z is None else bool(z)
    # identities produced by the exact solvers hold with radicals treated as independent generators,
    # which cancel() decides quickly; otherwise fall back to simplify
    if sp.cancel(sp.together(e)) == 0:
        return True
    s = sp.simplify(e)
    if s == 0:
        return True
    z = s.is_zero
    if z is None and not s.free_symbols:  # pragma: no cover - simplify removed the symbols
        z = s.equals(0)
    if z is None and _refuted_at_sample(e, is_zero):
        return False
    return z


def sign_ok(e, *, strict: bool) -> bool | None:
    """Decide ``e > 0`` (strict) or ``e >= 0``: True / False, or None when undecidable."""
    e = sp.sympify(e)
    if e.is_Rational:
        return bool(e > 0) if strict else bool(e >= 0)
    cand = e if not e.free_symbols else sp.factor(sp.simplify(e))
    if strict:
        r = cand.is_positive
        if r is None and cand.free_symbols and cand.is_nonnegative is False:
            r = False
    else:
        r = cand.is_nonnegative
    if r is None and not cand.free_symbols:
        z = is_zero(cand)
        if z is True:
            return not strict
        v = sp.N(cand, 50)
        if v.is_real and z is False:
            return bool(v > 0)
    if r is None and e.free_symbols and _refuted_at_sample(e, lambda val: sign_ok(val, strict=strict)):
        return False
    return r
