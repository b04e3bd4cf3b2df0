"""The l_inf max-margin problem as an exact linear program (Prop. 2.4 / Z24 limit of Det-Adam; Ex. 4.11).

    (primal)  min ||w||_inf  s.t.  <w, x_i> >= 1          = min t s.t. Xw >= 1, -t <= w_k <= t
    (dual)    max sum_i lambda_i  s.t.  ||X^T lambda||_1 <= 1,  lambda >= 0

Both are solved by SymPy's exact simplex (:func:`sympy.solvers.simplex.linprog`) for rational
data.  The optimal value t* is unique (so is gamma_inf = 1/t*, the max normalised l_inf
margin); the minimiser w may not be, and one optimal w is reported.  KKT (subgradient form),
checked by :func:`verify_linf`:

    stationarity     X^T lambda in d||w||_inf, i.e. ||X^T lambda||_1 = 1 and <X^T lambda, w> = ||w||_inf
    primal feas.     <w, x_i> >= 1
    dual sign        lambda >= 0
    complementarity  lambda_i (<w, x_i> - 1) = 0

(``strict=True`` adds strict inactivity <w, x_j> > 1 off the support and lambda_S > 0, which
holds e.g. in the mechanism of Ex. 4.11 and implies the minimiser is unique there.)
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.solvers.simplex import UnboundedLPError, linprog

from .decide import is_zero, sign_ok
from .errors import EXACT_MAX, TheoryError, check_size
from .exact_input import as_exact_matrix, as_exact_vector, is_symbolic
from .report import (COMPLEMENTARITY, DUAL_SIGN, PRIMAL_FEASIBILITY, STATIONARITY, STRICT_INACTIVITY, Report,
                     make_condition)

__all__ = ["LinfSolution", "linf_max_margin_exact", "verify_linf", "linf_norm", "l1_norm"]


def linf_norm(v) -> sp.Expr:
    """||v||_inf of an exact vector (Max of absolute values)."""
    return sp.Max(*[sp.Abs(x) for x in v])


def l1_norm(v) -> sp.Expr:
    """||v||_1 of an exact vector."""
    return sp.Add(*[sp.Abs(x) for x in v])


@dataclass(frozen=True)
class LinfSolution:
    """Exact l_inf max-margin LP solution: optimal value ``value`` = min ||w||_inf (= 1/gamma_inf),
    one optimal ``w`` (d x 1), an optimal dual ``lam`` (N x 1) and ``support`` = {i : lam_i > 0}."""

    X: sp.Matrix
    value: sp.Expr
    w: sp.Matrix
    lam: sp.Matrix
    support: tuple[int, ...]

    @property
    def margin(self) -> sp.Expr:
        """gamma_inf = max_{||u||_inf <= 1} min_i <u, x_i> = 1 / value."""
        return 1 / self.value

    @property
    def direction(self) -> sp.Matrix:
        """w / ||w||_2 for the reported optimal w (the l_inf argmax may be non-unique)."""
        return self.w / sp.sqrt(sum(v**2 for v in self.w))

    def verify(self, *, strict: bool = False) -> Report:
        """:func:`verify_linf` on this solution."""
        return verify_linf(self.X, self.w, self.lam, support=self.support, strict=strict)


def _simplex(X: sp.Matrix) -> tuple[sp.Rational, sp.Matrix, sp.Matrix]:
    """(min ||w||_inf, an optimal w, an optimal dual lambda) of rational X by SymPy's exact simplex."""
    N, d = X.shape
    # Normalised-margin form  max gamma s.t. Xw >= gamma 1, ||w||_inf <= 1  with w = p - q, p, q in [0, 1]:
    # variables (p, q, gamma) >= 0,  -Xp + Xq + gamma 1 <= 0,  p <= 1,  q <= 1.  The origin is feasible,
    # so the simplex needs no phase 1 (SymPy 1.14's phase 1 can return infeasible points, sympy#28089;
    # on the textbook form min t s.t. Xw >= 1 it did so here).  Then min ||w||_inf = 1/gamma*.
    I = sp.eye(d)
    A = sp.Matrix.vstack(sp.Matrix.hstack(-X, X, sp.ones(N, 1)), sp.Matrix.hstack(I, sp.zeros(d, d + 1)),
                         sp.Matrix.hstack(sp.zeros(d, d), I, sp.zeros(d, 1)))
    b = sp.Matrix.vstack(sp.zeros(N, 1), sp.ones(2 * d, 1))
    neggamma, x = linprog([0] * (2 * d) + [-1], A, b)
    if neggamma >= 0:
        raise TheoryError("the data are not linearly separable (Assumption 2.1): max l_inf margin <= 0")
    value = -1 / neggamma
    w = sp.Matrix([(x[k] - x[d + k]) * value for k in range(d)])
    # dual variables (lambda_0..lambda_{N-1}, u_0..u_{d-1}) >= 0:  X^T lam - u <= 0, -X^T lam - u <= 0, sum u <= 1
    Ad = sp.Matrix.vstack(sp.Matrix.hstack(X.T, -I), sp.Matrix.hstack(-X.T, -I),
                          sp.Matrix.hstack(sp.zeros(1, N), sp.ones(1, d)))
    bd = sp.Matrix.vstack(sp.zeros(2 * d, 1), sp.Matrix([1]))
    try:
        negval, y = linprog([-1] * N + [0] * d, Ad, bd)
    except UnboundedLPError as exc:  # pragma: no cover - primal feasible implies dual bounded
        raise TheoryError("dual LP unbounded: primal infeasible") from exc
    lam = sp.Matrix(y[:N])
    # exact certificate: both points feasible and equal objective values (strong duality) => both optimal
    gap = value + negval
    feasible = all(v >= 1 for v in X * w) and all(v >= 0 for v in lam) and l1_norm(X.T * lam) <= 1
    if gap != 0 or not feasible:  # pragma: no cover - guards against simplex bugs such as sympy#28089
        raise TheoryError(f"exact simplex returned an uncertified pair (gap {gap}, feasible {feasible})")
    return value, w, lam


def _algebraic_basis(X: sp.Matrix, dps: int) -> tuple[sp.Expr, sp.Matrix, sp.Matrix]:
    """Optimal (value, w, lambda) for closed algebraic X: the simplex on a ``dps``-digit rational approximation
    names the optimal basis (active constraints, coordinates at +-||w||_inf, free ones); the same equations
    are then solved with the exact data.  The caller verifies the result exactly (verify_linf)."""
    N, d = X.shape
    Xa = X.applyfunc(lambda v: sp.Rational(sp.N(v, dps)))
    va, wa, la = _simplex(Xa)
    tol = sp.Rational(1, 10**(dps // 2))
    act = [i for i in range(N) if abs((Xa.row(i) * wa)[0] - 1) < tol]
    bound = {k: int(sp.sign(wa[k])) for k in range(d) if abs(abs(wa[k]) - va) < tol}
    t = sp.Symbol("t")
    wsym = sp.symbols(f"w0:{d}")
    w = sp.Matrix([bound[k] * t if k in bound else wsym[k] for k in range(d)])
    free = [t] + [wsym[k] for k in range(d) if k not in bound]
    sol = sp.solve([sp.expand((X.row(i) * w)[0] - 1) for i in act], free, dict=True)
    if len(sol) != 1:
        raise TheoryError("could not identify the optimal l_inf basis of the algebraic data exactly")
    guess = {t: va, **{wsym[k]: wa[k] for k in range(d)}}  # a parameter the basis leaves free keeps its value
    w = w.xreplace(sol[0]).xreplace(guess).applyfunc(sp.radsimp)
    value = sp.radsimp(t.xreplace(sol[0]).xreplace(guess))
    sup = [i for i in range(N) if la[i] != 0]
    lsym = sp.symbols(f"l0:{N}")
    g = [sp.Add(*[lsym[i] * X[i, k] for i in sup]) for k in range(d)]
    eqs = [g[k] for k in range(d) if k not in bound] + [sp.Add(*[bound[k] * g[k] for k in bound]) - 1]
    lsol = sp.solve(eqs, [lsym[i] for i in sup], dict=True)
    if len(lsol) != 1:
        raise TheoryError("could not identify the optimal l_inf dual of the algebraic data exactly")
    lam = sp.Matrix([sp.radsimp(lsol[0].get(lsym[i], la[i]).xreplace({lsym[j]: la[j] for j in sup}))
                     if i in sup else 0 for i in range(N)])
    return value, w, lam


def linf_max_margin_exact(X, *, max_size: int = EXACT_MAX, dps: int = 60) -> LinfSolution:
    """Solve  min ||w||_inf s.t. <w, x_i> >= 1  and its dual exactly (Prop. 2.4 limit, Ex. 4.11).

    Rational X: SymPy's exact simplex with a strong-duality certificate.  Closed algebraic X (e.g. sqrt(2)):
    the simplex on a ``dps``-digit approximation picks the optimal basis, its equations are solved with the
    exact data and the pair is verified exactly by :func:`verify_linf`; if that fails a TheoryError says so.
    Guard: N and d <= ``max_size``.  Raises :class:`TheoryError` for symbolic or non-separable data.
    """
    X = as_exact_matrix(X)
    if is_symbolic(X):
        raise TheoryError("the exact l_inf LP needs numbers; for symbolic families certify a candidate "
                          "(w, lambda) with verify_linf (see theory.linf_mechanism.linf_mechanism)")
    N, d = X.shape
    check_size(max(N, d), max_size, "max(N, d) of the LP")
    if all(v.is_Rational for v in X):
        value, w, lam = _simplex(X)
    else:
        value, w, lam = _algebraic_basis(X, dps)
        rep = verify_linf(X, w, lam)
        if not rep.ok:
            raise TheoryError(f"the l_inf basis found for the algebraic data does not verify exactly: {rep.summary()}")
    support = tuple(i for i in range(N) if is_zero(lam[i]) is not True)
    return LinfSolution(X, value, w, lam, support)


def verify_linf(X, w, lam, *, support=None, strict: bool = False) -> Report:
    """Substitute (w, lambda) into the KKT (subgradient) conditions of the l_inf max-margin LP.

    Stationarity: ||X^T lambda||_1 = 1 and <X^T lambda, w> = ||w||_inf (X^T lambda is a subgradient
    of ||.||_inf at w); primal feasibility; dual sign; complementarity; with ``strict`` also strict
    inactivity off ``support`` (default {i : lambda_i != 0}) and lambda_S > 0.
    Works for symbolic data when the symbols carry the sign assumptions that decide the inequalities.
    """
    X = as_exact_matrix(X)
    w = as_exact_vector(w, X.cols, name="w")
    lam = as_exact_vector(lam, X.rows, name="lambda")
    S = set(range(X.rows)) - {i for i in range(X.rows) if is_zero(lam[i]) is True} if support is None \
        else {int(i) for i in support}
    g = X.T * lam
    slack = [sp.expand(sum(w[k] * X[i, k] for k in range(X.cols)) - 1) for i in range(X.rows)]
    wn = linf_norm(w)
    stat = [("||X^T lambda||_1 - 1", sp.simplify(l1_norm(g) - 1)),
            ("<X^T lambda, w> - ||w||_inf", sp.simplify((g.T * w)[0] - wn))]
    conds = [
        make_condition(STATIONARITY, [(k, e, is_zero(e)) for k, e in stat], "X^T lambda in subdifferential of "
                       "||.||_inf at w"),
        make_condition(PRIMAL_FEASIBILITY, [(i, s, sign_ok(s, strict=False)) for i, s in enumerate(slack)],
                       "<w, x_i> >= 1"),
        make_condition(DUAL_SIGN, [(i, lam[i], sign_ok(lam[i], strict=strict and i in S)) for i in range(X.rows)],
                       "lambda >= 0 (> 0 on S if strict)"),
        make_condition(COMPLEMENTARITY, [(i, lam[i] * slack[i], is_zero(lam[i] * slack[i]))
                                         for i in range(X.rows)], "lambda_i (<w, x_i> - 1) = 0"),
    ]
    if strict:
        conds.insert(2, make_condition(STRICT_INACTIVITY, [(i, s, sign_ok(s, strict=True))
                                                           for i, s in enumerate(slack) if i not in S],
                                       "<w, x_j> > 1 for j not in S"))
    scope = "every admissible value of the data's symbols" if is_symbolic(X) else "this dataset"
    return Report(f"KKT of the l_inf LP on support {tuple(sorted(S))}", tuple(conds), scope)
