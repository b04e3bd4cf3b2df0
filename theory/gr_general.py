"""Ex. 4.9 (P(c) on GR data is the SVM, KKT transfer) and Cor. 3.2 (eq. (3) = eq. (2), bounds c1, c2), symbolic N, d.

GR data (Def. 3.1): x_jk = alpha_j sigma_jk with alpha_j > 0 and *generic* signs: sigma_jk is an indexed symbol
on which only sigma_jk^2 = 1 is used, so a proof covers every sign pattern at once.  The data model is a
parameter (``entry``): a non-GR model such as alpha_j beta_k sigma_jk makes the same verifier fail.

Ex. 4.9, for symbolic N and d (X, w, lambda as MatrixSymbols): D(c)_kk^2 = sum_j c_j^2 alpha_j^2 = s(c)^2 for
every k; if (w, lambda) satisfies the l2 KKT system then (w, s lambda) satisfies the KKT system of P(c)
(stationarity s I w = X^T (s lambda), same constraints, complementarity and signs scale by s > 0), and
conversely with 1/s; by uniqueness (strict convexity, LICQ) w*(c) = w_2, lambda*(c) = s(c) lambda_2 and
T(c) = lambda_2/||lambda_2||_1 for every c: the fixed point is unique and its direction is the l2 one.

Cor. 3.2: the denominators of eq. (2) lose their coordinate, so swapping the finite sums gives eq. (3) with
a_j = C_inc ||grad L|| sum_i beta1^((i-j) mod N)/D_i; the bounds use C_inc sum_i beta1^((i-j) mod N) =
sqrt(sum_k b2^k) (cyclic row sum), b2^(N-1) <= b2^k <= 1, Cauchy-Schwarz N sum u^2 >= (sum u)^2 (Lagrange
with a = 1) and sum u^2 <= (sum u)^2 for u >= 0; chaining them gives c1 and c2 (identities checked below).
"""

from __future__ import annotations

import sympy as sp

from .decide import decide_sign, decide_zero
from .general_n import C_INC_SYMBOLIC
from .report import Report, make_condition
from .sums import sum_zero, verify_lagrange_identity
from .symbols import BETA_DOMAIN, N, beta1, beta2, index_symbols

__all__ = ["gr_entry", "verify_gr_reduction_general", "verify_cor32_general", "cor32_bounds_general"]

j, k, k2, i, r = index_symbols("j k k2 i r")
alpha = sp.IndexedBase("alpha", positive=True)
sigma = sp.IndexedBase("sigma", real=True)
c = sp.IndexedBase("c", nonnegative=True)
d = sp.Symbol("d", integer=True, positive=True)


def gr_entry(j_, k_) -> sp.Expr:
    """x_jk = alpha_j sigma_jk (Def. 3.1) with generic signs sigma_jk^2 = 1."""
    return alpha[j_] * sigma[j_, k_]


def _signs_squared(e: sp.Expr) -> sp.Expr:
    """Apply sigma_jk^2 = 1 (even powers of a sign are 1), the only property of the signs used."""
    return sp.expand(e).replace(lambda x: x.is_Pow and isinstance(x.base, sp.Indexed) and x.base.base == sigma
                                and x.exp.is_even, lambda x: sp.Integer(1))


def verify_gr_reduction_general(entry=None) -> Report:
    """Ex. 4.9 for symbolic N, d, c and generic signs (module docstring); ``entry`` the data model (j, k) -> x_jk."""
    entry = entry or gr_entry
    Dsq = lambda kk: _signs_squared(sp.Sum(c[j]**2 * entry(j, kk)**2, (j, 0, N - 1)))  # noqa: E731
    scalar = Dsq(k) - Dsq(k2)
    X, w = sp.MatrixSymbol("X", N, d), sp.MatrixSymbol("w", d, 1)
    lam = sp.MatrixSymbol("lambda", N, 1)
    s = sp.Symbol("s", positive=True)  # s(c) = D(c)_kk > 0 (Assumption 2.2)
    stat = (s * sp.Identity(d) * w - X.T * (s * lam) - s * (w - X.T * lam)).expand().doit()
    lam_i, slack = sp.Symbol("lambda_i", nonnegative=True), sp.Symbol("slack_i", real=True)
    comp = sp.expand((s * lam_i) * slack - s * (lam_i * slack))
    lam_ix = sp.IndexedBase("lambda", nonnegative=True)
    T_const = s * lam_ix[i] / sp.Sum(s * lam_ix[j], (j, 0, N - 1)) - lam_ix[i] / sp.Sum(lam_ix[j], (j, 0, N - 1))
    return Report("GR reduction of P(c), symbolic N and d (Ex. 4.9)", (
        make_condition("D(c) scalar", [("k, k2", scalar, sum_zero(scalar, N))], "D_kk(c)^2 = D_ll(c)^2 for all k, l"),
        make_condition("KKT transfer", [
            ("stationarity", stat, stat == sp.ZeroMatrix(d, 1) or stat == 0),
            ("complementarity", comp, decide_zero(comp)),
            ("dual sign", s * lam_i, decide_sign(s * lam_i, strict=False))],
            "(w, lambda) l2-KKT <=> (w, s lambda) P(c)-KKT"),
        make_condition("T constant", [("i", T_const, sum_zero(T_const, N))], "T(c) = lambda_2/||lambda_2||_1"),
    ), "general")


def cor32_bounds_general() -> tuple[sp.Expr, sp.Expr]:
    """(c1, c2) of Cor. 3.2 with symbolic N, d: c1 = sqrt(G) gamma_2/(N alpha_max), c2 = sqrt(d G/(N b2^(N-1))),
    G = (1 - b2^N)/(1 - b2) = sum_{k<N} b2^k."""
    G = (1 - beta2**N) / (1 - beta2)
    g2, amax = sp.symbols("gamma2 alpha_max", positive=True)
    return sp.sqrt(G) * g2 / (N * amax), sp.sqrt(d * G / (N * beta2**(N - 1)))


def verify_cor32_general(bounds=None, entry=None) -> Report:
    """Cor. 3.2 for symbolic N, d: eq. (3) = eq. (2) on GR data, and the ingredients and assembly of (c1, c2).

    ``bounds`` = (c1, c2) to check (default :func:`cor32_bounds_general`); ``entry`` the data model.
    """
    entry = entry or gr_entry
    c1, c2 = bounds or cor32_bounds_general()
    lp, nrm = sp.IndexedBase("lp", negative=True), sp.Symbol("gradnorm", positive=True)
    w1 = sp.Piecewise((beta1**(i - j), i >= j), (beta1**(N + i - j), True))
    w2 = sp.Piecewise((beta2**(i - r), i >= r), (beta2**(N + i - r), True))
    g = lambda jj, kk: lp[jj] * entry(jj, kk)  # noqa: E731  (grad L_j)[k] = l'_j x_jk
    Bk = lambda kk: _signs_squared(sp.Sum(w2 * g(r, kk)**2, (r, 0, N - 1)))  # noqa: E731
    coord_free = Bk(k) - Bk(k2)
    # eq. (2)[k] = C sum_i sum_j w1 g_jk / sqrt(B_i);  eq. (3)[k] = sum_j a_j g_jk/||grad L||: the same double sum
    # with the order of summation exchanged (finite sums), once B_i does not depend on k
    eq2_summand = C_INC_SYMBOLIC * w1 * g(j, k) / sp.sqrt(Bk(k))
    a_summand = C_INC_SYMBOLIC * nrm * w1 / sp.sqrt(Bk(k2))   # summand of a_j (sum over i): one D_i for all k
    eq3_summand = a_summand * g(j, k) / nrm
    swap = sp.simplify(eq2_summand - eq3_summand)
    row = C_INC_SYMBOLIC * (1 - beta1**N) / (1 - beta1) - sp.sqrt((1 - beta2**N) / (1 - beta2))
    rr = sp.Symbol("r_", integer=True, positive=True)  # b2^k - b2^(N-1) = b2^k (1 - b2^r), r = N-1-k >= 0
    floor_id = sp.simplify(1 - beta2**rr - ((1 - beta2) * sp.Sum(beta2**i, (i, 0, rr - 1))).doit())
    floor_sum = sp.Sum(beta2**i, (i, 0, rr - 1))
    S, Q, P, u = sp.symbols("S Q P u_new", nonnegative=True)  # sum u, sum u^2, sum_{j<k} u_j u_k; new term
    tri_step = sp.expand((S + u)**2 - (Q + u**2) - 2 * (P + u * S) - (S**2 - Q - 2 * P))
    lag = verify_lagrange_identity()
    U, L, g2, amax = sp.symbols("U L gamma2 alpha_max", positive=True)  # U = sum u, L = sum |l'|
    G = (1 - beta2**N) / (1 - beta2)
    up = sp.sqrt(G) * (sp.sqrt(d) / N * U) / (beta2**((N - 1) / sp.Integer(2)) / sp.sqrt(N) * U) - c2
    low = sp.sqrt(G) * (g2 / N * L) / (amax * L) - c1
    return Report("Cor. 3.2, symbolic N and d", (
        make_condition("denominators coordinate-free", [("k, k2", coord_free, sum_zero(coord_free, N))],
                       "B_i[k] = D_i^2 for every k (sigma^2 = 1)"),
        make_condition("eq. (3) = eq. (2)", [("summand", swap, decide_zero(swap))],
                       "same double sum, order of the finite sums exchanged"),
        make_condition("beta1 cancels", [("j", row, decide_zero(row, BETA_DOMAIN))],
                       "C_inc sum_i b1^((i-j) mod N) = sqrt(sum_k b2^k) (cyclic row sum)"),
        make_condition("beta2 floor", [("identity", floor_id, decide_zero(floor_id)),
                                       ("1 - b2 > 0", 1 - beta2, decide_sign(1 - beta2, strict=True,
                                                                             domain=BETA_DOMAIN)),
                                       ("sum >= 0", floor_sum, floor_sum.is_nonnegative)],
                       "b2^k - b2^(N-1) = b2^k (1 - b2) sum_{i<N-1-k} b2^i >= 0"),
        make_condition("Cauchy-Schwarz", [(cd.name, cd.name, cd.passed) for cd in lag.conditions],
                       "N sum u^2 - (sum u)^2 = sum_{j<k} (u_j - u_k)^2: Lagrange with a = 1"),
        make_condition("triangle", [("step", tri_step, tri_step == 0), ("base", 0, True)],
                       "(sum u)^2 - sum u^2 = 2 sum_{j<k} u_j u_k >= 0, by induction"),
        make_condition("c2", [("assembly", up, decide_zero(up, BETA_DOMAIN))],
                       "sqrt(G) (sqrt(d) U/N) / (b2^((N-1)/2) U/sqrt(N)) = c2"),
        make_condition("c1", [("assembly", low, decide_zero(low, BETA_DOMAIN))],
                       "sqrt(G) (gamma_2 L/N) / (alpha_max L) = c1"),
    ), "general")
