"""Generalized (v3: Scaled) Rademacher data: Def. 3.1, Cor. 3.2, Ex. 4.9 -- exact reductions.

GR data are x_i = alpha_i s_i with alpha_i > 0 and s_i in {+1, -1}^d (Def. 3.1).  Then x_j^2 = alpha_j^2 1
entry-wise, so D(c) = sqrt(sum_j c_j^2 alpha_j^2) I is a scalar matrix for every c (Ex. 4.9): P(c) is the
hard-margin SVM up to the factor s(c), w*(c) = w_2 and lambda*(c) = s(c) lambda_2 on every support set,
T(c) = lambda_2/||lambda_2||_1 is constant, and the fixed-point direction is the l2 max-margin direction
(consistent with Thm 3.3).  In eq. (2) every denominator is a scalar D_i, which gives Cor. 3.2's weights

    a_j = C_inc ||grad L|| sum_i beta1^((i-j) mod N) / D_i,   D_i = sqrt(sum_j beta2^((i-j) mod N) l'_j^2 alpha_j^2),

(the normaliser ||grad L||_2 is a reconstruction; the identity (3) = (2) holds for any positive normaliser,
and this one is what needs separability for the lower bound), with bounds c1 <= a_j <= c2:

    c1 = sqrt(sum_k beta2^k) gamma_2 / (N max_j alpha_j),   c2 = sqrt(d sum_k beta2^k / (N beta2^(N-1))).

The verifiers here check one dataset or one N (scope says which); :mod:`theory.gr_general` proves the
reduction (with the KKT transfer) and Cor. 3.2 for symbolic N and d with generic signs.
"""

from __future__ import annotations

import sympy as sp

from .decide import is_zero, sign_ok
from .errors import SYMBOLIC_MAX, TheoryError, check_size
from .exact_input import as_exact_matrix
from .epoch_map import C_inc, C_inc_polynomial, cyclic_weight_sum, epoch_update, geometric_sum
from .fixed_point import verify_fixed_point
from .kkt import D_diag, l2_kkt, l2_max_margin_exact, mahalanobis_kkt
from .report import Report, make_condition
from .symbols import beta1, beta2, c_symbols

__all__ = ["gr_dataset", "is_generalized_rademacher", "verify_D_scalar", "verify_gr_reduction", "gr_fixed_point",
           "cor32_denominators", "cor32_weights", "cor32_bounds", "verify_cor32_reduction",
           "verify_cor32_weight_sum", "verify_cor32_denominator_bounds"]


def gr_dataset(alphas, signs) -> sp.Matrix:
    """x_i = alpha_i s_i (Def. 3.1): ``alphas`` length N (positive), ``signs`` N x d of +-1."""
    S = as_exact_matrix(signs, name="signs")
    if len(alphas) != S.rows or any(v not in (1, -1) for v in S):
        raise TheoryError("signs must be an N x d matrix of +-1 with N = len(alphas)")
    return sp.Matrix([[sp.sympify(alphas[i]) * S[i, k] for k in range(S.cols)] for i in range(S.rows)])


def is_generalized_rademacher(X) -> bool | None:
    """|x_i[k]| = |x_i[l]| for all i, k, l (Def. 3.1); None if undecidable for symbolic entries."""
    X = as_exact_matrix(X)
    verdicts = [is_zero(X[i, k]**2 - X[i, 0]**2) for i in range(X.rows) for k in range(1, X.cols)]
    return False if False in verdicts else (None if None in verdicts else True)


def verify_D_scalar(X, c=None) -> Report:
    """D(c) is a scalar matrix (Ex. 4.9): all diagonal entries equal, for symbolic c (identically) by default.

    On non-GR data this fails, naming the coordinates k whose entry D_kk(c) differs from D_00(c).
    """
    X = as_exact_matrix(X)
    c = c_symbols(X.rows) if c is None else c
    Dd = D_diag(X, c)
    checks = []
    for k in range(1, X.cols):
        e = sp.expand(Dd[k]**2 - Dd[0]**2)  # both entries >= 0, so equal iff squares equal
        # a polynomial in c (and the data's symbols) is zero for every c iff it expands to 0
        checks.append((k, e, (e == 0) if e.is_polynomial() else is_zero(e)))
    return Report("D(c) scalar (Ex. 4.9)", (make_condition("D(c) scalar", checks, "D_kk(c) = D_00(c) for all k"),),
                  "this dataset, every c")


def verify_gr_reduction(X, support, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """On GR data and support S, for symbolic c: P(c) has the l2 primal and multipliers s(c) lambda_2 (Ex. 4.9).

    Conditions: ``support is the l2 support`` (the l2 KKT system holds on S, strictly: a wrong S fails here);
    D(c) scalar; w*(c) = w_2; lambda*(c) = s(c) lambda_2 with s(c) = D_00(c); T(c) does not depend on c (so
    the unique fixed point is lambda_2/||lambda_2||_1 and the direction is the l2 one).  One dataset; the
    general statement is :func:`theory.gr_general.verify_gr_reduction_general`.
    """
    X = as_exact_matrix(X)
    check_size(X.rows, max_size, "N")
    c = c_symbols(X.rows)
    l2 = l2_kkt(X, support, max_size=max_size)
    l2_rep = l2.verify()
    true_support = make_condition("support is the l2 support", [(cd.name, cd.name, cd.passed)
                                                                for cd in l2_rep.conditions],
                                  "the l2 KKT system (strict) holds on S")
    P = mahalanobis_kkt(X, c, support, max_size=max_size)
    s = D_diag(X, c)[0]
    wd = [(k, sp.simplify(P.w[k] - l2.w[k]), is_zero(P.w[k] - l2.w[k])) for k in range(X.cols)]
    ld = [(i, sp.simplify(P.lam[i] - s * l2.lam[i]), is_zero(P.lam[i] - s * l2.lam[i])) for i in range(X.rows)]
    T = P.lam / sum(P.lam)
    tc = [(i, T[i], all(is_zero(sp.diff(T[i], cj)) for cj in c)) for i in range(X.rows)]
    return Report(f"GR reduction on support {tuple(support)} (Ex. 4.9)",
                  (true_support,) + verify_D_scalar(X, c).conditions + (
                      make_condition("same primal", wd, "w*(c) = w_2 (l2 max-margin)"),
                      make_condition("scaled multipliers", ld, "lambda*(c) = s(c) lambda_2"),
                      make_condition("T constant", tc, "dT(c)/dc = 0")),
                  "this dataset, every c (general: theory.gr_general.verify_gr_reduction_general)")


def gr_fixed_point(X, *, max_size: int = SYMBOLIC_MAX):
    """For closed GR data: (fixed-point verification at c* = lambda_2/||lambda_2||_1, l2 solution, same direction).

    Thm 3.3 / Ex. 4.9: the fixed point of T is the normalised l2 dual and w*(c*) = w_2.
    """
    X = as_exact_matrix(X)
    if is_generalized_rademacher(X) is not True:
        raise TheoryError("X is not Generalized Rademacher data (Def. 3.1)")
    l2 = l2_max_margin_exact(X, max_size=max_size)
    cstar = l2.lam / sum(l2.lam)
    ver = verify_fixed_point(X, cstar, max_size=max_size)
    same = all(is_zero(a - b) for a, b in zip(ver.direction, l2.direction))
    return ver, l2, same


def cor32_denominators(ell_primes, alphas, beta2) -> tuple[sp.Expr, ...]:
    """D_i = sqrt(sum_j beta2^((i-j) mod N) l'_j^2 alpha_j^2), the scalar denominators of eq. (2) on GR data."""
    N = len(ell_primes)
    return tuple(sp.sqrt(sp.Add(*[beta2**((i - j) % N) * ell_primes[j]**2 * alphas[j]**2 for j in range(N)]))
                 for i in range(N))


def cor32_weights(ell_primes, alphas, beta1, beta2, grad_norm) -> tuple[sp.Expr, ...]:
    """Cor. 3.2 weights a_j = C_inc ||grad L|| sum_i beta1^((i-j) mod N) / D_i (reconstructed; theory/README.md)."""
    N = len(ell_primes)
    D = cor32_denominators(ell_primes, alphas, beta2)
    return tuple(C_inc(beta1, beta2, N) * grad_norm * sp.Add(*[beta1**((i - j) % N) / D[i] for i in range(N)])
                 for j in range(N))


def cor32_bounds(N: int, d, beta2, gamma2, alpha_max) -> tuple[sp.Expr, sp.Expr]:
    """(c1, c2) of Cor. 3.2 for L = (1/N) sum_i l(<w, x_i>): c1 <= a_j(r) <= c2 for all j, r.

    c1 = sqrt(sum_k beta2^k) gamma_2/(N alpha_max) (uses ||grad L|| >= gamma_2 G, separability) and
    c2 = sqrt(d sum_k beta2^k/(N beta2^(N-1))) (uses D_i >= beta2^((N-1)/2) N^(-1/2) sum_j alpha_j |l'_j|);
    both depend only on beta2 and the data, not on beta1, since C_inc sum_i beta1^((i-j) mod N) = sqrt(sum_k beta2^k).
    """
    P = geometric_sum(beta2, N)
    return sp.sqrt(P) * gamma2 / (N * alpha_max), sp.sqrt(d * P / (N * beta2**(N - 1)))


def verify_cor32_weight_sum(N: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """C_inc(beta1, beta2) sum_i beta1^((i-j) mod N) = sqrt(sum_k beta2^k) for every j: beta1 leaves the bounds."""
    check_size(N, max_size, "N")
    b1, b2 = beta1, beta2
    checks = []
    for j in range(N):
        e = C_inc_polynomial(b1, b2, N) * cyclic_weight_sum(b1, N, j) - sp.sqrt(geometric_sum(b2, N))
        checks.append((j, e, is_zero(sp.cancel(e))))
    return Report(f"Cor. 3.2 weight sum, N = {N}", (make_condition("beta1 cancels", checks,
                                                                   "C_inc sum_i b1^((i-j) mod N) = sqrt(sum b2^k)"),),
                  f"N = {N} (general: theory.gr_general.verify_cor32_general)")


def verify_cor32_denominator_bounds(N: int, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """The two inequalities behind (c1, c2) of Cor. 3.2, as exact sum-of-squares identities (u_j = alpha_j |l'_j|).

    Upper bound on a_j: D_i^2 >= beta2^(N-1) sum u^2 and N sum u^2 - (sum u)^2 = sum_{j<k} (u_j - u_k)^2 >= 0,
    so D_i >= beta2^((N-1)/2) N^(-1/2) sum u.  Lower bound: D_i^2 <= sum u^2 and (sum u)^2 - sum u^2 =
    2 sum_{j<k} u_j u_k >= 0, so D_i <= sum u <= max_j alpha_j sum_j |l'_j|.
    """
    check_size(N, max_size, "N")
    u = sp.symbols(f"u0:{N}", nonnegative=True)
    b2 = beta2
    pairs = [(j, k) for j in range(N) for k in range(j + 1, N)]
    cs = sp.expand(N * sum(x**2 for x in u) - sum(u)**2 - sum((u[j] - u[k])**2 for j, k in pairs))
    tri = sp.expand(sum(u)**2 - sum(x**2 for x in u) - 2 * sum(u[j] * u[k] for j, k in pairs))
    # D_i^2 - beta2^(N-1) sum u^2 = sum_j (beta2^k_ij - beta2^(N-1)) u_j^2 with k_ij = (i-j) mod N <= N-1:
    # every coefficient is >= 0 for beta2 = 1/(1+z) in (0, 1]
    z = sp.Symbol("z", nonnegative=True)
    lows = []
    for k in range(N):
        coef = sp.factor(((b2**k - b2**(N - 1)).subs(b2, 1 / (1 + z))))
        lows.append((k, coef, sign_ok(coef, strict=False)))
    return Report(f"Cor. 3.2 denominator bounds, N = {N}", (
        make_condition("Cauchy-Schwarz", [("N sum u^2 - (sum u)^2", cs, cs == 0)], "= sum_{j<k} (u_j - u_k)^2"),
        make_condition("triangle", [("(sum u)^2 - sum u^2", tri, tri == 0)], "= 2 sum_{j<k} u_j u_k"),
        make_condition("beta2 floor", lows, "beta2^k - beta2^(N-1) >= 0 for 0 <= k < N, beta2 in (0, 1]"),
    ), f"N = {N} (general: theory.gr_general.verify_cor32_general)")


def verify_cor32_reduction(signs, *, max_size: int = 4) -> Report:
    """Eq. (3) = eq. (2) on GR data x_j = alpha_j s_j with symbolic alpha_j > 0, l'_j < 0, beta1, beta2 (Cor. 3.2).

    For every coordinate k: C_inc sum_i A_i[k]/sqrt(B_i[k]) = sum_j a_j grad L_j[k] / ||grad L||, with
    grad L_j = l'_j x_j and ||grad L|| a positive symbol (the identity does not depend on the normaliser).
    """
    S = as_exact_matrix(signs, name="signs")
    N, d = S.shape
    check_size(N, max_size, "N")
    b1, b2, nrm = beta1, beta2, sp.Symbol("gradnorm", positive=True)
    alphas = sp.symbols(f"alpha0:{N}", positive=True)
    lp = sp.symbols(f"lp0:{N}", negative=True)
    a = cor32_weights(lp, alphas, b1, b2, nrm)
    checks = []
    for k in range(d):
        g = [lp[j] * alphas[j] * S[j, k] for j in range(N)]
        e = epoch_update(g, b1, b2) - sp.Add(*[a[j] * g[j] / nrm for j in range(N)])
        checks.append((k, e, is_zero(sp.simplify(e))))
    return Report(f"Cor. 3.2 reduction, N = {N}, d = {d}", (make_condition("eq. (3) = eq. (2)", checks,
                                                                           "per coordinate"),),
                  "these signs (general: theory.gr_general.verify_cor32_general)")
