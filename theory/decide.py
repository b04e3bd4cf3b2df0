"""Decision procedures: exact zero and sign tests, with explicit domains for the symbols.

A test returns a :class:`Decision`: ``value`` True (proved), False (refuted; ``witness`` is a point of the
domain where the statement fails, when symbols are involved) or None (undecided: SymPy could not settle
it, never a guess).  How each is decided:

* rationals directly; closed algebraic numbers by formal cancellation (radicals as independent
  generators) for zero, a 50-digit evaluation bounded away from 0 for nonzero, ``equals`` last;
* expressions with symbols: every symbol ranges over a **domain**, an interval.  By default it is the
  interval its assumptions give (positive -> (0, oo), ...); pass ``domain={beta2: Interval.open(0, 1)}``
  to say more.  A bounded or shifted interval is re-parametrised by a positive dummy z
  ((a, b) -> a + (b - a)/(1 + z), (a, oo) -> a + z, (-oo, b) -> b - z), so that cancellation, ``simplify``
  and SymPy's sign assumptions prove statements over exactly that interval; finite closed endpoints are
  checked separately by substitution.  Refutation evaluates the statement exactly at a few irregular
  rational points *inside the domain* (so t in (0, 1) is never refuted at t = 4/3).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Decision", "decide_zero", "decide_sign", "is_zero", "sign_ok", "default_interval", "sample_points",
           "reparametrise"]

_SAMPLE_POINTS = 3


@dataclass(frozen=True)
class Decision:
    """Outcome of one exact test: ``value`` True / False / None, ``witness`` {symbol: value} refuting it, ``how``."""

    value: bool | None
    witness: tuple = ()
    how: str = ""


def default_interval(x: sp.Symbol) -> sp.Interval:
    """The interval a symbol's assumptions allow (positive -> (0, oo), nonnegative -> [0, oo), ...)."""
    if x.is_positive:
        return sp.Interval.open(0, sp.oo)
    if x.is_nonnegative:
        return sp.Interval(0, sp.oo)
    if x.is_negative:
        return sp.Interval.open(-sp.oo, 0)
    if x.is_nonpositive:
        return sp.Interval(-sp.oo, 0)
    return sp.Interval(-sp.oo, sp.oo)


def _domain(symbols, domain) -> dict:
    domain = dict(domain or {})
    return {x: domain.get(x, default_interval(x)) for x in sorted(symbols, key=str)}


def _inside(iv: sp.Interval, w: sp.Rational) -> sp.Expr:
    """A point of ``iv`` determined by the weight w in (0, 1) (irregular w give irregular points)."""
    a, b = iv.start, iv.end
    if a.is_finite and b.is_finite:
        return a + (b - a) * w
    if a.is_finite:
        return a + 1 / w
    if b.is_finite:
        return b - 1 / w
    return 1 / w


def sample_points(symbols, domain=None, count: int = _SAMPLE_POINTS) -> list[dict]:
    """``count`` admissible points: irregular rationals inside each symbol's domain (integers for integer symbols).

    Used only to *refute* universal statements: an identity that fails somewhere is very unlikely to hold at
    such points by accident, and a statement that holds on the domain is never refuted by them.
    """
    dom = _domain(symbols, domain)
    points = []
    for r in range(count):
        pt = {}
        for k, (x, iv) in enumerate(dom.items()):
            if x.is_integer:
                lo = sp.floor(iv.start) + 1 if iv.start.is_finite else sp.Integer(-(k + r + 2))
                v = lo + k + r + 1
                pt[x] = v if v in iv else lo
            else:
                p, q = sp.prime(k + 2), sp.prime(k + 3 + 2 * r)
                pt[x] = _inside(iv, sp.Rational(p, p + q))
        points.append(pt)
    return points


def reparametrise(symbols, domain=None) -> tuple[dict, list[tuple[sp.Symbol, sp.Expr]]]:
    """(substitution onto positive dummies for the open part of each domain, [(symbol, finite closed endpoint)])."""
    subs, ends = {}, []
    for x, iv in _domain(symbols, domain).items():
        if iv == default_interval(x) or x.is_integer:
            continue  # the assumptions already say exactly this (integers: sampled, never re-parametrised)
        z = sp.Dummy(f"z_{x}", positive=True)
        a, b = iv.start, iv.end
        if a.is_finite and b.is_finite:
            subs[x] = a + (b - a) / (1 + z)
        elif a.is_finite:
            subs[x] = a + z
        elif b.is_finite:
            subs[x] = b - z
        else:
            continue
        ends += [(x, e) for e, openend in ((a, iv.left_open), (b, iv.right_open)) if e.is_finite and not openend]
    return subs, ends


def _closed_zero(e: sp.Expr) -> bool | None:
    if e.is_Rational:
        return e == 0
    if sp.cancel(sp.together(e)) == 0:
        return True
    v = sp.N(e, 50)
    if v.is_number and v.is_comparable and abs(v) > sp.Float(10)**-30:
        return False
    z = e.equals(0)
    return None if z is None else bool(z)


def _closed_sign(e: sp.Expr, strict: bool) -> bool | None:
    if e.is_Rational:
        return bool(e > 0) if strict else bool(e >= 0)
    r = e.is_positive if strict else e.is_nonnegative
    if r is not None:
        return r
    z = _closed_zero(e)
    if z is True:
        return not strict
    v = sp.N(e, 50)
    if v.is_real and z is False:
        return bool(v > 0)
    return None


def _refute(e: sp.Expr, closed_test, domain) -> tuple:
    for pt in sample_points(e.free_symbols, domain):
        try:
            if closed_test(e.xreplace(pt)) is False:
                return tuple(sorted(pt.items(), key=lambda kv: str(kv[0])))
        except (TypeError, ValueError, ZeroDivisionError):  # pragma: no cover - value outside the function's domain
            continue
    return ()


def _with_domain(e: sp.Expr, domain, prove, closed_test) -> Decision:
    """Prove over the re-parametrised domain (plus closed endpoints); else try to refute at sample points."""
    subs, ends = reparametrise(e.free_symbols, domain)
    verdict = prove(e.xreplace(subs) if subs else e)
    if verdict is True and ends:
        rest = {k: v for k, v in (domain or {}).items()}
        for x, end in ends:
            sub = e.xreplace({x: end})
            rest.pop(x, None)
            d = _with_domain(sub, rest, prove, closed_test) if sub.free_symbols else Decision(closed_test(sub))
            if d.value is not True:
                return d
    if verdict is True:
        return Decision(True, how="proved on the domain")
    witness = _refute(e, closed_test, domain)
    if witness:
        return Decision(False, witness, "refuted at a sample point of the domain")
    return Decision(False if verdict is False else None, how="assumptions" if verdict is False else "undecided")


def decide_zero(e, domain=None) -> Decision:
    """Exact test of ``e == 0`` for every admissible value of its symbols (see the module docstring)."""
    e = sp.sympify(e)
    if not e.free_symbols:
        return Decision(_closed_zero(e), how="closed form")

    def prove(x):
        if sp.cancel(sp.together(x)) == 0:
            return True
        s = sp.simplify(x)
        return True if s == 0 else (False if s.is_zero is False else None)

    return _with_domain(e, domain, prove, _closed_zero)


def decide_sign(e, *, strict: bool, domain=None) -> Decision:
    """Exact test of ``e > 0`` (strict) or ``e >= 0`` for every admissible value of its symbols."""
    e = sp.sympify(e)
    if not e.free_symbols:
        return Decision(_closed_sign(e, strict), how="closed form")

    def prove(x):
        cand = sp.factor(sp.simplify(x))
        r = cand.is_positive if strict else cand.is_nonnegative
        if r is None:
            r = (cand.is_nonpositive if strict else cand.is_negative)
            r = False if r else None
        return r

    return _with_domain(e, domain, prove, lambda v: _closed_sign(v, strict))


def is_zero(e, domain=None) -> bool | None:
    """``decide_zero(e, domain).value``: True / False, or None when SymPy cannot decide."""
    return decide_zero(e, domain).value


def sign_ok(e, *, strict: bool, domain=None) -> bool | None:
    """``decide_sign(e, strict=..., domain=...).value``: decide ``e > 0`` (strict) or ``e >= 0``."""
    return decide_sign(e, strict=strict, domain=domain).value
