"""Lemma D.1 (Zou et al. 2023, Lemma A.2): |m_t[k]| / sqrt(v_t[k]) <= (1-b1)/sqrt((1-b2)(1-b1^2/b2)).

The formula and the condition b1^2 < b2 are reconstructed (the paper's formulas were not recoverable); this
module derives them.  With zero
initialisation (no bias correction), m_t = (1-b1) sum_{s<=t} b1^s g_{t-s}, v_t = (1-b2) sum_{s<=t} b2^s g_{t-s}^2.
Write b1^s g_{t-s} = p_s q_s with p_s = (b1/sqrt(b2))^s, q_s = sqrt(b2)^s g_{t-s} and q = b1^2/b2.  Then

    B^2 v_t - m_t^2 = (1-b1)^2 [ sum_{s<r} (p_s q_r - p_r q_s)^2  +  q^(t+1)/(1-q) sum_s b2^s g_{t-s}^2 ],   (*)

B = (1-b1)/sqrt((1-b2)(1-q)): the Lagrange identity (Cauchy-Schwarz with its remainder) plus the tail of
the geometric series 1/(1-q) = sum_{s<=t} q^s + q^(t+1)/(1-q).  Every term is >= 0 iff q < 1, i.e.
b1^2 < b2 (implied by 0 < b1 <= b2 < 1).  The bound is sharp: g_{t-s} = (b1/b2)^s gives
|m_t|/sqrt(v_t) = (1-b1)/sqrt(1-b2) sqrt((1-q^(t+1))/(1-q)) -> B; for q >= 1 that ratio is unbounded in t.
"""

from __future__ import annotations

import sympy as sp

from .decide import decide_sign, decide_zero, is_zero, sign_ok
from .errors import SYMBOLIC_MAX, check_size
from .report import Report, make_condition
from .sums import verify_lagrange_identity
from .symbols import BETA_DOMAIN, beta1 as b1, beta2 as b2

__all__ = ["lemma_d1_bound", "adam_moments", "adam_ratio", "cs_identity_rhs", "verify_lemma_d1_identity",
           "verify_lemma_d1_general",
           "extremal_ratio", "verify_extremal_ratio", "verify_momentum_condition"]



def lemma_d1_bound(beta1, beta2) -> sp.Expr:
    """B(beta1, beta2) = (1-beta1)/sqrt((1-beta2)(1-beta1^2/beta2))  (Lemma D.1; needs beta1^2 < beta2)."""
    return (1 - beta1) / sp.sqrt((1 - beta2) * (1 - beta1**2 / beta2))


def adam_moments(grads, beta1, beta2):
    """(m_t, v_t) after the gradients g_0..g_t (one coordinate, zero init, no bias correction, Alg. 1)."""
    m = v = sp.Integer(0)
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
    return sp.expand(m), sp.expand(v)


def adam_ratio(grads, beta1, beta2) -> sp.Expr:
    """|m_t| / sqrt(v_t) after the gradients g_0..g_t (the quantity bounded by Lemma D.1)."""
    m, v = adam_moments(grads, beta1, beta2)
    return sp.Abs(m) / sp.sqrt(v)


def cs_identity_rhs(grads, beta1, beta2) -> sp.Expr:
    """Right-hand side of (*): (1-b1)^2 [Lagrange sum of squares + geometric tail] (Lemma D.1 proof)."""
    t = len(grads) - 1
    q = beta1**2 / beta2
    g = lambda s: grads[t - s]  # noqa: E731  (g_{t-s})
    p = [(beta1 / sp.sqrt(beta2))**s for s in range(t + 1)]
    r = [sp.sqrt(beta2)**s * g(s) for s in range(t + 1)]
    lagrange = sp.Add(*[(p[s] * r[u] - p[u] * r[s])**2 for s in range(t + 1) for u in range(s + 1, t + 1)])
    tail = q**(t + 1) / (1 - q) * sp.Add(*[beta2**s * g(s)**2 for s in range(t + 1)])
    return (1 - beta1)**2 * (lagrange + tail)


def verify_lemma_d1_identity(T: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """Prove (*) for t = 0..T-1 with symbolic b1, b2, g, and that each term is >= 0 when b1^2 < b2 (Lemma D.1).

    Conditions: ``identity`` B^2 v_t - m_t^2 = RHS(*) exactly; ``nonnegative`` the RHS is a sum of squares
    plus q^(t+1)/(1-q) times a nonnegative sum, so >= 0 under q < 1 (checked with b2 = b1^2 (1 + e), e > 0).
    """
    check_size(T, max_size, "T (number of steps)")
    checks, signs = [], []
    e = sp.Symbol("epsilon", positive=True)
    for t in range(T):
        g = sp.symbols(f"g0:{t + 1}", real=True)
        m, v = adam_moments(g, b1, b2)
        lhs = lemma_d1_bound(b1, b2)**2 * v - m**2
        rhs = cs_identity_rhs(g, b1, b2)
        diff = sp.factor(sp.together(sp.expand(lhs - rhs)))
        checks.append((t, diff, is_zero(diff)))
        tail_coeff = ((b1**2 / b2)**(t + 1) / (1 - b1**2 / b2)).subs(b2, b1**2 * (1 + e))
        signs.append((t, tail_coeff, sign_ok(sp.simplify(tail_coeff), strict=True)))
    return Report(f"Lemma D.1 identity, t < {T}", scope=f"t < {T}, each t expanded (general: verify_lemma_d1_general)",
                  conditions=(
        make_condition("identity", checks, "B^2 v_t - m_t^2 = (1-b1)^2 [Lagrange squares + tail]"),
        make_condition("tail >= 0 iff b1^2 < b2", signs, "q^(t+1)/(1-q) > 0 for q = 1/(1+e) < 1"),
    ))


def verify_lemma_d1_general(bound=None) -> Report:
    """Lemma D.1's identity (*) and its sign for every t (symbolic t, symbolic gradients), beta1^2 < beta2.

    Conditions: ``termwise`` p_s q_s = b1^s g_{t-s}, q_s^2 = b2^s g_{t-s}^2, p_s^2 = q^s (symbolic s);
    ``geometric`` sum_{s<=t} q^s = (1 - q^(t+1))/(1 - q); the Lagrange identity for any number of terms
    (:func:`theory.sums.verify_lagrange_identity`, induction); ``assembly`` B^2 v_t - m_t^2 = RHS(*) with the
    three sums as symbols; ``tail > 0`` q^(t+1)/(1 - q) > 0 for q = b1^2/b2 in (0, 1).  ``bound`` is the B
    to check (default Lemma D.1's).
    """
    B = lemma_d1_bound(b1, b2) if bound is None else bound
    t, s = sp.symbols("t s", integer=True, nonnegative=True)
    g = sp.IndexedBase("g", real=True)
    q = b1**2 / b2
    p_s, r_s = (b1 / sp.sqrt(b2))**s, sp.sqrt(b2)**s * g[t - s]
    terms = [("p_s q_s", sp.powsimp(sp.expand(p_s * r_s - b1**s * g[t - s]), force=False)),
             ("q_s^2", sp.powsimp(sp.expand(r_s**2 - b2**s * g[t - s]**2))),
             ("p_s^2", sp.powsimp(sp.expand(p_s**2 - q**s)))]
    geo = sp.Sum(q**s, (s, 0, t)).doit()
    geo = geo.args[-1][0] if isinstance(geo, sp.Piecewise) else geo
    geo_diff = sp.simplify(geo - (1 - q**(t + 1)) / (1 - q))
    SB2, SAB, Qt = sp.symbols("SB2 SAB Qt", positive=True)  # sum b2^s g^2, sum b1^s g, q^(t+1)
    SA2 = (1 - Qt) / (1 - q)
    m, v = (1 - b1) * SAB, (1 - b2) * SB2
    rhs = (1 - b1)**2 * ((SA2 * SB2 - SAB**2) + Qt / (1 - q) * SB2)
    assembly = sp.cancel(B**2 * v - m**2 - rhs)
    qq = sp.Symbol("q", positive=True)
    tail = qq**(t + 1) / (1 - qq)
    lag = verify_lagrange_identity()
    return Report("Lemma D.1 identity, every t", (
        make_condition("termwise", [(n, e, decide_zero(e)) for n, e in terms], "the Cauchy-Schwarz factors"),
        make_condition("geometric", [("t", geo_diff, decide_zero(geo_diff))], "sum_{s<=t} q^s"),
        make_condition("Lagrange", [(c.name, c.name, c.passed) for c in lag.conditions],
                       "(sum a^2)(sum b^2) - (sum ab)^2 = sum_{s<r} (a_s b_r - a_r b_s)^2"),
        make_condition("assembly", [("t", assembly, decide_zero(assembly, BETA_DOMAIN))],
                       "B^2 v_t - m_t^2 = (1-b1)^2 [Lagrange squares + tail]"),
        make_condition("tail > 0", [("q in (0, 1)", tail, decide_sign(tail, strict=True,
                                                                      domain={qq: sp.Interval.open(0, 1)}))],
                       "q^(t+1)/(1-q) > 0 when b1^2 < b2"),
    ), "general")


def extremal_ratio(t, beta1=b1, beta2=b2) -> sp.Expr:
    """|m_t|/sqrt(v_t) for the Cauchy-Schwarz-extremal sequence g_{t-s} = (b1/b2)^s, in closed form."""
    q = beta1**2 / beta2
    return (1 - beta1) / sp.sqrt(1 - beta2) * sp.sqrt((1 - q**(t + 1)) / (1 - q))


def verify_extremal_ratio(T: int = 4) -> Report:
    """The extremal sequence attains the closed form for t < T and tends to B as t -> oo (bound sharp)."""
    checks = []
    for t in range(T):
        g = [(b1 / b2)**(t - i) for i in range(t + 1)]  # g_i, so that g_{t-s} = (b1/b2)^s
        m, v = adam_moments(g, b1, b2)
        e = sp.simplify(m**2 / v - extremal_ratio(t)**2)
        checks.append((t, e, is_zero(e)))
    # the limit t -> oo, with b2 = b1^2 (1 + e), e > 0 (i.e. q = 1/(1+e) < 1), equals B
    tt, e = sp.Symbol("t", positive=True, integer=True), sp.Symbol("epsilon", positive=True)
    sub = {b2: b1**2 * (1 + e)}
    lim = sp.simplify(sp.limit(extremal_ratio(tt).subs(sub), tt, sp.oo) - lemma_d1_bound(b1, b2).subs(sub))
    return Report("Lemma D.1 sharpness", (
        make_condition("closed form", checks, "m_t^2/v_t = (1-b1)^2/(1-b2) (1-q^(t+1))/(1-q)"),
        make_condition("limit", [("t->oo", lim, is_zero(lim))], "ratio -> B as t -> oo when b1^2 < b2"),
    ), f"closed form for t < {T}; limit for symbolic t")


def verify_momentum_condition() -> Report:
    """0 < b1 <= b2 < 1 implies b1^2 < b2 (the main results' condition gives Lemma D.1's)."""
    x, y, z = sp.symbols("x y z", positive=True)  # b2 = 1/(1+z) < 1, b1 = b2/(1+y) <= b2 (and = b2 as y -> 0)
    B2 = 1 / (1 + z)
    B1 = B2 / (1 + y)
    gap_strict, gap_eq = sp.simplify(B2 - B1**2), sp.simplify(B2 - B2**2)
    return Report("b1 <= b2 < 1 => b1^2 < b2", (make_condition(
        "b2 - b1^2 > 0", [("b1 < b2", gap_strict, sign_ok(sp.factor(gap_strict), strict=True)),
                          ("b1 = b2", gap_eq, sign_ok(sp.factor(gap_eq), strict=True))], "b2 - b1^2 > 0"),), "general")
