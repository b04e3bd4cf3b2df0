"""Prop. 2.5 (C_inc, the frozen-w epoch, eq. (2)) and Prop. 4.1 (beta2 -> 1, beta1 drops out) for symbolic N.

Indices run over [N] = {0, ..., N-1} with N a positive integer symbol; the cyclic weights are defined
case by case, which *is* the definition of the remainder for 0 <= i, j <= N-1:

    beta^((i-j) mod N) = beta^(i-j)  (i >= j),   beta^(N+i-j)  (i < j).

Lemmas (each decided by SymPy for symbolic N, i, j):

* cyclic row sum   sum_{i in [N]} beta^((i-j) mod N) = sum_{k<N} beta^k = (1-beta^N)/(1-beta), every j: the sum
                   splits at i = j into two geometric sums that ``Sum.doit`` evaluates;
* circulant step   C_ij - beta C_{i-1,j} = (1 - beta^N) delta_ij for C_ij = beta^((i-j) mod N), predecessor of
                   0 being N-1: four cases (j < i, j = i, j > i, and i = 0), each a power identity.

From the circulant step, m_i = K1 sum_j C_ij g_j with K1 = (1-b1)/(1-b1^N) satisfies the Inc-Adam recursion
m_i = b1 m_{i-1} + (1-b1) g_i at every phase including the wrap-around, i.e. it is the periodic steady state
(and likewise v with b2, g^2); eq. (2) then follows term by term because sqrt(K2 B_i) = sqrt(K2) sqrt(B_i) for
K2 > 0, B_i >= 0.  Prop. 4.1: B_i is a polynomial in b2, so b2 -> 1 is substitution; sum_k b2^k -> N; swapping
the two finite sums and the cyclic row sum make the b1 weights cancel.
"""

from __future__ import annotations

import sympy as sp

from .decide import decide_sign, decide_zero
from .report import Report, make_condition
from .sums import sum_zero, verify_geometric_sum
from .symbols import BETA_DOMAIN, N, beta1, beta2, index_symbols

__all__ = ["cyclic_weight_cases", "verify_cyclic_lemmas", "verify_C_inc_general", "verify_frozen_epoch_general",
           "verify_beta2_limit_general", "C_INC_SYMBOLIC"]

i, j, k = index_symbols("i j k")
#: C_inc(beta1, beta2) of Prop. 2.5 with a symbolic N
C_INC_SYMBOLIC = (1 - beta1) / (1 - beta1**N) * sp.sqrt((1 - beta2**N) / (1 - beta2))


def _geom(beta) -> sp.Expr:
    """sum_{k<N} beta^k as an (unevaluated) Sum."""
    return sp.Sum(beta**k, (k, 0, N - 1))


def _closed(beta) -> sp.Expr:
    return (1 - beta**N) / (1 - beta)


def cyclic_weight_cases(beta, i_, j_) -> tuple[tuple[str, sp.Expr], ...]:
    """(case, beta^((i-j) mod N)) for the two cases of the definition (module docstring)."""
    return (("i >= j", beta**(i_ - j_)), ("i < j", beta**(N + i_ - j_)))


def verify_cyclic_lemmas(beta=beta1, row_sum=None) -> Report:
    """The cyclic row sum and the circulant step for symbolic N, i, j (module docstring); scope general.

    ``row_sum`` is the claimed value of sum_i beta^((i-j) mod N) (default (1 - beta^N)/(1 - beta)).
    """
    row = sp.Sum(beta**(i - j), (i, j, N - 1)) + sp.Sum(beta**(N + i - j), (i, 0, j - 1))
    val = sp.simplify(row.doit())
    val = val.args[-1][0] if isinstance(val, sp.Piecewise) else val
    row_diff = sp.simplify(val - (_closed(beta) if row_sum is None else row_sum))
    # C_ij - beta C_{i-1,j}, predecessor of i = 0 is N-1; delta_ij = 1 only in the case j = i
    cases = [("1 <= i, j < i", beta**(i - j) - beta * beta**(i - 1 - j), 0),
             ("1 <= i, j = i", 1 - beta * beta**(N + (i - 1) - i), 1 - beta**N),
             ("j > i", beta**(N + i - j) - beta * beta**(N + i - 1 - j), 0),
             ("i = 0, j = 0", 1 - beta * beta**(N - 1), 1 - beta**N),
             ("i = 0, j >= 1", beta**(N - j) - beta * beta**(N - 1 - j), 0)]
    circ = [(name, sp.powsimp(sp.expand(lhs - rhs)), decide_zero(sp.powsimp(sp.expand(lhs - rhs))))
            for name, lhs, rhs in cases]
    return Report("cyclic-sum lemmas, symbolic N", verify_geometric_sum(beta).conditions + (
        make_condition("cyclic row sum", [("j", row_diff, decide_zero(row_diff))],
                       "sum_i beta^((i-j) mod N) = (1-beta^N)/(1-beta) for every j"),
        make_condition("circulant step", circ, "C_ij - beta C_{i-1,j} = (1-beta^N) delta_ij"),
    ), "general")


def _positivity(C) -> list:
    """C > 0, decided after rewriting b^N = 1 - (1-b) sum_{k<N} b^k (geometric sum) with the sums as positive
    symbols (sums of positive terms): then C is a rational expression in positive quantities."""
    G1, G2 = sp.symbols("G1 G2", positive=True)
    Cg = sp.simplify(C.subs({beta1**N: 1 - (1 - beta1) * G1, beta2**N: 1 - (1 - beta2) * G2}))
    pos = [(f"sum_k {b}^k", _geom(b), _geom(b).is_positive) for b in (beta1, beta2)]
    return pos + [("C", Cg, decide_sign(Cg, strict=True, domain=BETA_DOMAIN))]


def verify_C_inc_general(C=None) -> Report:
    """C_inc = (1-b1)/(1-b1^N) sqrt((1-b2^N)/(1-b2)) = sqrt(sum_k b2^k)/sum_k b1^k > 0, symbolic N (Prop. 2.5).

    ``C`` is the constant to check (default: Prop. 2.5's); both sides are positive, so equality of squares is
    decided, over beta1, beta2 in (0, 1) and every N >= 1 (a wrong constant is refuted at a sample point).
    """
    C = C_INC_SYMBOLIC if C is None else C
    sq = sp.cancel(C**2 - _closed(beta2) / _closed(beta1)**2)
    return Report("C_inc closed form = sqrt(sum b2^k)/sum b1^k, symbolic N", (
        make_condition("C_inc^2", [("N", sq, decide_zero(sq, BETA_DOMAIN))],
                       "C^2 = (sum_k b2^k)/(sum_k b1^k)^2"),
        make_condition("C_inc > 0", _positivity(C), "both geometric sums are sums of positive terms"),
    ), "general")


def verify_frozen_epoch_general(C=None) -> Report:
    """With w frozen, Inc-Adam's periodic steady state gives eq. (2) for symbolic N (Prop. 2.5).

    Conditions: the circulant step (lemma) for beta1 and beta2; ``steady-state recursion``: K (1 - b^N) =
    1 - b, so m = K1 C g solves m_i = b1 m_{i-1} + (1-b1) g_i at every phase, wrap-around included (the periodic
    steady state), likewise v = K2 C' g^2; ``eq. (2) termwise``: K1 A/sqrt(K2 B) = (K1/sqrt(K2)) A/sqrt(B) for
    K2, B > 0; ``constant``: K1/sqrt(K2) = C (``C`` defaults to C_inc; squares equal, both positive);
    ``eq. (2)``: the same for the sum over the N phases (a Sum with symbolic N).
    """
    C = C_INC_SYMBOLIC if C is None else C
    K1, K2 = (1 - beta1) / (1 - beta1**N), (1 - beta2) / (1 - beta2**N)
    rec = [("m", sp.cancel(K1 * (1 - beta1**N) - (1 - beta1))), ("v", sp.cancel(K2 * (1 - beta2**N) - (1 - beta2)))]
    A, B = sp.IndexedBase("A", real=True), sp.IndexedBase("B", positive=True)
    k1, k2 = sp.symbols("K1 K2", positive=True)  # K1 = 1/sum b1^k, K2 = 1/sum b2^k: positive (geometric sums)
    term = k1 * A[i] / sp.sqrt(k2 * B[i]) - k1 / sp.sqrt(k2) * A[i] / sp.sqrt(B[i])
    const = sp.cancel(K1**2 / K2 - C**2)
    total = sp.Sum(k1 * A[i] / sp.sqrt(k2 * B[i]), (i, 0, N - 1)) - k1 / sp.sqrt(k2) * sp.Sum(A[i] / sp.sqrt(B[i]),
                                                                                              (i, 0, N - 1))
    lemmas = [c for c in verify_cyclic_lemmas(beta1).conditions + verify_cyclic_lemmas(beta2).conditions
              if c.name == "circulant step"]
    return Report("frozen-w epoch of Inc-Adam reproduces eq. (2), symbolic N", tuple(lemmas) + (
        make_condition("steady-state recursion", [(n, e, decide_zero(e, BETA_DOMAIN)) for n, e in rec],
                       "K (1 - b^N) = 1 - b: m = K C g is the periodic solution of the EMA"),
        make_condition("eq. (2) termwise", [("i", term, decide_zero(term))],
                       "m_i/sqrt(v_i) = (K1/sqrt(K2)) A_i/sqrt(B_i)"),
        make_condition("constant", [("K1^2/K2 - C^2", const, decide_zero(const, BETA_DOMAIN))] + _positivity(C),
                       "K1/sqrt(K2) = C_inc"),
        make_condition("eq. (2)", [("sum over i", total, sum_zero(total, N))],
                       "sum_{i<N} m_i/sqrt(v_i) = C_inc sum_{i<N} A_i/sqrt(B_i)"),
    ), "general")


def verify_beta2_limit_general(limit=None) -> Report:
    """Prop. 4.1 for symbolic N: lim_{b2->1} eq. (2) = sqrt(N) sum_j g_j / sqrt(sum_j g_j^2), free of beta1.

    Conditions: ``denominators`` B_i(b2 = 1) = sum_j g_j^2 (B_i is a polynomial in b2: the limit is the value);
    ``C_inc factor`` sqrt(sum_k b2^k) -> sqrt(N); ``beta1 drops out`` sum_i A_i = (sum_k b1^k) sum_j g_j (swap of
    the finite sums, then the cyclic row sum with symbolic j); ``limit`` the assembled value against the
    claimed ``limit(N, sum_j g_j, sum_j g_j^2)`` (default sqrt(N) Sg / sqrt(G)).
    """
    g = sp.IndexedBase("g", real=True)
    w1 = sp.Piecewise((beta1**(i - j), i >= j), (beta1**(N + i - j), True))
    w2 = sp.Piecewise((beta2**(i - j), i >= j), (beta2**(N + i - j), True))
    Bi = sp.Sum(w2 * g[j]**2, (j, 0, N - 1))
    den = sp.simplify(Bi.subs(beta2, 1)) - sp.Sum(g[j]**2, (j, 0, N - 1))
    fac = _geom(beta2).subs(beta2, 1).doit() - N
    # sum_i sum_j w1 g_j = sum_j g_j sum_i w1, and the inner sum is the cyclic row sum (lemma, symbolic j)
    swapped = sp.Sum(w1 * g[j], (j, 0, N - 1), (i, 0, N - 1)).reorder((0, 1))
    inner = swapped.function / g[j]
    inner_closed = sp.simplify(sp.Sum(beta1**(i - j), (i, j, N - 1)).doit()
                               + sp.Sum(beta1**(N + i - j), (i, 0, j - 1)).doit())
    inner_closed = inner_closed.args[-1][0] if isinstance(inner_closed, sp.Piecewise) else inner_closed
    split = sp.simplify(sp.piecewise_fold(inner).args[0][0] - beta1**(i - j))  # the case i >= j is beta1^(i-j)
    drop = sp.simplify(inner_closed - _closed(beta1))
    G, Sg = sp.Symbol("G", positive=True), sp.Symbol("Sg", real=True)  # sum g^2 > 0 (Assumption 2.2), sum g
    lim = sp.sqrt(N) / _closed(beta1) * _closed(beta1) * Sg / sp.sqrt(G)  # the three conditions above, assembled
    target = sp.sqrt(N) * Sg / sp.sqrt(G) if limit is None else limit(N, Sg, G)
    return Report("beta2 -> 1 limit of eq. (2), symbolic N (Prop. 4.1)", (
        make_condition("denominators", [("i", den, sum_zero(den, N))], "B_i -> sum_j g_j^2"),
        make_condition("C_inc factor", [("N", fac, decide_zero(fac))], "sum_{k<N} b2^k -> N"),
        make_condition("beta1 drops out", [("case i >= j", split, decide_zero(split)),
                                           ("cyclic row sum", drop, decide_zero(drop))],
                       "(1/sum_k b1^k) sum_i A_i = sum_j g_j"),
        make_condition("limit", [("N", sp.cancel(lim - target), decide_zero(lim - target))],
                       "limit = sqrt(N) sum g / sqrt(sum g^2), free of beta1"),
    ), "general")
