"""Shifted-diagonal data (Ex. 4.11, family RECONSTRUCTED in math.md) and the general l_inf mechanism.

Mechanism (math.md §5, Ex. 4.11).  If one sample x_{i*} (all entries nonzero, Assumption 2.2) satisfies

    <sign(x_{i*}), x_j> > ||x_{i*}||_1   for all j != i*,                                   (M)

then (a) w_inf = sign(x_{i*})/||x_{i*}||_1 is the unique l_inf max-margin solution (min ||w||_inf s.t.
<w, x_i> >= 1), certified by the dual lambda = e_{i*}/||x_{i*}||_1; and (b) c = e_{i*} is a fixed point of T
(Thm 4.8): D(e_{i*}) = diag(|x_{i*}|), the KKT system of P(e_{i*}) on {i*} gives w = sign(x_{i*})/||x_{i*}||_1
= w_inf, and (M) makes every other constraint strictly inactive.  So the l_inf direction is a Thm 4.8
fixed-point direction (the paper does not claim the fixed point is unique).

Family: x_i = a_i e_i + b 1 in R^d (i in [N], N <= d), b > 0, 0 < a_0 < a_i.  With i* = 0, (M) reads
a_j - a_0 > 0; w_inf = 1/(a_0 + d b) 1.  Symbolic data use a_i = a_0 + delta_i with delta_i > 0 so that
SymPy can decide the signs.  For d = N and all constraints active the l2 solution is
w_k = (1/a_k)/(1 + b S_1), lambda_k = (1 + b S_1 - b a_k S_2)/(a_k^2 (1 + b S_1)^2), S_p = sum_i a_i^(-p),
valid iff 1 + b S_1 > b a_k S_2 for all k (otherwise the support shrinks; use the exact solver).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._guards import SYMBOLIC_MAX, TheoryError, as_exact_matrix, check_size, is_zero, sign_ok
from .fixed_point import FixedPointVerification, verify_fixed_point
from .linf_lp import l1_norm, verify_linf
from .report import Report, make_condition

__all__ = ["shifted_diagonal", "shifted_diagonal_symbols", "linf_closed_form", "mechanism_margins",
           "MechanismCertificate", "linf_mechanism", "l2_all_support_closed_form", "verify_l2_closed_form",
           "verify_l2_not_linf"]


def shifted_diagonal(a, b, d: int | None = None) -> sp.Matrix:
    """x_i = a_i e_i + b 1 in R^d, i in [N], d defaults to N (Ex. 4.11, RECONSTRUCTED family)."""
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


def mechanism_margins(X, i_star: int) -> tuple[tuple[int, sp.Expr], ...]:
    """(j, <sign(x_{i*}), x_j> - ||x_{i*}||_1) for j != i*: condition (M) asks all of them to be > 0."""
    X = as_exact_matrix(X)
    s = [sp.sign(v) for v in X.row(i_star)]
    if any(v not in (1, -1) for v in s):
        raise TheoryError(f"sign(x_{i_star}) is not decided (entries zero or of unknown sign): {s}")
    n1 = sum(sp.Abs(v) for v in X.row(i_star))
    return tuple((j, sp.simplify(sum(s[k] * X[j, k] for k in range(X.cols)) - n1))
                 for j in range(X.rows) if j != i_star)


@dataclass(frozen=True)
class MechanismCertificate:
    """Outcome of :func:`linf_mechanism`: condition (M), the l_inf certificate, the fixed point at e_{i*}."""

    i_star: int
    condition: Report
    w_inf: sp.Matrix
    lam: sp.Matrix
    linf: Report
    fixed_point: FixedPointVerification

    @property
    def holds(self) -> bool:
        """(M) proved, w_inf certified optimal (strictly), and T(e_{i*}) = e_{i*} with w*(e_{i*}) = w_inf."""
        same = all(is_zero(u - v) is True for u, v in zip(self.fixed_point.map.solution.w, self.w_inf))
        return self.condition.ok and self.linf.ok and self.fixed_point.is_fixed_point is True and same


def linf_mechanism(X, i_star: int = 0) -> MechanismCertificate:
    """State and verify the mechanism (M) of Ex. 4.11 for sample ``i_star`` (symbolic or rational data).

    Returns the verdict on (M), the candidate w_inf = sign(x_{i*})/||x_{i*}||_1 with dual e_{i*}/||x_{i*}||_1
    checked by :func:`theory.linf_lp.verify_linf` (strict), and :func:`verify_fixed_point` at c = e_{i*}.
    When (M) fails the certificate fails too, naming the violated condition.
    """
    X = as_exact_matrix(X)
    margins = mechanism_margins(X, i_star)
    cond = Report(f"condition (M) for i* = {i_star}", (make_condition(
        "(M)", [(j, e, sign_ok(e, strict=True)) for j, e in margins],
        "<sign(x_i*), x_j> > ||x_i*||_1 for j != i*"),))
    n1 = sp.simplify(l1_norm(X.row(i_star)))
    w = sp.Matrix([sp.sign(v) for v in X.row(i_star)]) / n1
    lam = sp.zeros(X.rows, 1)
    lam[i_star] = 1 / n1
    linf = verify_linf(X, w, lam, support=(i_star,), strict=True)
    e = [1 if i == i_star else 0 for i in range(X.rows)]
    fp = verify_fixed_point(X, e)
    return MechanismCertificate(i_star, cond, w, lam, linf, fp)


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
    ))


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
    ))
