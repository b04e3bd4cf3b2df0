"""KKT systems of the l2 max-margin problem and of P(c) (Def. 4.6), solved and verified exactly.

Both problems are  min 1/2 w^T diag(m) w  s.t.  <w, x_i> >= 1  with a positive diagonal
metric ``m``: m = 1 for the l2 problem (hard-margin SVM), m = diag D(c) with
D(c) = diag(sqrt(sum_j c_j^2 x_j^2)) for P(c) (Def. 4.6, eq. (6)).  KKT:

    diag(m) w = sum_i lambda_i x_i,  <w, x_i> >= 1,  lambda >= 0,  lambda_i (<w, x_i> - 1) = 0.

On a candidate support set S (constraints active, the others strictly inactive) the
system is linear:  lambda_S = (X_S diag(m)^{-1} X_S^T)^{-1} 1,  w = diag(m)^{-1} X_S^T lambda_S
(the local formula of the proof of Thm 4.8, valid under LICQ, Assumption 4.7).
:func:`verify_kkt` substitutes any candidate (w, lambda) back and decides every
condition exactly; a wrong S fails it, naming the violated condition ("dual sign"
if S holds a non-support vector, "primal feasibility" if S misses one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import mpmath
import sympy as sp
from sympy.polys.matrices import DomainMatrix

from .decide import is_zero, sign_ok
from .errors import EXACT_MAX, SYMBOLIC_MAX, LICQError, TheoryError, check_cost, check_size
from .exact_input import as_exact_matrix, as_exact_vector, is_symbolic
from .report import (COMPLEMENTARITY, DUAL_SIGN, PRIMAL_FEASIBILITY, STATIONARITY, STRICT_INACTIVITY, Report,
                     make_condition)

#: default bound on (distinct radicals of the metric) x |S| for :func:`quadratic_kkt` (about 5 s at 20; see
#: theory.errors.check_cost for the measurements)
MAX_COST = 20

__all__ = ["KKTSolution", "D_diag", "quadratic_kkt", "l2_kkt", "mahalanobis_kkt", "verify_kkt",
           "l2_max_margin_exact", "mahalanobis_max_margin_exact", "quadratic_max_margin_exact"]


@dataclass(frozen=True)
class KKTSolution:
    """Exact solution of the KKT system on ``support``: primal ``w`` (d x 1), multipliers ``lam`` (N x 1).

    ``metric`` is the diagonal of the quadratic form (ones for l2, D(c) for P(c)).
    ``margin`` = 1/||w||_metric is the normalised margin in that norm.
    """

    problem: str
    X: sp.Matrix
    metric: sp.Matrix
    support: tuple[int, ...]
    w: sp.Matrix
    lam: sp.Matrix
    #: (metric, w, lam) with each irrational metric entry replaced by a positive dummy: the KKT equalities
    #: hold there as rational-function identities, which verify() checks (a proof valid for any entry values)
    generic: tuple = field(default=(), repr=False, compare=False)

    @property
    def direction(self) -> sp.Matrix:
        """w / ||w||_2 (directions are unit l2 vectors)."""
        return self.w / sp.sqrt(sum(v**2 for v in self.w))

    @property
    def margin(self) -> sp.Expr:
        return 1 / sp.sqrt(sum(m * v**2 for m, v in zip(self.metric, self.w)))

    def verify(self, *, strict: bool = True) -> Report:
        """:func:`verify_kkt` on this solution."""
        return verify_kkt(self.X, self.w, self.lam, metric=self.metric, support=self.support, strict=strict,
                          problem=self.problem, generic=self.generic or None)


def D_diag(X, c) -> sp.Matrix:
    """Diagonal of D(c) = diag(sqrt(sum_j c_j^2 x_j^2)) (Def. 4.6, eq. (6)), a d x 1 column."""
    X = as_exact_matrix(X)
    c = as_exact_vector(c, X.rows)
    return sp.Matrix([sp.sqrt(sum(c[j]**2 * X[j, k]**2 for j in range(X.rows))) for k in range(X.cols)])


def _is_radical_free(v: sp.Expr) -> bool:
    """A rational number, or a rational function of symbols with rational coefficients (no placeholder needed)."""
    if v.is_Rational:
        return True
    return bool(v.free_symbols) and v.is_rational_function() and all(
        a.is_Rational for a in v.atoms(sp.Number)) and not any(
        not p.exp.is_Integer for p in v.atoms(sp.Pow))


def quadratic_kkt(X, metric, support, *, problem: str = "quadratic", max_size: int | None = None,
                  max_cost: int = MAX_COST) -> KKTSolution:
    """Solve the KKT system of  min 1/2 w^T diag(metric) w  s.t. Xw >= 1  on a support set S (Thm 4.8 proof).

    lambda_S = (X_S diag(m)^{-1} X_S^T)^{-1} 1 and w = diag(m)^{-1} X_S^T lambda_S, lambda = 0 off S.
    Raises :class:`theory.errors.LICQError` if the support vectors are linearly dependent (Assumption 4.7
    fails), :class:`theory.errors.SizeGuardError` if |S| exceeds ``max_size`` (default 12 for symbolic data,
    40 for closed data) or (distinct radicals of the metric) x |S| exceeds ``max_cost``.
    """
    X = as_exact_matrix(X)
    m = as_exact_vector(metric, X.cols, name="metric")
    S = tuple(sorted({int(i) for i in support}))
    if not S or S[0] < 0 or S[-1] >= X.rows:
        raise TheoryError(f"support must be a non-empty subset of range({X.rows}), got {support!r}")
    symbolic = is_symbolic(X) or is_symbolic(m)
    check_size(len(S), max_size or (SYMBOLIC_MAX if symbolic else EXACT_MAX), "support size |S|")
    XS = X.extract(list(S), list(range(X.cols)))
    # Solve with every non-rational metric entry replaced by a positive dummy: the solution is a rational
    # function of (X, m), simplified by cancel (fast), then the entries (e.g. sqrt(...) of D(c)) go back in.
    subs = {}
    md = []
    for v in m:
        if _is_radical_free(v):
            md.append(v)
        else:
            subs.setdefault(v, sp.Dummy("m", positive=True))
            md.append(subs[v])
    check_cost(len(subs), len(S), max_cost, "exact KKT solve")
    back = {dm: v for v, dm in subs.items()}
    Minv = sp.diag(*[1 / v for v in md])
    G = XS * Minv * XS.T
    # LICQ: G is singular iff X_S has dependent rows (diag(m) > 0); for symbolic data "dependent" means
    # identically, i.e. det(X_S X_S^T) expands to 0 (special symbol values are the user's business)
    gram_det = sp.expand((XS * XS.T).det(method="berkowitz"))
    if (gram_det == 0) if symbolic else is_zero(gram_det) is True:
        raise LICQError(S)
    exact_rational = all(v.is_Rational for v in list(X) + list(m))
    generic = ()
    if exact_rational:
        lamS = G.LUsolve(sp.ones(len(S), 1))
        w = Minv * XS.T * lamS
    else:
        # exact Gaussian elimination in the rational-function field of the symbols and dummies
        dG = DomainMatrix.from_Matrix(G).to_field()
        lamS_g = dG.lu_solve(DomainMatrix.from_Matrix(sp.ones(len(S), 1)).convert_to(dG.domain)).to_Matrix()
        w_g = (Minv * XS.T * lamS_g).applyfunc(sp.cancel)
        if symbolic:  # families: factored forms read best, e.g. 1/(2a + delta)
            lamS_g, w_g = lamS_g.applyfunc(sp.factor), w_g.applyfunc(sp.factor)
        # substituting the radicals back can re-create cancellable factors (sqrt((a+b)^2) -> a + b): simplify again
        lamS, w = lamS_g.xreplace(back).applyfunc(_tidy), w_g.xreplace(back).applyfunc(_tidy)
        if subs:
            generic = (sp.Matrix(md), w_g, _embed(lamS_g, S, X.rows))
    return KKTSolution(problem, X, m, S, w, _embed(lamS, S, X.rows), generic)


def _embed(lamS: sp.Matrix, S, N: int) -> sp.Matrix:
    lam = sp.zeros(N, 1)
    for k, i in enumerate(S):
        lam[i] = lamS[k]
    return lam


def _tidy(e: sp.Expr) -> sp.Expr:
    """Canonical form of a closed algebraic or symbolic entry (rationalised denominators, factored)."""
    if e.free_symbols:
        f = sp.factor(sp.cancel(sp.together(e)))
        return f if not f.has(sp.Pow) or all(p.exp.is_Integer for p in f.atoms(sp.Pow)) else sp.simplify(f)
    # rationalising denominators costs exponentially many terms in the number of radicals: only for a few
    return sp.radsimp(sp.together(e)) if len(e.atoms(sp.Pow)) <= 2 else sp.together(e)


def l2_kkt(X, support, *, max_size: int | None = None) -> KKTSolution:
    """KKT solution of the l2 max-margin problem  min 1/2||w||^2 s.t. <w, x_i> >= 1  on ``support`` (Thm 3.3)."""
    X = as_exact_matrix(X)
    return quadratic_kkt(X, sp.ones(X.cols, 1), support, problem="l2", max_size=max_size)


def mahalanobis_kkt(X, c, support, *, max_size: int | None = None, max_cost: int = MAX_COST) -> KKTSolution:
    """KKT solution of P(c) (Def. 4.6):  min 1/2 w^T D(c) w  s.t. <w, x_i> >= 1, on ``support``."""
    return quadratic_kkt(X, D_diag(X, c), support, problem="P(c)", max_size=max_size, max_cost=max_cost)


def verify_kkt(X, w, lam, *, metric=None, support=None, strict: bool = True, problem: str = "quadratic",
               generic=None) -> Report:
    """Substitute (w, lambda) into the KKT system of  min 1/2 w^T diag(metric) w s.t. Xw >= 1  (Def. 4.6).

    Conditions, each decided exactly: stationarity diag(m) w = X^T lambda; primal feasibility
    <w, x_i> >= 1 with equality on S; strict inactivity <w, x_j> > 1 off S; dual sign lambda_i > 0 on S
    and = 0 off S (``strict=False``: lambda >= 0 and >= 1 off S, plain KKT); complementarity
    lambda_i (<w, x_i> - 1) = 0.  ``support`` defaults to {i : lambda_i != 0}.  ``metric`` defaults to ones (l2).
    ``generic`` = (metric, w, lambda) in dummy variables for irrational metric entries (as stored by
    :func:`quadratic_kkt`): the equalities are then proved as rational-function identities there.
    """
    X = as_exact_matrix(X)
    w = as_exact_vector(w, X.cols, name="w")
    lam = as_exact_vector(lam, X.rows, name="lambda")
    m = sp.ones(X.cols, 1) if metric is None else as_exact_vector(metric, X.cols, name="metric")
    S = set(range(X.rows)) - {i for i in range(X.rows) if is_zero(lam[i]) is True} if support is None \
        else {int(i) for i in support}
    slack = [sp.expand(sum(w[k] * X[i, k] for k in range(X.cols)) - 1) for i in range(X.rows)]
    stat = [m[k] * w[k] - sum(lam[i] * X[i, k] for i in range(X.rows)) for k in range(X.cols)]
    if generic:
        mg, wg, lg = generic
        slack_g = [sum(wg[k] * X[i, k] for k in range(X.cols)) - 1 for i in range(X.rows)]
        stat_g = [mg[k] * wg[k] - sum(lg[i] * X[i, k] for i in range(X.rows)) for k in range(X.cols)]
        eq0 = lambda e: sp.cancel(sp.together(e)) == 0 or is_zero(e.xreplace(_back(generic, m)))  # noqa: E731
        stat_v = [eq0(e) for e in stat_g]
        act_v = {i: eq0(slack_g[i]) for i in S}
        comp_v = [eq0(lg[i] * slack_g[i]) for i in range(X.rows)]
    else:
        stat_v = [is_zero(e) for e in stat]
        act_v = {i: is_zero(slack[i]) for i in S}
        comp_v = [is_zero(lam[i] * slack[i]) for i in range(X.rows)]
    conds = [
        make_condition(STATIONARITY, [(k, e, stat_v[k]) for k, e in enumerate(stat)],
                       "diag(m) w = sum_i lambda_i x_i"),
        make_condition(PRIMAL_FEASIBILITY, [(i, s, act_v[i] if i in S else sign_ok(s, strict=False))
                                            for i, s in enumerate(slack)], "<w, x_i> >= 1, = 1 on S"),
        make_condition(STRICT_INACTIVITY, [(i, s, sign_ok(s, strict=strict)) for i, s in enumerate(slack)
                                           if i not in S], "<w, x_j> > 1 for j not in S"),
        make_condition(DUAL_SIGN, [(i, lam[i], sign_ok(lam[i], strict=strict) if i in S else
                                    (is_zero(lam[i]) if strict else sign_ok(lam[i], strict=False)))
                                   for i in range(X.rows)], "lambda_i > 0 on S, lambda_i = 0 off S"),
        make_condition(COMPLEMENTARITY, [(i, lam[i] * slack[i], comp_v[i])
                                         for i in range(X.rows)], "lambda_i (<w, x_i> - 1) = 0"),
    ]
    scope = "every admissible value of the data's symbols" if is_symbolic(X) or is_symbolic(w) else "this dataset"
    return Report(f"KKT of {problem} on support {tuple(sorted(S))}", tuple(conds), scope)


def _back(generic, m: sp.Matrix) -> dict:
    """Dummy -> value map of a ``generic`` triple (the dummies stand for the irrational metric entries)."""
    return {g: v for g, v in zip(generic[0], m) if g != v}


def _screen(Xn, mn, S, tol):
    """High-precision float screen of support S: True if it may be the support (then verify exactly)."""
    XS = mpmath.matrix([[Xn[i, k] for k in range(Xn.cols)] for i in S])
    Minv = mpmath.diag([1 / v for v in mn])
    G = XS * Minv * XS.T
    try:
        lamS = mpmath.lu_solve(G, mpmath.matrix([1] * len(S)))
    except ZeroDivisionError:
        return False
    if min(lamS) <= tol:
        return False
    w = Minv * XS.T * lamS
    others = [i for i in range(Xn.rows) if i not in S]
    return all(sum(Xn[i, k] * w[k] for k in range(Xn.cols)) - 1 > tol for i in others)


def quadratic_max_margin_exact(X, metric, *, problem: str = "quadratic", max_size: int = SYMBOLIC_MAX,
                               dps: int = 50, max_cost: int = MAX_COST) -> KKTSolution:
    """Exact solution of  min 1/2 w^T diag(metric) w s.t. Xw >= 1  for closed (symbol-free) data.

    Enumerates support sets by increasing size (at most rank X), screens each at ``dps`` digits and
    returns the first one whose exact KKT verification passes.  Guard: N <= ``max_size`` (2^N sets).
    """
    X = as_exact_matrix(X)
    m = as_exact_vector(metric, X.cols, name="metric")
    if is_symbolic(X) or is_symbolic(m):
        raise TheoryError("the support set of symbolic data depends on the symbols' values: pass a candidate "
                          "support to quadratic_kkt / l2_kkt / mahalanobis_kkt and verify it")
    check_size(X.rows, max_size, "number of samples N (support enumeration)")
    with mpmath.workdps(dps):
        Xn = mpmath.matrix([[mpmath.mpf(sp.N(v, dps + 10)) for v in X.row(i)] for i in range(X.rows)])
        mn = [mpmath.mpf(sp.N(v, dps + 10)) for v in m]
        tol = mpmath.mpf(10) ** (-(dps // 2))
        # first pass: strict complementarity (the generic case); second: degenerate problems, where an
        # active constraint carries a zero multiplier and only the plain KKT conditions can hold
        for strict, screen_tol in ((True, tol), (False, -tol)):
            for size in range(1, min(X.rows, X.rank()) + 1):
                for S in combinations(range(X.rows), size):
                    if not _screen(Xn, mn, S, screen_tol):
                        continue
                    sol = quadratic_kkt(X, m, S, problem=problem, max_size=max_size, max_cost=max_cost)
                    if sol.verify(strict=strict).ok:
                        return sol
    raise TheoryError("no support set passes the KKT verification: the data are not separable "
                      "(or the problem is degenerate: an active constraint with a zero multiplier)")


def l2_max_margin_exact(X, *, max_size: int = SYMBOLIC_MAX) -> KKTSolution:
    """Exact l2 max-margin solution (hard-margin SVM; the Thm 3.3 limit) of rational/closed data."""
    X = as_exact_matrix(X)
    return quadratic_max_margin_exact(X, sp.ones(X.cols, 1), problem="l2", max_size=max_size)


def mahalanobis_max_margin_exact(X, c, *, max_size: int = SYMBOLIC_MAX, max_cost: int = MAX_COST) -> KKTSolution:
    """Exact solution of P(c) (Def. 4.6) for closed data and a closed weight vector c."""
    return quadratic_max_margin_exact(X, D_diag(X, c), problem="P(c)", max_size=max_size, max_cost=max_cost)
