"""The exact data path: type a small dataset, get every exact answer of the paper.

    >>> from theory import exact_answers
    >>> ans = exact_answers([[2, 1, 1], [1, 4, 1], [1, 1, 5]])   # shifted diagonal a = (1, 3, 4), b = 1
    >>> ans.linf.value, ans.linf.w.T
    (1/4, Matrix([[1/4, 1/4, 1/4]]))
    >>> ans.l2.w.T, ans.l2.support
    (Matrix([[1/3, 1/6, 1/6]]), (0,))
    >>> ans.fixed_point_c.T, ans.fixed_point_reason
    (Matrix([[1, 0, 0]]), 'mechanism (M) holds for i* = 0 (Ex. 4.11)')
    >>> ans.fixed_points.verdict.reason                       # and it is the only fixed point of T
    'T has exactly 1 fixed point(s)'

What is exact: the l2 max-margin problem (Thm 3.3) for rational or closed algebraic data; the l_inf LP
(Prop. 2.4 / Z24 limit) for rational data (SymPy's simplex) and for algebraic data through an exactly
verified optimal basis; P(c) and T(c) for any closed c (Def. 4.6, Thm 4.8); the SignSGD direction
(App. G); and, for rational data with N <= 4 and small d, *every* fixed point of T
(:func:`theory.exact_fixed_points.all_fixed_points`).  Beyond that size the fixed point is given exactly
only where the paper's structure supplies it: GR data (Ex. 4.9: c* = lambda_2/||lambda_2||_1), the
mechanism (M) of Ex. 4.11 (c* = e_{i*}), or a cheap candidate (a vertex e_i, the normalised l2 dual) that
verifies exactly within the cost guard.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import SYMBOLIC_MAX, SizeGuardError, TheoryError
from .exact_fixed_points import MAX_COST, ExactFixedPoint, FixedPointCatalogue, all_fixed_points
from .exact_input import as_exact_matrix, is_rational_matrix, is_symbolic
from .fixed_point import FixedPointVerification, verify_fixed_point
from .generalized_rademacher import is_generalized_rademacher
from .kkt import MAX_COST as KKT_MAX_COST
from .kkt import KKTSolution, l2_max_margin_exact
from .linf_lp import LinfSolution, linf_max_margin_exact
from .linf_mechanism import linf_mechanism
from .signsgd import signsgd_direction

__all__ = ["ExactAnswers", "exact_answers"]


@dataclass(frozen=True)
class ExactAnswers:
    """Exact answers for one closed dataset: l2 and l_inf solutions, SignSGD direction, the fixed point(s) of T.

    ``fixed_points`` is the complete catalogue when it could be computed (else None, ``fixed_points_reason``
    says why); ``fixed_point`` is the verification of the one named by ``fixed_point_c``.
    """

    X: sp.Matrix
    l2: KKTSolution
    linf: LinfSolution
    signsgd: sp.Matrix | None
    generalized_rademacher: bool
    fixed_point_c: sp.Matrix | None
    fixed_point_reason: str
    fixed_point: FixedPointVerification | ExactFixedPoint | None
    fixed_points: FixedPointCatalogue | None = None
    fixed_points_reason: str = ""

    @property
    def adam_proxy_direction(self) -> sp.Matrix | None:
        """w*(c*)/||w*(c*)||_2 (Thm 4.8(d)) when an exact fixed point is known, else None."""
        if self.fixed_point is None:
            return None
        if isinstance(self.fixed_point, ExactFixedPoint):
            w = self.fixed_point.w
            return w / sp.sqrt(sum(v**2 for v in w))
        return self.fixed_point.direction


def _vertex(N: int, i: int) -> sp.Matrix:
    return sp.Matrix([1 if j == i else 0 for j in range(N)])


def _closed_form(X: sp.Matrix, l2: KKTSolution, gr: bool, max_size: int, max_cost: int):
    """(c, reason, verification) from the paper's structure or a cheap candidate, or (None, reason, None)."""
    if gr:
        c = l2.lam / sum(l2.lam)
        return c, "GR data: c* = lambda_2/||lambda_2||_1 (Ex. 4.9)", verify_fixed_point(X, c, max_size=max_size)
    for i in range(X.rows):
        try:
            cert = linf_mechanism(X, i)
        except TheoryError:
            continue
        if cert.holds:
            return _vertex(X.rows, i), f"mechanism (M) holds for i* = {i} (Ex. 4.11)", cert.fixed_point
    cands = [(f"vertex e_{i}", _vertex(X.rows, i)) for i in range(X.rows)]
    cands.append(("normalised l2 dual", l2.lam / sum(l2.lam)))
    skipped = []
    for name, cand in cands:
        try:
            ver = verify_fixed_point(X, cand, max_size=max_size, max_cost=max_cost)
        except SizeGuardError as exc:  # an expensive candidate is skipped, and the reason kept
            skipped.append(f"{name}: {exc}")
            continue
        if ver.is_fixed_point is True:
            return cand, f"verified candidate: {name} (Thm 4.8)", ver
    reason = "no closed form: use numerics.fixed_point, then verify_fixed_point"
    return None, reason + (f" (skipped {'; '.join(skipped)})" if skipped else ""), None


def exact_answers(X, *, max_size: int = SYMBOLIC_MAX, max_cost: int | None = None,
                  enumerate_fixed_points: bool = True) -> ExactAnswers:
    """All exact answers for rational (or closed algebraic) data X (rows label-absorbed: x_i = y_i x_i).

    ``enumerate_fixed_points``: run :func:`theory.exact_fixed_points.all_fixed_points` when the data are
    rational with N <= 4; the catalogue then decides uniqueness.  ``max_cost`` bounds (distinct radicals of
    D(c)) x |S| for every exact solve (default: each routine's own, 10 for the enumeration, 20 for a candidate).
    """
    X = as_exact_matrix(X)
    if is_symbolic(X):
        raise TheoryError("exact_answers needs numbers; for symbolic families use the per-topic modules")
    l2 = l2_max_margin_exact(X, max_size=max_size)
    linf = linf_max_margin_exact(X)
    try:
        ss = signsgd_direction(X)
    except TheoryError:
        ss = None
    gr = is_generalized_rademacher(X) is True
    c, reason, fp = _closed_form(X, l2, gr, max_size, KKT_MAX_COST if max_cost is None else max_cost)
    cat, cat_reason = None, ""
    if not enumerate_fixed_points:
        cat_reason = "not requested"
    elif not is_rational_matrix(X) or X.rows > 4:
        cat_reason = "the enumeration needs rational data and N <= 4 (supports where D(c) is singular are excluded)"
    else:
        cat = all_fixed_points(X, max_cost=MAX_COST if max_cost is None else max_cost)
        cat_reason = cat.verdict.reason
        if c is None and cat.count == 1:
            fp = cat.points[0]
            c, reason = fp.c, "the only fixed point of T (all supports solved exactly)"
    if fp is not None and fp.is_fixed_point is not True:  # pragma: no cover
        raise TheoryError(f"claimed fixed point failed verification: {fp.failed}")
    return ExactAnswers(X, l2, linf, ss, gr, c, reason, fp, cat, cat_reason)
