"""The l_inf mechanism (M) of Ex. 4.11, for any data: when the l_inf max-margin direction is a Thm 4.8 fixed point.

If one sample x_{i*} (all entries nonzero, Assumption 2.2) satisfies

    <sign(x_{i*}), x_j> > ||x_{i*}||_1   for all j != i*,                                   (M)

then (a) w_inf = sign(x_{i*})/||x_{i*}||_1 is the unique l_inf max-margin solution (min ||w||_inf s.t.
<w, x_i> >= 1, the Prop. 2.4 limit), certified by the dual lambda = e_{i*}/||x_{i*}||_1; and (b) c = e_{i*}
is a fixed point of T (Thm 4.8): D(e_{i*}) = diag(|x_{i*}|), the KKT system of P(e_{i*}) on {i*} gives
w = sign(x_{i*})/||x_{i*}||_1 = w_inf, and (M) makes every other constraint strictly inactive.  So the l_inf
direction is a Thm 4.8 fixed-point direction (the paper does not claim the fixed point is unique).
The shifted-diagonal family of :mod:`theory.shifted_diagonal` satisfies (M) with i* = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .decide import decide_sign, is_zero
from .errors import TheoryError
from .exact_input import as_exact_matrix
from .fixed_point import FixedPointVerification, verify_fixed_point
from .linf_lp import l1_norm, verify_linf
from .report import Report, make_condition

__all__ = ["mechanism_margins", "MechanismCertificate", "linf_mechanism"]


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
        """(M) proved, w_inf certified optimal (strictly), T(e_{i*}) = e_{i*} nondegenerate, w*(e_{i*}) = w_inf."""
        fp = self.fixed_point
        if not (self.condition.ok and self.linf.ok and fp.ok and fp.nondegenerate.proved):
            return False
        return all(is_zero(u - v) is True for u, v in zip(fp.map.solution.w, self.w_inf))


def linf_mechanism(X, i_star: int = 0) -> MechanismCertificate:
    """State and verify the mechanism (M) of Ex. 4.11 for sample ``i_star`` (symbolic or rational data).

    Returns the verdict on (M), the candidate w_inf = sign(x_{i*})/||x_{i*}||_1 with dual e_{i*}/||x_{i*}||_1
    checked by :func:`theory.linf_lp.verify_linf` (strict), and :func:`verify_fixed_point` at c = e_{i*}.
    When (M) fails the certificate fails too, naming the violated condition.
    """
    X = as_exact_matrix(X)
    margins = mechanism_margins(X, i_star)
    cond = Report(f"condition (M) for i* = {i_star}", (make_condition(
        "(M)", [(j, e, decide_sign(e, strict=True)) for j, e in margins],
        "<sign(x_i*), x_j> > ||x_i*||_1 for j != i*"),),
        "every admissible value of the data's symbols" if X.free_symbols else "this dataset")
    n1 = sp.simplify(l1_norm(X.row(i_star)))
    w = sp.Matrix([sp.sign(v) for v in X.row(i_star)]) / n1
    lam = sp.zeros(X.rows, 1)
    lam[i_star] = 1 / n1
    linf = verify_linf(X, w, lam, support=(i_star,), strict=True)
    e = [1 if i == i_star else 0 for i in range(X.rows)]
    fp = verify_fixed_point(X, e)
    return MechanismCertificate(i_star, cond, w, lam, linf, fp)
