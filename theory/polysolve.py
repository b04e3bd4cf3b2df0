"""All complex solutions of a zero-dimensional polynomial system, exactly, in shape form (Groebner + FGLM).

A reduced lex Groebner basis of a radical zero-dimensional ideal in general position has the *shape*
{x_1 - p_1(s), ..., x_n - p_n(s), h(s)}: every solution is (p_1(s), ..., p_n(s)) at a root s of h, and every
root of h gives one.  :func:`shape_basis` computes a grevlex basis with SymPy's ``groebner``, converts it with
``fglm`` to lex, and if the last unknown does not separate the solutions adds a separating unknown
s = x_n + sum_i k_i x_i (a few fixed integer choices).  It reports instead of guessing: ``empty`` (no
complex solution), ``positive-dimensional`` (a continuum: the solutions cannot be listed), ``not in shape
position`` (e.g. a multiple solution; the caller must say the question is undecided).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["ShapeBasis", "shape_basis"]

#: separating linear forms tried, as coefficient sequences for the unknowns before the last
_SEPARATORS = ((1, 2, 3, 5, 7, 11, 13, 17), (2, -1, 3, -2, 5, -3, 7, -5), (3, 1, -2, 4, -1, 5, -4, 2))


@dataclass(frozen=True)
class ShapeBasis:
    """``status`` 'ok' (then x_i = ``coordinates[x_i]``(s) at the roots s of ``h``), 'empty',
    'positive-dimensional' or 'not in shape position'; ``s`` is the last unknown or the separating one."""

    status: str
    s: sp.Symbol | None = None
    h: sp.Poly | None = None
    coordinates: tuple = ()
    separator: tuple = ()


def _lex(eqs, gens):
    G = sp.groebner(eqs, *gens, order="grevlex")
    if list(G.exprs) == [1]:
        return "empty", None
    if not G.is_zero_dimensional:
        return "positive-dimensional", None
    return "ok", G.fglm("lex")


def _read_shape(L, gens) -> tuple | None:
    """((x_i, p_i(s)) for each non-last unknown, h(s)) if the lex basis ``L`` has the shape form, else None."""
    s = gens[-1]
    exprs = list(L.exprs)
    if len(exprs) != len(gens):
        return None
    coords = []
    for x, e in zip(gens[:-1], exprs[:-1]):
        p = sp.Poly(e, *gens)
        lin = p.coeff_monomial(x)
        rest = sp.Poly(e - lin * x, *gens)
        if lin == 0 or not rest.as_expr().free_symbols <= {s} or p.degree(x) != 1:
            return None
        coords.append((x, sp.Poly(-rest.as_expr() / lin, s, domain="QQ")))
    h = sp.Poly(exprs[-1], *gens)
    if not h.as_expr().free_symbols <= {s}:
        return None
    return tuple(coords), sp.Poly(h.as_expr(), s, domain="QQ")


def shape_basis(eqs, gens, separating=None) -> ShapeBasis:
    """Solve ``eqs`` = 0 in the unknowns ``gens`` (last one eliminated last) in shape form (module docstring).

    ``separating``: the unknowns a separating form may combine with the last one (default: all others);
    unknowns that are functions of these (such as a Rabinowitsch unknown) need not enter it.
    """
    gens = tuple(gens)
    if not gens:  # nothing to solve: one solution (the empty tuple) unless a nonzero constant is to vanish
        z = sp.Symbol("s")
        return ShapeBasis("empty") if any(sp.sympify(e) != 0 for e in eqs) else ShapeBasis("ok", z, sp.Poly(z, z))
    others = tuple(x for x in gens[:-1] if separating is None or x in separating)
    status, L = _lex(eqs, gens)
    if status != "ok":
        return ShapeBasis(status)
    shape = _read_shape(L, gens)
    if shape is not None:
        return ShapeBasis("ok", gens[-1], shape[1], shape[0], ())
    s = sp.Symbol("s")
    for ks in _SEPARATORS:
        form = gens[-1] + sp.Add(*[k * x for k, x in zip(ks, others)])
        status, L = _lex(list(eqs) + [s - form], gens + (s,))
        shape = _read_shape(L, gens + (s,)) if status == "ok" else None
        if shape is not None:
            return ShapeBasis("ok", s, shape[1], shape[0], tuple(zip(others, ks)))
    return ShapeBasis("not in shape position")
