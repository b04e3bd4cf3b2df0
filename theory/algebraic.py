"""Real algebraic numbers for the exact fixed points of T (Thm 4.8): a root with an isolating interval, and Q(theta).

A fixed point of T on rational data has algebraic coordinates, all in one number field Q(theta): the
solver (:mod:`theory.exact_fixed_points`) returns theta as a real root of an irreducible polynomial f
with a rational isolating interval (:class:`RealRoot`), and each coordinate as a polynomial q(theta)
reduced mod f (:class:`FieldElement`).  Everything below is exact and uses SymPy's own tools:

* q(theta) = 0 iff f divides q (f irreducible);
* otherwise the sign of q(theta) is read off an exact rational interval evaluation of q on an isolating
  interval of theta that ``Poly.refine_root`` shrinks until the enclosure excludes 0 (it must, since
  q(theta) != 0);
* the minimal polynomial of q(theta) is the irreducible factor of Res_z(f(z), x - q(z)) (that resultant is
  a power of it), and q(theta) is the ``CRootOf`` of it whose isolating interval contains q(theta), decided by
  two exact signs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy as sp

__all__ = ["RealRoot", "FieldElement", "real_roots"]

_X = sp.Symbol("x")


def _enclosure(coeffs, a: Fraction, b: Fraction) -> tuple[Fraction, Fraction]:
    """Exact [lo, hi] containing q([a, b]) (interval Horner over the rationals; ``coeffs`` highest first)."""
    lo = hi = Fraction(0)
    for cf in coeffs:
        prods = (lo * a, lo * b, hi * a, hi * b)
        lo, hi = min(prods) + cf, max(prods) + cf
    return lo, hi


def _frac(r) -> Fraction:
    r = sp.Rational(r)
    return Fraction(int(r.p), int(r.q))


@dataclass(frozen=True)
class RealRoot:
    """theta = the ``index``-th real root (increasing) of the irreducible ``poly``, inside ``interval`` = [a, b]."""

    poly: sp.Poly
    index: int
    interval: tuple

    @property
    def degree(self) -> int:
        return self.poly.degree()

    def rational_value(self) -> sp.Rational | None:
        """theta itself when the degree is 1, else None."""
        if self.degree != 1:
            return None
        a1, a0 = self.poly.all_coeffs()
        return sp.Rational(-a0, a1)

    @cached_property
    def _fine(self) -> tuple:
        """The isolating interval refined to width < 2^-64 (once per root; decides almost every sign at once)."""
        a, b = self.interval
        if self.rational_value() is None:
            a, b = self.poly.refine_root(a, b, eps=sp.Rational(1, 2**64))
        return sp.Rational(a), sp.Rational(b)

    def sign_of(self, q: sp.Poly) -> int:
        """The exact sign (-1, 0, 1) of q(theta) (module docstring)."""
        q = sp.Poly(q.as_expr(), self.poly.gen, domain="QQ").rem(self.poly)
        if q.is_zero:
            return 0
        r = self.rational_value()
        if r is not None:
            return int(sp.sign(q.eval(r)))
        coeffs = [_frac(cf) for cf in q.all_coeffs()]
        a, b = self._fine
        while True:  # terminates: q(theta) != 0 and the enclosure shrinks to it
            lo, hi = _enclosure(coeffs, _frac(a), _frac(b))
            if lo > 0 or hi < 0:
                return 1 if lo > 0 else -1
            a, b = self.poly.refine_root(a, b, eps=(b - a) / 2**32)

    def rootof(self) -> sp.Expr:
        """theta as a SymPy number: a Rational or ``CRootOf(poly, index)``."""
        r = self.rational_value()
        return r if r is not None else sp.CRootOf(self.poly.as_expr(), self.index)

    def evalf(self, n: int = 50) -> sp.Float:
        return sp.N(self.rootof(), n)


def real_roots(h: sp.Poly) -> list[RealRoot]:
    """Every real root of the univariate rational polynomial ``h``, one :class:`RealRoot` per distinct root."""
    out = []
    for f, _ in sp.factor_list(h.as_expr(), h.gen)[1]:
        f = sp.Poly(f, h.gen, domain="QQ").monic()
        if f.degree() < 1:
            continue
        if f.degree() == 1:
            r = -f.all_coeffs()[1]
            out.append(RealRoot(f, 0, (r, r)))
            continue
        for k, ((a, b), _) in enumerate(f.intervals()):
            out.append(RealRoot(f, k, (sp.Rational(a), sp.Rational(b))))
    return out


@dataclass(frozen=True)
class FieldElement:
    """The number q(theta) of Q(theta), ``poly`` reduced mod the minimal polynomial of ``root``."""

    root: RealRoot
    poly: sp.Poly

    @classmethod
    def of(cls, root: RealRoot, q) -> "FieldElement":
        """q (an expression in ``root.poly.gen`` or a rational) as an element of Q(theta)."""
        p = sp.Poly(sp.sympify(q), root.poly.gen, domain="QQ").rem(root.poly)
        return cls(root, p)

    def _wrap(self, p: sp.Poly) -> "FieldElement":
        return FieldElement(self.root, p.rem(self.root.poly))

    def _coerce(self, other) -> sp.Poly:
        if isinstance(other, FieldElement):
            return other.poly
        return sp.Poly(sp.sympify(other), self.root.poly.gen, domain="QQ")

    def __add__(self, other):
        return self._wrap(self.poly + self._coerce(other))

    __radd__ = __add__

    def __sub__(self, other):
        return self._wrap(self.poly - self._coerce(other))

    def __rsub__(self, other):
        return self._wrap(self._coerce(other) - self.poly)

    def __mul__(self, other):
        return self._wrap(self.poly * self._coerce(other))

    __rmul__ = __mul__

    def __neg__(self):
        return self._wrap(-self.poly)

    def __truediv__(self, other):
        den = self._coerce(other).rem(self.root.poly)
        if den.is_zero:
            raise ZeroDivisionError("division by zero in Q(theta)")
        return self._wrap(self.poly * sp.invert(den, self.root.poly))

    def is_zero(self) -> bool:
        return self.poly.is_zero

    def sign(self) -> int:
        """Exact sign of this number."""
        return self.root.sign_of(self.poly)

    def minimal_polynomial(self) -> sp.Poly:
        """The monic minimal polynomial over Q (in the variable x) of this number."""
        if self.poly.degree() <= 0:
            return sp.Poly(_X - self.poly.as_expr(), _X, domain="QQ")
        res = sp.resultant(self.root.poly.as_expr(), _X - self.poly.as_expr(), self.root.poly.gen)
        factors = [f for f, _ in sp.factor_list(res, _X)[1] if sp.Poly(f, _X).degree() > 0]
        if len(factors) != 1:  # pragma: no cover - impossible for irreducible root.poly
            raise ArithmeticError(f"resultant is not a power of one irreducible polynomial: {factors}")
        return sp.Poly(factors[0], _X, domain="QQ").monic()

    def as_expr(self) -> sp.Expr:
        """Exact SymPy number: a Rational, or ``CRootOf(minimal polynomial, k)`` with k decided exactly."""
        if self.poly.degree() <= 0:
            return sp.Rational(self.poly.as_expr())
        mp = self.minimal_polynomial()
        if mp.degree() == 1:
            return -mp.all_coeffs()[1]
        for k, ((a, b), _) in enumerate(mp.intervals()):
            if (self - sp.Rational(a)).sign() >= 0 and (self - sp.Rational(b)).sign() <= 0:
                return sp.CRootOf(mp.as_expr(), k)
        raise ArithmeticError("no isolating interval of the minimal polynomial contains the value")  # pragma: no cover

    def evalf(self, n: int = 50) -> sp.Float:
        """n significant digits (the root is refined by SymPy's interval arithmetic behind ``CRootOf``)."""
        theta = self.root.rootof()
        return sp.N(self.poly.as_expr().subs(self.root.poly.gen, theta), n)
