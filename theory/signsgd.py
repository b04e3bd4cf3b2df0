"""SignSGD (Inc-Signum with beta = 0, batch size 1): the App. G remark, derived exactly.

sign(grad L_i(w)) = sign(l'(<w, x_i>) x_i) = -sign(x_i) because l' < 0 (exp and logistic losses), so the
step w_{t+1} = w_t - eta_t sign(grad L_{t mod N}(w_t)) = w_t + eta_t sign(x_{t mod N}) does not depend on w.
Over an epoch with step eta held fixed the displacement is eta sum_i sign(x_i); since sum_t eta_t = oo and
eta_{rN+i}/eta_{rN} -> 1, the direction converges to sum_i sign(x_i) / ||sum_i sign(x_i)||_2 (the paper
states the direction without its formula; this derivation supplies it).  It is neither the l2 nor the l_inf
max-margin direction in general and need not separate the data (its margin can be <= 0).
"""

from __future__ import annotations

import sympy as sp

from .decide import is_zero
from .errors import SYMBOLIC_MAX, TheoryError, check_size
from .exact_input import as_exact_matrix
from .report import Report, make_condition

__all__ = ["signsgd_sum", "signsgd_direction", "signsgd_margin", "signsgd_epoch", "verify_signsgd_epoch"]


def _signs(X: sp.Matrix) -> sp.Matrix:
    S = X.applyfunc(sp.sign)
    if any(v not in (1, -1) for v in S):
        raise TheoryError("sign(x_i) is undecided or zero for some entry (Assumption 2.2 asks nonzero entries)")
    return S


def signsgd_sum(X) -> sp.Matrix:
    """sum_i sign(x_i) (d x 1): the SignSGD epoch displacement per unit step (App. G remark)."""
    X = as_exact_matrix(X)
    S = _signs(X)
    return sp.Matrix([sum(S[i, k] for i in range(X.rows)) for k in range(X.cols)])


def signsgd_direction(X) -> sp.Matrix:
    """Limit direction of SignSGD: sum_i sign(x_i) / ||sum_i sign(x_i)||_2 (App. G remark)."""
    v = signsgd_sum(X)
    n = sp.sqrt(sum(e**2 for e in v))
    if n == 0:
        raise TheoryError("sum_i sign(x_i) = 0: SignSGD has no limit direction (the iterate stays bounded)")
    return v / n


def signsgd_margin(X) -> sp.Expr:
    """min_i <u, x_i> for the SignSGD direction u (may be <= 0: SignSGD need not separate the data)."""
    X = as_exact_matrix(X)
    u = signsgd_direction(X)
    return sp.Min(*[(X.row(i) * u)[0] for i in range(X.rows)])


def signsgd_epoch(X, w0, ell_primes, eta) -> sp.Matrix:
    """One epoch of SignSGD (cyclic order, step ``eta`` held fixed) from ``w0`` with loss slopes l'_i (< 0)."""
    X = as_exact_matrix(X)
    w = sp.Matrix(w0)
    for i in range(X.rows):
        g = ell_primes[i] * X.row(i).T  # grad L_i(w) = l'(<w, x_i>) x_i; l'_i may depend on w
        w = w - eta * g.applyfunc(sp.sign)
    return w


def verify_signsgd_epoch(X, *, max_size: int = SYMBOLIC_MAX) -> Report:
    """With symbolic w_0 and symbolic negative slopes l'_i, one epoch moves w by eta sum_i sign(x_i) exactly."""
    X = as_exact_matrix(X)
    check_size(X.rows, max_size, "N")
    w0 = sp.Matrix(sp.symbols(f"w0:{X.cols}", real=True))
    lp = sp.symbols(f"lp0:{X.rows}", negative=True)
    eta = sp.Symbol("eta", positive=True)
    disp = signsgd_epoch(X, w0, lp, eta) - w0 - eta * signsgd_sum(X)
    return Report("SignSGD epoch (App. G)", (
        make_condition("displacement", [(k, e, is_zero(e)) for k, e in enumerate(disp)],
                       "w_N - w_0 = eta sum_i sign(x_i), independent of w_0 and of l'"),),
                  "this dataset, every w_0, every eta > 0 and every negative slope l'")
