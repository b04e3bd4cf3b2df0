"""The shared symbols of :mod:`theory` (one place, so that every module means the same beta1).

SymPy symbols are equal when name and assumptions are equal; defining them once avoids a module
silently using ``beta1`` without ``positive=True`` and getting a different symbol.  Domains that the
assumptions cannot state (beta in (0, 1)) are given explicitly to the decision procedures
(:mod:`theory.decide`) through :data:`BETA_DOMAIN`.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["beta1", "beta2", "N", "BETA_DOMAIN", "gradient_symbols", "c_symbols", "index_symbols"]

#: the EMA parameters of Adam (Alg. 1); the paper takes 0 < beta1 <= beta2 < 1 (Lemma D.1 needs beta1^2 < beta2)
beta1, beta2 = sp.symbols("beta1 beta2", positive=True)
#: the number of samples as a symbol (general-N proofs)
N = sp.Symbol("N", integer=True, positive=True)
#: beta1, beta2 in (0, 1): pass as ``domain=`` to :func:`theory.decide.decide_sign`
BETA_DOMAIN = {beta1: sp.Interval.open(0, 1), beta2: sp.Interval.open(0, 1)}


def gradient_symbols(n: int, name: str = "g") -> tuple[sp.Symbol, ...]:
    """Symbols g_0..g_{n-1}: real, nonzero (Assumption 2.2) entries of the per-sample gradients."""
    return sp.symbols(f"{name}0:{n}", real=True, nonzero=True)


def c_symbols(n: int) -> sp.Matrix:
    """Weights c_0..c_{n-1} >= 0 of a point of the simplex (Def. 4.6), as a column."""
    return sp.Matrix(sp.symbols(f"c0:{n}", nonnegative=True))


def index_symbols(names: str):
    """Nonnegative integer index symbols (summation and matrix indices of the general-N proofs)."""
    return sp.symbols(names, integer=True, nonnegative=True)
