"""The rational / exact data path: type a small dataset, get every closed-form answer of the paper.

    >>> from theory import exact_answers
    >>> ans = exact_answers([[2, 1, 1], [1, 4, 1], [1, 1, 5]])   # shifted diagonal a = (1, 3, 4), b = 1
    >>> ans.linf.value, ans.linf.w.T
    (1/4, Matrix([[1/4, 1/4, 1/4]]))
    >>> ans.l2.w.T, ans.l2.support
    (Matrix([[1/3, 1/6, 1/6]]), (0,))
    >>> ans.fixed_point_c.T, ans.fixed_point_reason
    (Matrix([[1, 0, 0]]), 'mechanism (M) holds for i* = 0 (Ex. 4.11)')

What is exact for rational data: the l2 max-margin problem (Thm 3.3) and the l_inf LP (Prop. 2.4/Z24)
always; P(c) and T(c) for any rational c (algebraic numbers, Def. 4.6, Thm 4.8); the SignSGD direction
(App. G).  A fixed point of T is in general an algebraic number of high degree, so it is given exactly
only where the paper's structure supplies it: GR data (Ex. 4.9: c* = lambda_2/||lambda_2||_1) and the
mechanism (M) of Ex. 4.11 (c* = e_{i*}), or when a cheap candidate (the normalised l2 dual, a vertex
e_i) verifies exactly; otherwise ``fixed_point_c`` is None -- compute it with numerics.fixed_point and
check a rational candidate with :func:`theory.fixed_point.verify_fixed_point`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._guards import SYMBOLIC_MAX, TheoryError, as_exact_matrix, is_symbolic
from .fixed_point import FixedPointVerification, verify_fixed_point
from .generalized_rademacher import is_generalized_rademacher
from .kkt import KKTSolution, l2_max_margin_exact
from .linf_lp import LinfSolution, linf_max_margin_exact
from .shifted_diagonal import linf_mechanism
from .signsgd import signsgd_direction

__all__ = ["ExactAnswers", "exact_answers"]


@dataclass(frozen=True)
class ExactAnswers:
    """Exact answers for one closed dataset: l2 and l_inf solutions, SignSGD direction, fixed point if known."""

    X: sp.Matrix
    l2: KKTSolution
    linf: LinfSolution
    signsgd: sp.Matrix | None
    generalized_rademacher: bool
    fixed_point_c: sp.Matrix | None
    fixed_point_reason: str
    fixed_point: FixedPointVerification | None

    @property
    def adam_proxy_direction(self) -> sp.Matrix | None:
        """w*(c*)/||w*(c*)||_2 (Thm 4.8(d)) when an exact fixed point is known, else None."""
        return None if self.fixed_point is None else self.fixed_point.direction


def exact_answers(X, *, max_size: int = SYMBOLIC_MAX) -> ExactAnswers:
    """All exact answers for rational (or closed algebraic) data X (rows label-absorbed, math.md §12)."""
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
    c, reason, fp = None, "no closed form: use numerics.fixed_point, then verify_fixed_point", None
    if gr:
        c, reason = l2.lam / sum(l2.lam), "GR data: c* = lambda_2/||lambda_2||_1 (Ex. 4.9)"
    else:
        for i in range(X.rows):
            try:
                cert = linf_mechanism(X, i)
            except TheoryError:
                continue
            if cert.holds:
                c = sp.Matrix([1 if j == i else 0 for j in range(X.rows)])
                reason = f"mechanism (M) holds for i* = {i} (Ex. 4.11)"
                break
    if c is None:  # cheap exact candidates: the normalised l2 dual, then the vertices e_i (degenerate cases)
        cands = [("normalised l2 dual", l2.lam / sum(l2.lam))]
        cands += [(f"vertex e_{i}", sp.Matrix([1 if j == i else 0 for j in range(X.rows)])) for i in range(X.rows)]
        for name, cand in cands:
            if verify_fixed_point(X, cand, max_size=max_size).is_fixed_point is True:
                c, reason = cand, f"verified candidate: {name} (Thm 4.8)"
                break
    if c is not None:
        fp = verify_fixed_point(X, c, max_size=max_size)
        if fp.is_fixed_point is not True:  # pragma: no cover - would contradict Ex. 4.9 / the mechanism
            raise TheoryError(f"claimed fixed point failed verification: {fp.failed}")
    return ExactAnswers(X, l2, linf, ss, gr, c, reason, fp)
