"""Every fixed point of T (Thm 4.8) of a small rational dataset, as certified algebraic numbers.

For each support S, :func:`theory.support_system.support_system` writes the fixed points with support S as
the real solutions (t > 0, radicals > 0) of a polynomial system without radicals;
:func:`theory.polysolve.shape_basis` solves it exactly (Groebner basis, FGLM to lex, shape form
x_i = p_i(s), h(s) = 0); each real root theta of h (isolated by SymPy) gives one candidate in the number
field Q(theta), and :func:`certify_candidate` decides it by substitution in Q(theta):

* ``polynomial system``   every equation of the system is 0 at the candidate (exact reduction mod f);
* ``radicals positive``   u_k = D(c)_kk = sqrt(sum_j c_j^2 x_jk^2) > 0 (rejects spurious sign patterns);
* ``positive multipliers`` c_S > 0 and mu = 1/M(c) > 0, so lambda*(c) = mu c > 0 on S;
* ``primal feasibility``  <w, x_j> >= 1 off S;  ``LICQ``  the active constraints are independent
  (Assumption 4.7: then lambda*(c) is unique, so T(c) = lambda/||lambda||_1 = c);
* ``strict inactivity``   (nondegeneracy) <w, x_j> > 1 off S.

Completeness: every fixed point with support S at which LICQ holds solves the system with t > 0, v > 0
(support_system's docstring), so when the system is zero-dimensional and in shape position the list
per support is complete; :func:`all_fixed_points` runs over all 2^N - 1 supports.  For N <= 4 (small d)
this answers the uniqueness question that Thm 4.8 leaves open, dataset by dataset.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import sympy as sp
from sympy import QQ
from sympy.polys.rings import ring

from .algebraic import FieldElement, RealRoot, real_roots
from .errors import SizeGuardError, TheoryError, check_cost, check_size
from .exact_input import as_exact_matrix, is_rational_matrix
from .polysolve import shape_basis
from .report import (LICQ, PRIMAL_FEASIBILITY, PROVED, STRICT_INACTIVITY, UNDECIDED, FixedPointVerdicts, Report,
                     Verdict, make_condition)
from .support_system import SupportSystem, support_system

__all__ = ["ExactFixedPoint", "SupportResult", "FixedPointCatalogue", "certify_candidate", "fixed_points_on_support",
           "all_fixed_points", "singular_columns", "MAX_COST", "SINGULAR"]

#: the status of a support on which D(c) is singular (excluded, with the coordinates)
SINGULAR = "D(c) singular"
#: default bound on (distinct radicals of D(c)) x |S| for one support system (theory.errors.check_cost)
MAX_COST = 10
#: measured solve times by cost on the 2-core machine (small integer data; exact binary floats take ~10x longer)
_ESTIMATE = {11: "estimated 10-150 s", 12: "estimated over 150 s (measured)"}


@dataclass(frozen=True)
class ExactFixedPoint(FixedPointVerdicts):
    """A fixed point c* of T with support ``support``: coordinates in Q(theta), theta = ``root``.

    ``c`` (exact: Rational or CRootOf of the minimal polynomial), ``w`` = w*(c*) scaled to margin 1 on S
    (its direction is the AdamProxy limit of Thm 4.8(d)); ``report``/``nondegeneracy`` as in
    :class:`theory.fixed_point.FixedPointVerification`.
    """

    X: sp.Matrix
    support: tuple[int, ...]
    root: RealRoot
    c_field: tuple[FieldElement, ...]
    w_field: tuple[FieldElement, ...]
    report: Report
    nondegeneracy: Report
    #: the support system and the point's unknowns in Q(theta), to re-run :func:`certify_candidate`
    system: SupportSystem | None = field(default=None, repr=False, compare=False)
    coordinates: tuple = field(default=(), repr=False, compare=False)

    @cached_property
    def c(self) -> sp.Matrix:
        return sp.Matrix([e.as_expr() for e in self.c_field])

    @cached_property
    def w(self) -> sp.Matrix:
        return sp.Matrix([e.as_expr() for e in self.w_field])

    def c_evalf(self, n: int = 50) -> tuple:
        return tuple(e.evalf(n) for e in self.c_field)

    def direction_evalf(self, n: int = 50) -> tuple:
        """w*(c*)/||w*(c*)||_2 to n digits."""
        w = [e.evalf(n + 10) for e in self.w_field]
        nrm = sp.sqrt(sum(v**2 for v in w))
        return tuple(sp.N(v / nrm, n) for v in w)


@dataclass(frozen=True)
class SupportResult:
    """The fixed points with one support S: ``points``, the rejected real candidates by reason, ``status``."""

    support: tuple[int, ...]
    status: str
    points: tuple[ExactFixedPoint, ...] = ()
    rejected: tuple = ()
    degree: int = 0
    radicals: int = 0
    seconds: float = 0.0

    @property
    def verdict(self) -> Verdict:
        """proved: ``points`` are all the fixed points with this support (at which LICQ holds)."""
        if self.status in ("solved", "empty", "LICQ fails") or self.status.startswith(SINGULAR):
            return Verdict(PROVED, self.status, (), "this dataset")
        return Verdict(UNDECIDED, f"support {self.support}: {self.status}", (), "this dataset")


@dataclass(frozen=True)
class FixedPointCatalogue:
    """All fixed points of T on X (:func:`all_fixed_points`): ``points``, per-support results, the verdict."""

    X: sp.Matrix
    points: tuple[ExactFixedPoint, ...]
    supports: tuple[SupportResult, ...]
    seconds: float

    @property
    def verdict(self) -> Verdict:
        open_ = [s for s in self.supports if not s.verdict.proved]
        if open_:
            return Verdict(UNDECIDED, "; ".join(s.verdict.reason for s in open_), (), "this dataset")
        excluded = [s.support for s in self.supports if s.status == "LICQ fails"]
        singular = [s.support for s in self.supports if s.status.startswith(SINGULAR)]
        note = f" (supports {excluded} excluded: LICQ fails there, Assumption 4.7)" if excluded else ""
        if singular:
            note += (f" (supports {singular} excluded: D(c) is singular there, Assumption 2.2 / Def. 4.6; "
                     "numerics.fixed_point.degenerate covers them)")
        return Verdict(PROVED, f"T has exactly {len(self.points)} fixed point(s){note}", (), "this dataset")

    @property
    def count(self) -> int | None:
        return len(self.points) if self.verdict.proved else None

    @property
    def unique(self) -> bool | None:
        return None if self.count is None else self.count == 1


def _value(expr, coords, root: RealRoot) -> FieldElement:
    """A polynomial in the system's unknowns at the candidate, as an element of Q(theta) (composition in a
    polynomial ring: much faster than expanding expressions)."""
    z = root.poly.gen
    names = [x for x in coords if x != z]
    R, *_ = ring(names + [z], QQ)
    e = R(sp.sympify(expr))
    for x in names:
        e = e.compose(R(x), R(coords[x].poly.as_expr()))
    return FieldElement.of(root, e.as_expr())


def _rank(M: sp.Matrix) -> int:
    return M.rank() if M.rows else 0


def certify_candidate(system: SupportSystem, root: RealRoot, coords: dict) -> tuple[Report, Report, tuple, tuple]:
    """Decide by exact substitution in Q(theta) whether the candidate ``coords`` (unknown -> FieldElement) is a
    fixed point with support ``system.support`` (module docstring).  Returns (report, nondegeneracy, c, w)."""
    X, S = system.X, system.support
    N, d = X.shape
    eqs = [(i, e, _value(e, coords, root).is_zero()) for i, e in enumerate(system.equations)]
    rad = [(str(x), coords[x].poly.as_expr(), coords[x].sign() > 0) for x in system.s]
    c_un = [_value(ci, coords, root) for ci in system.c]
    m0 = _value(system.margins[S[0]], coords, root)  # u_0 M(c), the common margin times u_0 > 0
    mult = [(S[a], ca.poly.as_expr(), ca.sign() > 0) for a, ca in enumerate(c_un)]
    mult.append(("M(c)", m0.poly.as_expr(), m0.sign() > 0))
    rest = [j for j in range(N) if j not in S]
    slack = {j: _value(system.margins[j], coords, root) - m0 for j in rest}  # u_0 M(c) (<w, x_j> - 1)
    sgn = {j: slack[j].sign() for j in rest}
    active = list(S) + [j for j in rest if sgn[j] == 0]
    licq = _rank(X.extract(active, list(range(d)))) == len(active)
    report = Report(f"fixed point of T with support {S}", (
        make_condition("polynomial system", eqs, "the eliminated fixed-point equations hold in Q(theta)"),
        make_condition("radicals positive", rad, "s_r = u_0 / u_r > 0 (the positive square roots of D(c))"),
        make_condition("positive multipliers", mult, "c_S > 0 and the common margin M(c) > 0"),
        make_condition(PRIMAL_FEASIBILITY, [(j, slack[j].poly.as_expr(), sgn[j] >= 0) for j in rest],
                       "<w, x_j> >= 1 off S"),
        make_condition(LICQ, [(tuple(active), "rank", licq)], "active constraints linearly independent"),
    ), "this dataset")
    nondeg = Report(f"nondegeneracy on {S}", (make_condition(
        STRICT_INACTIVITY, [(j, slack[j].poly.as_expr(), sgn[j] > 0) for j in rest], "<w, x_j> > 1 off S"),),
        "this dataset")
    total = sum(c_un[1:], c_un[0])
    c = [FieldElement.of(root, 0)] * N
    w = ()
    if not total.is_zero() and not m0.is_zero():
        for a, i in enumerate(S):
            c[i] = c_un[a] / total
        # w_k = mu g_k / u_k = g_k (u_0 / u_k) / (u_0 M(c))
        w = tuple(_value(sp.expand(system.g(k) * system.ratio[k]), coords, root) / m0 for k in range(d))
    return report, nondeg, tuple(c), w


def _solve(system: SupportSystem):
    """Shape basis of the support system: first without the Rabinowitsch unknown, then with it if needed."""
    shape = None
    for saturate in (False, True):
        shape = shape_basis(system.polynomials(saturate), system.gens(saturate), separating=system.s + system.t)
        if shape.status in ("ok", "empty"):
            return shape
    return shape


def fixed_points_on_support(X, support, *, max_cost: int = MAX_COST) -> SupportResult:
    """Every fixed point of T whose support is ``support``, exact and certified (rational X; a support whose rows
    are all 0 at some coordinate is excluded, D(c) being singular there).

    Guard: (distinct radicals of D(c)) x |S| <= ``max_cost`` (:class:`theory.errors.SizeGuardError` otherwise).
    """
    X = _check_data(X)
    t0 = time.perf_counter()
    S = tuple(sorted(int(i) for i in support))
    singular = singular_columns(X, S)
    if singular:
        return SupportResult(S, f"{SINGULAR}: D(c) = 0 at coordinates {singular} (every row of X_S is 0 there)",
                             seconds=time.perf_counter() - t0)
    system = support_system(X, support)
    S = system.support
    if _rank(X.extract(list(S), list(range(X.cols)))) < len(S):
        return SupportResult(S, "LICQ fails", seconds=time.perf_counter() - t0)
    check_cost(system.radicals, len(S), max_cost, f"fixed-point system on support {S}",
               _ESTIMATE.get(system.cost, "estimated over 150 s (measured at cost 12)"))
    shape = _solve(system)
    if shape.status != "ok":
        return SupportResult(S, shape.status, radicals=system.radicals, seconds=time.perf_counter() - t0)
    points, rejected = [], {}
    for root in real_roots(shape.h):
        coords = {x: FieldElement.of(root, p.as_expr()) for x, p in shape.coordinates}
        coords[shape.s] = FieldElement.of(root, shape.s)
        report, nondeg, c, w = certify_candidate(system, root, coords)
        if report.ok:
            points.append(ExactFixedPoint(X, S, root, c, w, report, nondeg, system, tuple(coords.items())))
        else:
            reason = report.failed[0] if report.failed else "undecided"
            rejected[reason] = rejected.get(reason, 0) + 1
    return SupportResult(S, "solved", tuple(points), tuple(sorted(rejected.items())), shape.h.degree(),
                         system.radicals, time.perf_counter() - t0)


def _check_data(X) -> sp.Matrix:
    X = as_exact_matrix(X)
    if not is_rational_matrix(X):
        raise TheoryError("exact fixed points need rational data (the polynomial system is solved over Q); "
                          "convert floats with theory.rationalize(X, None) to keep their exact binary values")
    return X


def singular_columns(X: sp.Matrix, support) -> list[int]:
    """Coordinates k where every row of X_S is 0: D(c)_kk = 0 for every c carried by S, so P(c) and Thm 4.8's T
    are not defined there (zero entries elsewhere are harmless: D(c) > 0 on S is all Thm 4.8 uses)."""
    return [k for k in range(X.cols) if all(X[i, k] == 0 for i in support)]


def all_fixed_points(X, *, max_samples: int = 4, max_cost: int = MAX_COST) -> FixedPointCatalogue:
    """Every fixed point of T on rational data X (Thm 4.8), exact, certified, over all supports (module docstring).

    Guards: N <= ``max_samples`` (2^N - 1 supports); a support whose cost exceeds ``max_cost`` is not solved
    and is reported (status ``size guard``), which makes the verdict undecided.  The verdict is *proved*
    ("exactly k fixed points") when every support system was solved.
    """
    X = _check_data(X)
    check_size(X.rows, max_samples, "number of samples N (support enumeration)", f"{2**X.rows - 1} supports")
    t0 = time.perf_counter()
    results = []
    for m in range(1, X.rows + 1):
        for S in combinations(range(X.rows), m):
            try:
                results.append(fixed_points_on_support(X, S, max_cost=max_cost))
            except SizeGuardError as exc:
                results.append(SupportResult(S, f"size guard: {exc.what} = {exc.cost} > {exc.bound} "
                                                f"({exc.estimate})"))
    points = tuple(p for r in results for p in r.points)
    return FixedPointCatalogue(X, points, tuple(results), time.perf_counter() - t0)
