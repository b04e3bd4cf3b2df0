"""The result of the Thm 4.8 certificate (docs/math.md §13.3): what was proved, the boxes, and every check.

:func:`numerics.fixed_point.certify.certify_fixed_point` returns a :class:`Certificate`; its ``checks`` are
:class:`Check` objects, one rigorous inequality each.  Also the small exact helpers the proof's modules share
(decimal strings rounded down, floats rounded up, exact conversion of float/mpf/str to balls).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import flint
import mpmath
import numpy as np

__all__ = ["Certificate", "Check", "CLAIM", "METHOD", "failed", "floor_str", "up", "exact"]

METHOD = "Krawczyk (python-flint arb)"
CLAIM = ("F_S has exactly one zero lambda in box.lambda; at c = lambda/sum(lambda) (in box.c) the pair (w, lambda) "
         "is the KKT point of P(c) with lambda > 0 on S, <x_j, w> > 1 off S, D(c) > 0 and LICQ, so T(c) = c and "
         "w*(c)/||w*(c)|| lies in box.direction; X's float64 entries are taken as exact binary numbers")


@dataclass(frozen=True)
class Check:
    """One rigorous inequality q > 0: ``margin`` is a proven lower bound of q (decimal, rounded down) or None."""

    passed: bool
    margin: str | None
    detail: str

    def as_dict(self) -> dict:
        return {"passed": self.passed, "margin": self.margin, "detail": self.detail}


@dataclass(frozen=True)
class Certificate:
    """Outcome of :func:`certify_fixed_point`; ``proved`` is True only if every check passed.

    ``box[name]`` (name in "lambda", "c", "direction") are Arb decimal balls "[m +/- r]"
    that contain the true values; ``centre[name]`` their midpoints at ``dps`` digits;
    ``radius`` the largest half-width of the direction's balls (inf without a box).
    ``balls`` keeps the flint.arb enclosures for further rigorous computation; ``hints`` what an
    independent checker needs to redo the proof (centre and half-width as integers times 2^e and the
    preconditioner Y; written by :mod:`numerics.certificates`).
    """

    method: str
    proved: bool
    radius: float
    support: tuple[int, ...]
    box: Mapping[str, tuple[str, ...]]
    centre: Mapping[str, tuple[str, ...]]
    checks: Mapping[str, Check]
    notes: tuple[str, ...]
    dps: int
    prec: int
    balls: Mapping[str, tuple] = field(repr=False, default_factory=dict)
    hints: Mapping[str, tuple] = field(repr=False, default_factory=dict)

    def encloses(self, name: str, values, tol: float = 0.0) -> bool:
        """Every ball of ``box[name]`` contains values[k] (tol = 0) or meets [values[k] - tol, values[k] + tol]."""
        balls = self.balls.get(name)
        if not balls or len(balls) != len(values):
            return False
        with flint.ctx.workprec(self.prec):
            pts = [exact(v) for v in values]
            if tol == 0:
                return all(b.contains(p) for b, p in zip(balls, pts))
            return all(b.overlaps(flint.arb(p, tol)) for b, p in zip(balls, pts))

    def as_dict(self) -> dict:
        """JSON-ready (strings, floats, bools, lists; an infinite radius becomes None)."""
        return {"method": self.method, "proved": self.proved,
                "radius": self.radius if math.isfinite(self.radius) else None,
                "support": list(self.support), "dps": self.dps, "prec_bits": self.prec,
                "claim": CLAIM if self.proved else None,
                "box": {k: list(v) for k, v in self.box.items()},
                "centre": {k: list(v) for k, v in self.centre.items()},
                "checks": {k: v.as_dict() for k, v in self.checks.items()}, "notes": list(self.notes)}


def failed(dps, prec, S, *notes, checks=None) -> Certificate:
    """A certificate that proves nothing, with the reasons."""
    return Certificate(method=METHOD, proved=False, radius=math.inf, support=tuple(S), box={}, centre={},
                       checks=dict(checks or {}), notes=tuple(notes), dps=dps, prec=prec)


def floor_str(x, digits: int = 6) -> str:
    """A decimal string <= the lower end of ball x (``digits`` significant digits, rounded down)."""
    man, exp = x.lower().man_exp()
    q = Fraction(int(man)) * Fraction(2) ** int(exp)
    if q == 0:
        return "0"
    e10 = math.floor(math.log10(abs(q.numerator)) - math.log10(q.denominator))
    k = digits - 1 - e10
    n = math.floor(q * Fraction(10) ** k)  # q >= n 10^-k
    sign, t = ("-" if n < 0 else ""), str(abs(n))
    return f"{sign}{t[0]}.{t[1:]}e{len(t) - 1 - k}"


def up(rad) -> float:
    """A float >= the ball (or radius) ``rad``."""
    f = float(rad)
    return f if flint.arb(f) >= rad else float(np.nextafter(f, np.inf))


def exact(v):
    """float, mpmath.mpf, str or arb -> arb (mpf via its exact sign, mantissa and exponent)."""
    if isinstance(v, flint.arb):
        return v
    if isinstance(v, mpmath.mpf):
        sign, man, exp, _ = v._mpf_
        if man == 0 and exp != 0:
            raise ValueError(f"cannot certify with a non-finite value {v}")
        return flint.arb((-int(man) if sign else int(man), int(exp)))
    return flint.arb(v)
