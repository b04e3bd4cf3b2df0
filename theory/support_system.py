"""The fixed-point equations of T on one support set S, with the radicals of D(c) eliminated (Thm 4.8, Def. 4.6).

Derivation.  c is a fixed point with supp(c) = S iff lambda*(c) = mu c (mu = ||lambda*(c)||_1 > 0).  The
KKT system of P(c) then reads D(c) w = mu X_S^T c and <x_l, w> = 1 for l in S, so with
u_k = D(c)_kk = sqrt(q_k(c)), q_k = sum_{i in S} c_i^2 x_ik^2, and g_k = sum_{i in S} c_i x_ik,

    w_k = mu g_k / u_k,   M_l(c) := sum_k x_lk g_k / u_k  is the same for every l in S (= 1/mu),

and the other constraints are strictly inactive iff M_j(c) > M_l(c) for j not in S.  T is 0-homogeneous, so
c_{S_0} = 1 and c_{S_a} = t_a.  The radicals are eliminated by new unknowns: s_r = u_0 / u_r for each
*distinct* radical r (columns whose q_k are rational-square multiples of each other share one: u_k = rho_k u_r
with rho_k rational, e.g. every column on GR data, Ex. 4.9).  With M~_l = u_0 M_l = sum_k x_lk g_k s_{r(k)}/rho_k
the conditions become polynomial, and the margin equations *bilinear* in (t, s):

    s_r^2 q_r(t) - q_0(t) = 0,      M~_l - M~_{S_0} = 0  (l in S \\ {S_0})      [y q_0(t) - 1 = 0].

The bracket (a Rabinowitsch unknown y, removing spurious solutions with q_0 = 0) is added only when the
solver needs it.  Real solutions with t > 0 and s > 0 are exactly the fixed points with support S (the other
sign patterns of s are the spurious roots that squaring brings in); the certificate
(:mod:`theory.exact_fixed_points`) checks those signs exactly.  The work grows with
(distinct radicals) x |S|: the guard's measure (measured: cost 9-10 takes 0.3-3 s, cost 12 over 150 s).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import TheoryError

__all__ = ["SupportSystem", "support_system"]


@dataclass(frozen=True)
class SupportSystem:
    """Polynomial system of the fixed points on ``support`` (module docstring); unknowns ``t``, ``s`` (and ``y``)."""

    X: sp.Matrix
    support: tuple[int, ...]
    t: tuple[sp.Symbol, ...]
    s: tuple[sp.Symbol, ...]
    c: tuple[sp.Expr, ...]
    ratio: tuple[sp.Expr, ...]
    margins: tuple[sp.Expr, ...]
    equations: tuple[sp.Expr, ...]
    q0: sp.Expr

    def gens(self, saturate: bool = False) -> tuple[sp.Symbol, ...]:
        """Lex order for elimination: [the Rabinowitsch unknown,] the radical ratios, then the weights."""
        return ((Y,) if saturate else ()) + self.s + self.t

    def polynomials(self, saturate: bool = False) -> tuple[sp.Expr, ...]:
        return self.equations + ((sp.expand(Y * self.q0 - 1),) if saturate else ())

    @property
    def radicals(self) -> int:
        """Number of distinct radicals of D(c) on this support."""
        return len(self.s) + 1

    @property
    def cost(self) -> int:
        """(distinct radicals) x |S|: the measure of the work the guard bounds."""
        return self.radicals * len(self.support)

    def g(self, k: int) -> sp.Expr:
        """g_k = sum_{i in S} c_i x_ik (unnormalised c)."""
        return sp.Add(*[ci * self.X[i, k] for ci, i in zip(self.c, self.support)])


Y = sp.Symbol("y")


def _square_ratio(a: sp.Poly, b: sp.Poly) -> sp.Rational | None:
    """rho > 0 with a = rho^2 b, if a/b is the square of a rational constant, else None."""
    q, r = a.div(b)
    if not r.is_zero or q.total_degree() > 0:
        return None
    root = sp.sqrt(sp.Rational(q.as_expr()))
    return root if root.is_Rational and root > 0 else None


def support_system(X: sp.Matrix, support) -> SupportSystem:
    """Build the polynomial system of the fixed points of T whose support is ``support`` (rational X)."""
    S = tuple(sorted(int(i) for i in support))
    N, d = X.shape
    if not S or S[0] < 0 or S[-1] >= N:
        raise TheoryError(f"support must be a non-empty subset of range({N}), got {support!r}")
    m = len(S)
    t = sp.symbols(f"t1:{m}") if m > 1 else ()
    c = (sp.Integer(1),) + tuple(t)
    gens_t = t or (sp.Symbol("t0"),)  # Poly needs a generator even when c is constant
    q = [sp.Poly(sp.Add(*[ci**2 * X[i, k]**2 for ci, i in zip(c, S)]), *gens_t, domain="QQ") for k in range(d)]
    if any(p.is_zero for p in q):
        raise TheoryError(f"a column of X_S is zero on support {S}: D(c) is singular (Assumption 2.2)")
    reps, ratio, s_syms, eqs = [0], [sp.Integer(1)], [], []
    unknown = {0: sp.Integer(1)}  # representative column -> s_r = u_0 / u_r (1 for the base column)
    for k in range(1, d):
        for r in reps:
            rho = _square_ratio(q[k], q[r])
            if rho is not None:  # u_k = rho u_r, so u_0 / u_k = s_r / rho
                ratio.append(unknown[r] / rho)
                break
        else:
            sk = sp.Symbol(f"s{k}")
            reps.append(k)
            unknown[k] = sk
            s_syms.append(sk)
            ratio.append(sk)
            eqs.append(sp.expand(sk**2 * q[k].as_expr() - q[0].as_expr()))
    g = [sp.Add(*[ci * X[i, k] for ci, i in zip(c, S)]) for k in range(d)]
    margins = tuple(sp.expand(sp.Add(*[X[j, k] * g[k] * ratio[k] for k in range(d)])) for j in range(N))
    eqs += [sp.expand(margins[i] - margins[S[0]]) for i in S[1:]]
    return SupportSystem(X, S, tuple(t), tuple(s_syms), c, tuple(ratio), margins,
                         tuple(e for e in eqs if e != 0), q[0].as_expr())
