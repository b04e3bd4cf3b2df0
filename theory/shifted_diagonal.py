"""Shifted-diagonal data (Ex. 4.11; the family is a reconstruction, the paper's formula was not recoverable).

The l_inf mechanism (M) behind the example lives in :mod:`theory.linf_mechanism` (it holds for any data);
``linf_mechanism`` is re-exported here, where it used to live.

Family: x_i = a_i e_i + b 1 in R^d (i in [N], N <= d), b > 0, 0 < a_0 < a_i.  With i* = 0, (M) reads
a_j - a_0 > 0; w_inf = 1/(a_0 + d b) 1.  Symbolic data use a_i = a_0 + delta_i with delta_i > 0 so that
SymPy can decide the signs.  For d = N and all constraints active the l2 solution is
w_k = (1/a_k)/(1 + b S_1), lambda_k = (1 + b S_1 - b a_k S_2)/(a_k^2 (1 + b S_1)^2), S_p = sum_i a_i^(-p),
valid iff 1 + b S_1 > b a_k S_2 for all k (otherwise the support shrinks; use the exact solver).
"""

from __future__ import annotations

import sympy as sp

from .decide import sign_ok
from .errors import SYMBOLIC_MAX, TheoryError, check_size
from .linf_mechanism import MechanismCertificate, linf_mechanism, mechanism_margins
from .report import Report, make_condition

__all__ = ["shifted_diagonal", "shifted_diagonal_symbols", "linf_closed_form", "mechanism_margins",
           "MechanismCertificate", "linf_mechanism", "l2_all_support_closed_form", "verify_l2_closed_form",
           "verify_l2_not_linf"]


def shifted_diagonal(a, b, d: int | None = None) -> sp.Matrix:
    """x_i = a_i e_i + b 1 in R^d, i in [N], d defaults to N (Ex. 4.11; a reconstructed family)."""
    N = len(a)
    d = N if d is None else int(d)
    if d < N:
        raise TheoryError(f"need d >= N, got d = {d} < N = {N}")
    return sp.Matrix([[sp.sympify(a[i]) * (1 if k == i else 0) + sp.sympify(b) for k in range(d)]
                      for i in range(N)])


def shifted_diagonal_symbols(N: int, d: int | None = None, *, max_size: int = SYMBOLIC_MAX):
    """Symbolic family: returns (X, a, b) with a = (a_0, a_0 + delta_1, ...), a_0, delta_i, b > 0 symbols."""
    check_size(N, max_size, "N")
    a0, b = sp.symbols("a0 b", positive=True)
    deltas = sp.symbols(f"delta1:{N}", positive=True)
    a = (a0,) + tuple(a0 + dl for dl in deltas)
    return shifted_diagonal(a, b, d), a, b


def linf_closed_form(a0, b, d: int) -> sp.Matrix:
    """w_inf = 1/(a_0 + d b) 1: the l_inf max-margin solution of the shifted-diagonal family (Ex. 4.11)."""
    return sp.ones(d, 1) / (a0 + d * b)


def l2_all_support_closed_form(a, b) -> tuple[sp.Matrix, sp.Matrix, tuple[sp.Expr, ...]]:
    """(w_2, lambda_2, validity margins) for d = N when every constraint is active (Sherman-Morrison).

    Validity: all margins 1 + b S_1 - b a_k S_2 > 0 (then lambda > 0 and this is the l2 max-margin solution).
    """
    a, b = [sp.sympify(v) for v in a], sp.sympify(b)
    N = len(a)
    S1 = sp.Add(*[1 / ak for ak in a])
    S2 = sp.Add(*[1 / ak**2 for ak in a])
    w = sp.Matrix([1 / (ak * (1 + b * S1)) for ak in a])
    lam = sp.Matrix([(1 + b * S1 - b * ak * S2) / (ak**2 * (1 + b * S1)**2) for ak in a])
    return w, lam, tuple(1 + b * S1 - b * a[k] * S2 for k in range(N))


def verify_l2_closed_form(N: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """The closed form solves the l2 KKT system on the full support (symbolic a, b; d = N), by substitution.

    Checks <w_2, x_i> = 1 for all i and w_2 = sum_i lambda_i x_i exactly; together with the validity
    margins > 0 (lambda > 0) this is the l2 max-margin solution (:func:`theory.kkt.verify_kkt`).
    """
    check_size(N, max_size, "N")
    # equalities are rational-function identities: independent symbols a_i suffice (no ordering needed),
    # and each is decided by expanding the numerator of one common fraction
    a, b = sp.symbols(f"a0:{N}", positive=True), sp.Symbol("b", positive=True)
    X = shifted_diagonal(a, b)
    w, lam, _ = l2_all_support_closed_form(a, b)
    num = lambda e: sp.expand(sp.fraction(sp.together(e))[0])  # noqa: E731
    act = [num((X.row(i) * w)[0] - 1) for i in range(N)]
    stat = [num(w[k] - (X.T * lam)[k]) for k in range(N)]
    return Report(f"l2 closed form, shifted diagonal N = d = {N}", (
        make_condition("active constraints", [(i, e, e == 0) for i, e in enumerate(act)], "<w_2, x_i> = 1"),
        make_condition("stationarity", [(k, e, e == 0) for k, e in enumerate(stat)], "w_2 = X^T lambda_2"),
    ), f"N = d = {N}, every a, b")


def verify_l2_not_linf(N: int, d: int | None = None) -> Report:
    """The l2 max-margin direction is never the l_inf one on the family (symbolic a, b; Ex. 4.11 contrast).

    If w_2 were proportional to 1, its unique smallest margin would be sample 0 (margins of 1 differ by
    delta_j > 0), so its support would be {0} and w_2 proportional to x_0 = (a_0 + b, b, ...), which is
    not proportional to 1 because a_0 > 0.
    """
    X, a, b = shifted_diagonal_symbols(N, d)
    one = sp.ones(X.cols, 1)
    m = [sp.simplify((X.row(j) * one)[0] - (X.row(0) * one)[0]) for j in range(1, N)]
    return Report(f"l2 != l_inf, shifted diagonal N = {N}, d = {X.cols}", (
        make_condition("argmin unique", [(j + 1, e, sign_ok(e, strict=True)) for j, e in enumerate(m)],
                       "<1, x_j> > <1, x_0>"),
        make_condition("x_0 not parallel to 1", [(0, X[0, 0] - X[0, 1], sign_ok(X[0, 0] - X[0, 1], strict=True))],
                       "x_0[0] - x_0[1] = a_0 > 0"),
    ), f"N = {N}, d = {X.cols}, every admissible a, b")
