"""The fixed-point map T(c) = lambda*(c) / ||lambda*(c)||_1 of Theorem 4.8, exactly.

For c in the simplex, lambda*(c) is the multiplier of P(c) (Def. 4.6).  On a support set S
(Assumption 4.7, LICQ) it is  lambda_S(c) = (X_S D(c)^{-1} X_S^T)^{-1} 1  (proof of Thm 4.8),
so T is an explicit algebraic function of c there: :func:`T_map` returns it for rational,
algebraic or symbolic c.  :func:`verify_fixed_point` decides T(c) = c exactly: it checks the
KKT system of P(c) on S = supp(c) (at a fixed point lambda* = mu c, so the support of the
multipliers is the support of c) and that T(c) - c simplifies to 0.  Thm 4.8(d): the
AdamProxy limit direction is w*(c*)/||w*(c*)||_2 at such a fixed point.

Note (verified in tests): T is 0-homogeneous, D(t c) = t D(c) gives w*(tc) = w*(c) and
lambda*(tc) = t lambda*(c); so c may be given up to scale and is normalised to sum 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._guards import TheoryError, as_exact_matrix, as_exact_vector, is_symbolic, is_zero
from .kkt import KKTSolution, mahalanobis_kkt, mahalanobis_max_margin_exact
from .report import Condition, Report, make_condition

__all__ = ["FixedPointMap", "FixedPointVerification", "T_map", "verify_fixed_point", "FIXED_POINT"]

FIXED_POINT = "fixed point"


@dataclass(frozen=True)
class FixedPointMap:
    """T(c) on ``support``: ``T`` (N x 1), the P(c) solution ``solution`` (w*(c), lambda*(c))."""

    c: sp.Matrix
    support: tuple[int, ...]
    T: sp.Matrix
    solution: KKTSolution

    @property
    def direction(self) -> sp.Matrix:
        """w*(c)/||w*(c)||_2, the direction of Thm 4.8(d) when c is a fixed point."""
        return self.solution.direction


@dataclass(frozen=True)
class FixedPointVerification:
    """Exact verdict on T(c) = c: the KKT report of P(c) on supp(c) plus the condition ``fixed point``.

    ``residual`` = T(c) - c (simplified); ``is_fixed_point`` is True iff the KKT system holds
    (plain, non-strict) on supp(c) and the residual is exactly 0.
    """

    report: Report
    plain_kkt: Report
    residual: sp.Matrix
    map: FixedPointMap

    @property
    def is_fixed_point(self) -> bool | None:
        names = [c.name for c in self.report.conditions]
        if FIXED_POINT not in names:  # the KKT system could not even be solved on supp(c) (LICQ)
            return False
        fp = self.report[FIXED_POINT].passed
        if fp is False or self.plain_kkt.failed:
            return False
        return True if (fp is True and self.plain_kkt.ok) else None

    @property
    def failed(self) -> tuple[str, ...]:
        return self.report.failed

    @property
    def ok(self) -> bool:
        """All conditions proved, including strict complementarity (the generic, LICQ case)."""
        return self.report.ok

    @property
    def direction(self) -> sp.Matrix:
        return self.map.direction


def _normalise(c: sp.Matrix) -> sp.Matrix:
    s = sum(c)
    if is_zero(s) is True:
        raise TheoryError("c must be a nonzero point of the simplex (up to scale)")
    return (c / s).applyfunc(lambda e: sp.simplify(e) if e.free_symbols else sp.nsimplify(e) if not e.is_Rational
                             else e)


def T_map(X, c, support=None, *, max_size: int | None = None) -> FixedPointMap:
    """T(c) = lambda*(c)/||lambda*(c)||_1 (Thm 4.8(b)), computed on ``support``.

    ``support`` defaults to the exact support of P(c) when X and c are closed (found by
    :func:`theory.kkt.mahalanobis_max_margin_exact`), and must be given for symbolic data; the
    formula is T(c) only where that support is the true one (check ``solution.verify()``).
    """
    X = as_exact_matrix(X)
    c = _normalise(as_exact_vector(c, X.rows))
    if support is None:
        if is_symbolic(X) or is_symbolic(c):
            raise TheoryError("symbolic data or c: pass the support set S on which to evaluate T")
        sol = mahalanobis_max_margin_exact(X, c, max_size=max_size or 12)
    else:
        sol = mahalanobis_kkt(X, c, support, max_size=max_size)
    total = sum(sol.lam)
    T = (sol.lam / total).applyfunc(_canon)
    return FixedPointMap(c, sol.support, T, sol)


def _canon(e: sp.Expr) -> sp.Expr:
    return sp.radsimp(sp.together(e)) if not e.free_symbols else sp.factor(sp.cancel(e))


def verify_fixed_point(X, c, support=None, *, max_size: int | None = None) -> FixedPointVerification:
    """Decide exactly whether c is a fixed point of T (Thm 4.8(c)-(d)): T(c) - c must simplify to 0.

    The P(c) KKT system is solved on ``support`` (default supp(c) = {i : c_i != 0}) and verified by
    substitution (:func:`theory.kkt.verify_kkt`); a wrong c fails the condition ``fixed point``
    (and often a KKT condition too, e.g. ``dual sign`` when P(c) has a different support).
    """
    X = as_exact_matrix(X)
    c = _normalise(as_exact_vector(c, X.rows))
    S = tuple(i for i in range(X.rows) if is_zero(c[i]) is not True) if support is None else tuple(support)
    try:
        fmap = T_map(X, c, S, max_size=max_size)
    except TheoryError as exc:
        if "LICQ" not in str(exc):
            raise
        empty = sp.Matrix([sp.nan] * X.rows)
        cond = Condition("LICQ", False, (), (), f"support vectors {S} linearly dependent: {exc}")
        dummy = KKTSolution("P(c)", X, sp.ones(X.cols, 1), S, sp.zeros(X.cols, 1), sp.zeros(X.rows, 1))
        rep = Report(f"fixed point of T at c on support {S}", (cond,))
        return FixedPointVerification(rep, rep, empty, FixedPointMap(c, S, empty, dummy))
    sol = fmap.solution
    strict = sol.verify(strict=True)
    plain = sol.verify(strict=False)
    residual = (fmap.T - c).applyfunc(_canon)
    if plain.failed:  # supp(c) is not the support of lambda*(c), so T(c) != c whatever the residual on S says
        fp = Condition(FIXED_POINT, False, tuple((name, "fails on supp(c)") for name in plain.failed), (),
                       "T(c) - c = 0; fails since supp(c) is not the support of P(c)'s multipliers")
    else:
        fp = make_condition(FIXED_POINT, [(i, r, is_zero(r)) for i, r in enumerate(residual)], "T(c) - c = 0")
    rep = Report(f"fixed point of T at c on support {S}", strict.conditions + (fp,))
    return FixedPointVerification(rep, plain, residual, fmap)
