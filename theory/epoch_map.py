"""Epoch-map algebra of Inc-Adam: Prop. 2.5 (eq. (2), C_inc) and its beta2 -> 1 limit, Prop. 4.1.

Everything is entry-wise, so one coordinate suffices: ``grads`` = (g_0, ..., g_{N-1}) are the
k-th entries of the per-sample gradients grad L_j(w_0^r).  With w frozen over
an epoch, the EMAs of Inc-Adam settle on the periodic steady state (Prop. 2.5 derivation)

    m_i = (1-b1)/(1-b1^N) sum_j b1^((i-j) mod N) g_j,   v_i = (1-b2)/(1-b2^N) sum_j b2^((i-j) mod N) g_j^2,

and the epoch update is eq. (2):  C_inc sum_i A_i / sqrt(B_i)  with A_i, B_i the two cyclic sums and
C_inc = (1-b1)/(1-b1^N) sqrt((1-b2^N)/(1-b2)).  Cyclic-sum identity: i -> (i-j) mod N permutes [N], so
sum_i b^((i-j) mod N) = sum_{k<N} b^k = (1-b^N)/(1-b).  As b2 -> 1 every B_i -> sum_j g_j^2 and
sqrt((1-b2^N)/(1-b2)) -> sqrt(N), so the b1-weights sum out and eq. (2) -> sqrt(N) sum g / sqrt(sum g^2)
(AdamProxy, Def. 4.2 / eq. (4)): b1 drops out.

The verifiers here work for one concrete N each (scope ``N = n``, the identities expanded); the same
statements for symbolic N are in :mod:`theory.general_n` (scope ``general``).
"""

from __future__ import annotations

import sympy as sp

from .decide import is_zero
from .errors import SYMBOLIC_MAX, TheoryError, check_size
from .report import Report, make_condition
from .symbols import beta1, beta2, gradient_symbols

__all__ = ["C_inc", "C_inc_polynomial", "geometric_sum", "cyclic_weight_sum", "cyclic_sums", "steady_state_moments",
           "epoch_update", "adam_proxy_update", "beta2_limit", "inc_adam_frozen_epoch", "gradient_symbols",
           "verify_cyclic_sum_identity", "verify_C_inc_forms", "verify_beta2_limit", "verify_frozen_epoch"]

def geometric_sum(beta, N: int) -> sp.Expr:
    """sum_{k<N} beta^k, the polynomial form of (1 - beta^N)/(1 - beta) (no removable singularity at 1)."""
    return sp.Add(*[beta**k for k in range(N)])


def C_inc(beta1, beta2, N) -> sp.Expr:
    """C_inc(beta1, beta2) = (1-beta1)/(1-beta1^N) sqrt((1-beta2^N)/(1-beta2))  (Prop. 2.5, [TM] exact)."""
    return (1 - beta1) / (1 - beta1**N) * sp.sqrt((1 - beta2**N) / (1 - beta2))


def C_inc_polynomial(beta1, beta2, N: int) -> sp.Expr:
    """C_inc in polynomial form sqrt(sum_k beta2^k) / sum_k beta1^k (Prop. 2.5); continuous at beta = 1."""
    return sp.sqrt(geometric_sum(beta2, N)) / geometric_sum(beta1, N)


def cyclic_weight_sum(beta, N: int, j: int) -> sp.Expr:
    """sum_{i in [N]} beta^((i-j) mod N)  (Prop. 2.5, Prop. 4.1)."""
    return sp.Add(*[beta**((i - j) % N) for i in range(N)])


def cyclic_sums(grads, beta1, beta2) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...]]:
    """(A_i, B_i)_i with A_i = sum_j beta1^((i-j) mod N) g_j, B_i = sum_j beta2^((i-j) mod N) g_j^2 (eq. (2))."""
    N = len(grads)
    A = tuple(sp.Add(*[beta1**((i - j) % N) * grads[j] for j in range(N)]) for i in range(N))
    B = tuple(sp.Add(*[beta2**((i - j) % N) * grads[j]**2 for j in range(N)]) for i in range(N))
    return A, B


def steady_state_moments(grads, beta1, beta2, *, polynomial: bool = True):
    """Periodic steady state (m_i, v_i), i in [N], of the Inc-Adam EMAs with frozen gradients (Prop. 2.5).

    ``polynomial`` writes (1-b)/(1-b^N) as 1/sum_k b^k (same value for b != 1).
    """
    N = len(grads)
    A, B = cyclic_sums(grads, beta1, beta2)
    if polynomial:
        f1, f2 = 1 / geometric_sum(beta1, N), 1 / geometric_sum(beta2, N)
    else:
        f1, f2 = (1 - beta1) / (1 - beta1**N), (1 - beta2) / (1 - beta2**N)
    return tuple(f1 * a for a in A), tuple(f2 * b for b in B)


def epoch_update(grads, beta1, beta2, *, polynomial: bool = False) -> sp.Expr:
    """Eq. (2) without epsilon_r:  C_inc sum_i A_i / sqrt(B_i)  (Prop. 2.5), one coordinate.

    The update is w_0^{r+1} - w_0^r = -eta_{rN} (this + eps_r).  ``polynomial`` uses C_inc_polynomial.
    """
    N = len(grads)
    A, B = cyclic_sums(grads, beta1, beta2)
    C = C_inc_polynomial(beta1, beta2, N) if polynomial else C_inc(beta1, beta2, N)
    return C * sp.Add(*[a / sp.sqrt(b) for a, b in zip(A, B)])


def adam_proxy_update(grads) -> sp.Expr:
    """sqrt(N) sum_i g_i / sqrt(sum_i g_i^2): the beta2 -> 1 epoch update (Prop. 4.1; AdamProxy eq. (4))."""
    N = len(grads)
    return sp.sqrt(N) * sp.Add(*grads) / sp.sqrt(sp.Add(*[g**2 for g in grads]))


def beta2_limit(grads, beta1=beta1, beta2=beta2) -> sp.Expr:
    """lim_{beta2 -> 1} of eq. (2) (Prop. 4.1).

    In polynomial form eq. (2) is continuous at beta2 = 1 (every B_i >= beta2^(N-1) sum g^2 > 0 and
    sum_k beta2^k > 0), so the limit is the value there; returned simplified.
    """
    expr = epoch_update(grads, beta1, beta2, polynomial=True).subs(beta2, 1)
    return sp.simplify(sp.factor(expr))


def inc_adam_frozen_epoch(grads, beta1, beta2, m0, v0):
    """N steps of Inc-Adam (Alg. 1, eps = 0, no bias correction) with w frozen, from state (m0, v0).

    Returns (sum_i m_i / sqrt(v_i), (m_i)_i, (v_i)_i): the epoch displacement is -eta * the sum
    when the step size is held at eta over the epoch.
    """
    ms, vs, m, v = [], [], m0, v0
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        ms.append(m)
        vs.append(v)
    return sp.Add(*[a / sp.sqrt(b) for a, b in zip(ms, vs)]), tuple(ms), tuple(vs)


def verify_cyclic_sum_identity(N=None, beta=beta1, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """sum_{i in [N]} beta^((i-j) mod N) = (1 - beta^N)/(1 - beta) for every j (Prop. 2.5, Prop. 4.1).

    ``N=None``: symbolic N, via sum_{k=0}^{N-1} beta^k evaluated by SymPy (branch beta != 1) -- the
    reindexing i -> (i-j) mod N is a bijection of [N] (checked for concrete N).  Concrete N: every j.
    """
    target = lambda n: (1 - beta**n) / (1 - beta)  # noqa: E731
    if N is None:
        n, k = sp.Symbol("N", integer=True, positive=True), sp.Symbol("k", integer=True, nonnegative=True)
        val = sp.Sum(beta**k, (k, 0, n - 1)).doit()
        generic = val.args[-1][0] if isinstance(val, sp.Piecewise) else val
        return Report("cyclic sum identity, symbolic N", (make_condition(
            "geometric sum", [("N", generic - target(n), is_zero(sp.simplify(generic - target(n))))],
            "sum_{k<N} beta^k = (1-beta^N)/(1-beta), beta != 1"),),
            "general for the geometric sum; the row-sum bijection for symbolic N is theory.general_n")
    check_size(N, max_size, "N")
    checks = [(j, cyclic_weight_sum(beta, N, j) - target(N), is_zero(sp.cancel(cyclic_weight_sum(beta, N, j)
                                                                               - target(N)))) for j in range(N)]
    perm = [(j, sorted((i - j) % N for i in range(N)), sorted((i - j) % N for i in range(N)) == list(range(N)))
            for j in range(N)]
    return Report(f"cyclic sum identity, N = {N}", (
        make_condition("bijection", perm, "i -> (i-j) mod N permutes [N]"),
        make_condition("geometric sum", checks, "sum_i beta^((i-j) mod N) = (1-beta^N)/(1-beta)")), f"N = {N}")


def verify_C_inc_forms(N: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """C_inc (closed form) = sqrt(sum_k beta2^k)/sum_k beta1^k for beta1, beta2 in (0, 1) (Prop. 2.5)."""
    check_size(N, max_size, "N")
    sq = sp.cancel(C_inc(beta1, beta2, N)**2 - C_inc_polynomial(beta1, beta2, N)**2)
    return Report(f"C_inc forms, N = {N}", (make_condition("C_inc^2 equal", [(N, sq, is_zero(sq))],
                                                           "both positive, squares equal"),),
                  f"N = {N} (general: theory.general_n.verify_C_inc_general)")


def verify_beta2_limit(N: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """Prop. 4.1 for symbolic gradients: lim_{beta2->1} eq. (2) = sqrt(N) sum g/sqrt(sum g^2), free of beta1."""
    check_size(N, max_size, "N")
    g = gradient_symbols(N)
    lim = beta2_limit(g)
    diff = sp.simplify(lim - adam_proxy_update(g))
    return Report(f"beta2 -> 1 limit, N = {N}", (
        make_condition("AdamProxy limit", [(N, diff, is_zero(diff))], "limit = sqrt(N) sum g / sqrt(sum g^2)"),
        make_condition("beta1 drops out", [(N, lim, beta1 not in lim.free_symbols)], "limit free of beta1"),
    ), f"N = {N} (general: theory.general_n.verify_beta2_limit_general)")


def verify_frozen_epoch(N: int, *, max_size: int = 4) -> Report:
    """With w frozen, N Inc-Adam steps from the periodic steady state reproduce eq. (2) exactly (Prop. 2.5).

    Symbolic beta1, beta2 in (0, 1) and symbolic gradients.  Conditions: every step's (m_i, v_i) equals the
    steady state, the state after N steps is the starting state (periodicity), and sum_i m_i/sqrt(v_i)
    equals C_inc sum_i A_i/sqrt(B_i).  Guard: N <= ``max_size`` (default 4; the sqrt identities grow fast).
    This is a step-by-step simulation for one N; :func:`theory.general_n.verify_frozen_epoch_general` proves
    the same for symbolic N.
    """
    check_size(N, max_size, "N")
    if N < 1:
        raise TheoryError("N must be >= 1")
    g = gradient_symbols(N)
    mbar, vbar = steady_state_moments(g, beta1, beta2)
    _, ms, vs = inc_adam_frozen_epoch(g, beta1, beta2, mbar[-1], vbar[-1])
    mchk = [(i, sp.cancel(ms[i] - mbar[i]), is_zero(sp.cancel(ms[i] - mbar[i]))) for i in range(N)]
    vchk = [(i, sp.cancel(vs[i] - vbar[i]), is_zero(sp.cancel(vs[i] - vbar[i]))) for i in range(N)]
    # term by term: m_i = K1 A_i and v_i = K2 B_i (the two conditions above, polynomial identities), and
    # sqrt(v_i) = sqrt(K2) sqrt(B_i) because K2 = 1/sum_k beta2^k > 0 and B_i >= 0
    A, B = cyclic_sums(g, beta1, beta2)
    C = C_inc_polynomial(beta1, beta2, N)
    terms = [sp.simplify(sp.cancel(ms[i]) / sp.sqrt(sp.cancel(vs[i])) - C * A[i] / sp.sqrt(B[i])) for i in range(N)]
    tv = [is_zero(t) for t in terms]
    whole = sp.Add(*[ms[i] / sp.sqrt(vs[i]) for i in range(N)]) - epoch_update(g, beta1, beta2, polynomial=True)
    forms = verify_C_inc_forms(N).conditions
    return Report(f"frozen-w epoch of Inc-Adam, N = {N}", (
        make_condition("m steady state", mchk, "m_i = (1-b1)/(1-b1^N) sum_j b1^((i-j) mod N) g_j"),
        make_condition("v steady state", vchk, "v_i = (1-b2)/(1-b2^N) sum_j b2^((i-j) mod N) g_j^2"),
        make_condition("periodicity", [("m", ms[-1] - mbar[-1], mchk[-1][2]), ("v", vs[-1] - vbar[-1], vchk[-1][2])],
                       "state after N steps = initial state"),
        make_condition("eq. (2) termwise", [(i, t, v) for i, (t, v) in enumerate(zip(terms, tv))],
                       "m_i/sqrt(v_i) = C_inc A_i/sqrt(B_i)"),
        # an inference, not a second computation: summing N proved identities proves eq. (2); a failed term
        # alone does not refute the sum (terms could cancel), so then it stays undecided
        make_condition("eq. (2)", [("sum", whole, True if all(v is True for v in tv) else None)],
                       "sum_i m_i/sqrt(v_i) = eq. (2), by summing the termwise identities"),
    ) + forms, f"N = {N}, simulated step by step (general: theory.general_n.verify_frozen_epoch_general)")
