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

from .decide import is_zero
from .errors import TheoryError, LICQError
from .exact_input import as_exact_matrix, as_exact_vector, is_symbolic
from .kkt import MAX_COST, KKTSolution, mahalanobis_kkt, mahalanobis_max_margin_exact
from .report import (DUAL_SIGN, LICQ, STRICT_INACTIVITY, UNDECIDED, Condition, FixedPointVerdicts, Report, Verdict,
                     make_condition)

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
class FixedPointVerification(FixedPointVerdicts):
    """Exact verdict on T(c) = c (Thm 4.8(c)): one :class:`~theory.report.Verdict`, ``verdict``.

    ``report`` holds what the statement needs: the plain KKT system of P(c) on S = supp(c) (stationarity,
    primal feasibility, lambda >= 0, complementarity) and ``fixed point`` (T(c) - c = 0).  ``nondegeneracy``
    holds what the generic case has in addition (strict inactivity off S, lambda_S > 0): a fixed point may
    be degenerate (a non-support constraint active with a zero multiplier) and still be a fixed point.
    ``residual`` = T(c) - c.  If LICQ fails on supp(c) the multipliers are not unique, T(c) is not defined
    (Assumption 4.7) and the verdict is undecided.
    """

    report: Report
    nondegeneracy: Report
    residual: sp.Matrix
    map: FixedPointMap | None

    @property
    def verdict(self) -> Verdict:
        if LICQ in self.report.failed:
            return Verdict(UNDECIDED, "LICQ (Assumption 4.7) fails on supp(c): multipliers not unique, T(c) "
                                      "undefined", (), self.report.scope)
        return self.report.verdict

    @property
    def direction(self) -> sp.Matrix:
        return self.map.direction


def _normalise(c: sp.Matrix) -> sp.Matrix:
    """c / sum(c), exactly (T is 0-homogeneous); never replaces an entry by a nearby rational."""
    s = sum(c)
    if is_zero(s) is True:
        raise TheoryError("c must be a nonzero point of the simplex (up to scale)")
    return (c / s).applyfunc(_canon)


def T_map(X, c, support=None, *, max_size: int | None = None, max_cost: int = MAX_COST) -> FixedPointMap:
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
        sol = mahalanobis_max_margin_exact(X, c, max_size=max_size or 12, max_cost=max_cost)
    else:
        sol = mahalanobis_kkt(X, c, support, max_size=max_size, max_cost=max_cost)
    total = sum(sol.lam)
    T = (sol.lam / total).applyfunc(_canon)
    return FixedPointMap(c, sol.support, T, sol)


def _canon(e: sp.Expr) -> sp.Expr:
    if e.is_Rational:
        return e
    return sp.radsimp(sp.together(e)) if not e.free_symbols else sp.factor(sp.cancel(e))


def verify_fixed_point(X, c, support=None, *, max_size: int | None = None,
                       max_cost: int = MAX_COST) -> FixedPointVerification:
    """Decide exactly whether c is a fixed point of T (Thm 4.8(c)-(d)): T(c) - c must simplify to 0.

    The P(c) KKT system is solved on ``support`` (default supp(c) = {i : c_i != 0}) and verified by
    substitution (:func:`theory.kkt.verify_kkt`); a wrong c fails the condition ``fixed point``
    (and often a KKT condition too, e.g. ``dual sign`` when P(c) has a different support).  The cost guard
    ``max_cost`` bounds (distinct radicals of D(c)) x |S|; for the exact fixed points of small data (algebraic
    numbers of high degree) use :func:`theory.exact_fixed_points.all_fixed_points`, whose certificate is the
    same check done in the number field of the point.
    """
    X = as_exact_matrix(X)
    c = _normalise(as_exact_vector(c, X.rows))
    S = tuple(i for i in range(X.rows) if is_zero(c[i]) is not True) if support is None else tuple(support)
    subject = f"fixed point of T at c on support {S}"
    try:
        fmap = T_map(X, c, S, max_size=max_size, max_cost=max_cost)
    except LICQError as exc:
        cond = Condition(LICQ, False, ((S, "linearly dependent"),), (), f"support vectors {S} independent: {exc}")
        rep = Report(subject, (cond,), f"N = {X.rows}")
        return FixedPointVerification(rep, Report(subject, ()), sp.Matrix([sp.nan] * X.rows), None)
    sol = fmap.solution
    strict, plain = sol.verify(strict=True), sol.verify(strict=False)
    residual = (fmap.T - c).applyfunc(_canon)
    if plain.failed:  # supp(c) is not the support of lambda*(c), so T(c) != c whatever the residual on S says
        fp = Condition(FIXED_POINT, False, tuple((name, "fails on supp(c)") for name in plain.failed), (),
                       "T(c) - c = 0; fails since supp(c) is not the support of P(c)'s multipliers")
    else:
        fp = make_condition(FIXED_POINT, [(i, r, is_zero(r)) for i, r in enumerate(residual)], "T(c) - c = 0")
    needed = tuple(cd for cd in plain.conditions if cd.name != STRICT_INACTIVITY)  # = primal feasibility here
    extra = tuple(cd for cd in strict.conditions if cd.name in (STRICT_INACTIVITY, DUAL_SIGN))
    scope = "this dataset" if not is_symbolic(X) else "every admissible value of the data's symbols"
    return FixedPointVerification(Report(subject, needed + (fp,), scope),
                                  Report(f"nondegeneracy of the fixed point at c on {S}", extra, scope), residual, fmap)
