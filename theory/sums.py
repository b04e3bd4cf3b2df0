"""Sums with a symbolic number of terms: the tools of the general-N proofs and two classical identities.

A general-N statement is written with SymPy ``Sum`` objects over ``IndexedBase`` data (g[j], u[j], ...)
and a length symbol (N, n, t).  :func:`sum_zero` decides such an identity: it expands every summand,
pulls factors free of the summation index out (``factor_sum``), renames bound indices canonically and
cancels; if that does not give 0 it instantiates the length at 1, 2, 3, turns the indexed values into
symbols and looks for a counterexample (so a wrong identity is refuted with a witness, never "proved").

Identities proved here for a symbolic number of terms:

* geometric sum  sum_{k=0}^{n-1} b^k = (1 - b^n)/(1 - b)  (b != 1; ``Sum.doit``);
* Lagrange       (sum a_s^2)(sum b_s^2) - (sum a_s b_s)^2 = sum_{s<r} (a_s b_r - a_r b_s)^2, by induction on the
                 number of terms: base case, and the step after peeling the last term off every sum.
"""

from __future__ import annotations

import sympy as sp
from sympy.simplify.simplify import factor_sum

from .decide import Decision, decide_zero
from .report import Report, make_condition

__all__ = ["split_sums", "canonical", "sum_zero", "verify_geometric_sum", "verify_lagrange_identity",
           "lagrange_step"]

_CANON = sp.symbols("_k0:8", integer=True, nonnegative=True)


def _split_one(S: sp.Sum) -> sp.Expr:
    f = sp.expand(S.function)
    inner_limits, outer = S.limits[:1], S.limits[1:]
    parts = []
    for term in sp.Add.make_args(f):
        part = factor_sum(sp.Sum(term, *inner_limits))
        parts.append(_split_one(sp.Sum(part, *outer)) if outer else part)
    return sp.Add(*parts)


def split_sums(e: sp.Expr) -> sp.Expr:
    """Linearity: every Sum becomes a sum of Sums of monomials with index-free factors pulled out."""
    e = sp.expand(e)
    return sp.expand(e.replace(lambda x: isinstance(x, sp.Sum), lambda x: _split_one(x)))


def canonical(e: sp.Expr) -> sp.Expr:
    """Rename the bound index of every single-limit Sum to a canonical symbol (so equal sums compare equal)."""
    def ren(S):
        (x, lo, hi), = S.limits
        return sp.Sum(S.function.xreplace({x: _CANON[0]}), (_CANON[0], lo, hi))

    return e.replace(lambda x: isinstance(x, sp.Sum) and len(x.limits) == 1, ren)


def _concrete(e: sp.Expr, length: sp.Symbol, n: int) -> sp.Expr:
    """e with the length symbol set to n, sums evaluated, indexed values replaced by symbols (same assumptions)."""
    e = e.subs(length, n).doit()
    rep = {}
    for ix in e.atoms(sp.Indexed):
        kw = {k: True for k in ("positive", "nonnegative", "negative", "real") if getattr(ix, f"is_{k}")}
        rep[ix] = sp.Symbol(f"{ix.base}_{'_'.join(str(i) for i in ix.indices)}", **kw)
    return e.xreplace(rep)


def sum_zero(e: sp.Expr, length: sp.Symbol | None = None, domain=None) -> Decision:
    """Decide ``e == 0`` for every value of the length symbol (>= 1) and of the summands (module docstring)."""
    e = sp.sympify(e)
    s = canonical(split_sums(e))
    if sp.cancel(sp.together(s)) == 0 or sp.simplify(s) == 0:
        return Decision(True, how="sum identity, symbolic length")
    if length is not None:
        for n in (1, 2, 3):
            d = decide_zero(_concrete(e, length, n), domain)
            if d.value is False:
                return Decision(False, ((length, n),) + d.witness, f"refuted at {length} = {n}")
    return Decision(None, how="undecided")


def verify_geometric_sum(beta=None, closed=None) -> Report:
    """sum_{k=0}^{n-1} beta^k = (1 - beta^n)/(1 - beta) for symbolic n >= 1, beta != 1 (SymPy's summation).

    ``closed(beta, n)`` is the closed form to check (default the one above).
    """
    beta = beta if beta is not None else sp.Symbol("beta", positive=True)
    closed = closed or (lambda b, m: (1 - b**m) / (1 - b))
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    val = sp.Sum(beta**k, (k, 0, n - 1)).doit()
    generic = val.args[-1][0] if isinstance(val, sp.Piecewise) else val  # the branch beta != 1
    diff = sp.simplify(generic - closed(beta, n))
    return Report("geometric sum", (make_condition("geometric sum", [("n", diff, decide_zero(diff))],
                                                   "sum_{k<n} beta^k = (1-beta^n)/(1-beta)"),), "general")


def _cross(A2, B2, AB, a, b) -> sp.Expr:
    """sum_{s<=n} (a_s b - a b_s)^2 in terms of the three sums (proved by ``new cross terms``)."""
    return b**2 * A2 - 2 * a * b * AB + a**2 * B2


def lagrange_step(A2, B2, AB, P, a, b, cross=_cross) -> sp.Expr:
    """L(n+1) - L(n) for L = A2 B2 - AB^2 - P after adding the term (a, b) (the induction step, an identity)."""
    P_next = P + cross(A2, B2, AB, a, b)  # peeling r = n+1 off sum_{s<r<=n+1}
    L = A2 * B2 - AB**2 - P
    L_next = (A2 + a**2) * (B2 + b**2) - (AB + a * b)**2 - P_next
    return sp.expand(L_next - L)


def verify_lagrange_identity(cross=None) -> Report:
    """(sum a^2)(sum b^2) - (sum ab)^2 = sum_{s<r} (a_s b_r - a_r b_s)^2 for any number of terms (induction).

    Conditions: ``base`` (one term), ``new cross terms`` sum_{s<=n} (a_s b - a b_s)^2 = b^2 A2 - 2ab AB + a^2 B2
    (linearity of a Sum with symbolic n), ``step`` L(n+1) = L(n) with the sums as symbols.  ``cross`` is the
    expansion of the new cross terms to check (default the correct one).
    """
    cross = cross or _cross
    a_, b_ = sp.IndexedBase("a", real=True), sp.IndexedBase("b", real=True)
    s, n = sp.Symbol("s", integer=True, nonnegative=True), sp.Symbol("n", integer=True, nonnegative=True)
    a, b = sp.symbols("a_new b_new", real=True)
    base = sp.expand(a**2 * b**2 - (a * b)**2)
    new = sp.Sum((a_[s] * b - a * b_[s])**2, (s, 0, n))
    A2, B2, AB = (sp.Sum(f, (s, 0, n)) for f in (a_[s]**2, b_[s]**2, a_[s] * b_[s]))
    cross_diff = new - cross(A2, B2, AB, a, b)
    S = sp.symbols("A2 B2 AB P", real=True)
    step = lagrange_step(*S, a, b, cross)
    return Report("Lagrange identity, any number of terms", (
        make_condition("base", [(1, base, base == 0)], "one term: a^2 b^2 - (ab)^2 = 0"),
        make_condition("new cross terms", [("n", cross_diff, sum_zero(cross_diff, n))],
                       "sum_{s<=n} (a_s b - a b_s)^2 = b^2 sum a^2 - 2ab sum ab + a^2 sum b^2"),
        make_condition("step", [("n -> n+1", step, step == 0)], "L(n+1) - L(n) = 0"),
    ), "general")
