"""A computer-assisted proof of the Thm 4.8 fixed point: Krawczyk's test in ball arithmetic (python-flint arb).

On a support set S (m = |S| rows A = X_S) the fixed point solves the square system of
:mod:`numerics.fixed_point.newton`

    F(lambda) = s A D(lambda)^{-1} A^T lambda - 1 = 0,  s = sum(lambda),  D(lambda)_k = sqrt(sum_j lambda_j^2 A_jk^2).

Krawczyk (1969): for a box L around lambda~, a point matrix Y and an interval matrix
J(L) enclosing the Jacobian of F on L, if

    K(L) = lambda~ - Y F(lambda~) + (I - Y J(L)) (L - lambda~)  lies in the interior of L,

then F has exactly one zero in L (and it lies in K(L)).  The theorem holds for any Y, so Y is
the float64 inverse of the Jacobian at lambda~ rounded to 31-bit integers (one power of two per row);
F(lambda~) is evaluated at the working precision from exact big-integer products, and J(L) is
enclosed as an exact integer matrix plus a proved entrywise bound (:mod:`.krawczyk`; it only
multiplies L - lambda~, whose width is ~1e-50).  All of this is exact integer or Arb ball
arithmetic, so each ball contains the true value.
On the proved box we then check, again rigorously, the conditions that make the zero
a fixed point of T: multipliers > 0 on S, <x_j, w> - 1 > 0 off S, D > 0 (Assumption
2.2, needed for a unique w*(c)) and LICQ on S (Assumption 4.7, unique lambda*(c): the determinant of m columns of X_S is
nonzero modulo a prime, hence over the rationals).
Then (w, lambda) satisfies the KKT system of P(c) at c = lambda/s, so w = w*(c),
lambda = lambda*(c) and T(c) = c.  The float64 entries of X are taken as exact
binary numbers: the proof is about the data as stored, not about decimal input.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import flint
import mpmath
import numpy as np
import scipy.linalg

from ..errors import ToolkitError
from .iteration import algorithm3
from .krawczyk import ExactSupport, box_balls, deviation, dyadic_mids, jacobian_row_bounds, pm
from .robust import support_system

__all__ = ["Certificate", "Check", "certify_fixed_point", "CLAIM"]

LICQ_PRIME = 2**61 - 1  # a Mersenne prime: det != 0 mod p proves det != 0 (a prime dividing it is a 1-in-2^61 miss)
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
    independent checker needs to redo the proof (centre and half-width as integers times 2^e, the
    preconditioner Y, the LICQ column block and prime; written by :mod:`numerics.certificates`).
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
            pts = [_exact(v) for v in values]
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


def certify_fixed_point(X: np.ndarray, fp=None, *, dps: int = 50, support=None, multipliers=None,
                        newton_steps: int = 30, box_radius: float | None = None) -> Certificate:
    """Prove (or fail to prove) the Thm 4.8 fixed point of X in a box; see the module docstring.

    ``fp``: a FixedPointResult (:func:`adam_proxy_fixed_point`), an Algorithm3Result or any
    result with ``c`` and ``support`` (:mod:`.robust`); by default Algorithm 3 is run.  Its support
    and multipliers give lambda~, unless ``support`` / ``multipliers`` (on the support, in F's scale)
    override them.  lambda~ is polished by up to ``newton_steps`` mixed-precision Newton steps
    (residual at ceil(dps log2 10) + 32 bits, Jacobian in float64).  The box half-width starts
    at ~8 |Y F(lambda~)| and is inflated (x16, at most 8 times, never beyond 1e-6 relative);
    ``box_radius`` (relative to max lambda~) fixes it instead.  Never raises for a failed proof: failures are
    in ``proved``/``checks``/``notes``.
    """
    X = np.asarray(X, float)
    N, d = X.shape
    prec = math.ceil(dps * math.log2(10)) + 32
    try:
        S, lam0 = _start(X, fp, support, multipliers)
    except ToolkitError as exc:
        return _failed(dps, prec, tuple(support or ()), f"no fixed point to certify: {exc}")
    with flint.ctx.workprec(prec):
        return _certify(X, S, lam0, dps, prec, newton_steps, box_radius)


def _start(X, fp, support, multipliers):
    """Support S and lambda~ on S (F's scale) from fp, overridden by ``support`` / ``multipliers``."""
    if fp is None and (support is None or multipliers is None):
        fp = algorithm3(X)
    full: dict = {}
    if hasattr(fp, "multipliers"):  # FixedPointResult: 50-digit multipliers on its support
        full = dict(zip(fp.support, fp.multipliers))
    elif hasattr(fp, "solve"):  # Algorithm3Result: lambda*(c) of P(c) is already in F's scale
        full = {i: float(v) for i, v in enumerate(fp.solve.dual)}
    elif fp is not None:  # anything with c and support (e.g. robust.FixedPointSolution): lambda = t c, fit t
        Sf = list(fp.support)
        F, _ = support_system(X[Sf], np.asarray(fp.c, float)[Sf])
        full = {i: float(fp.c[i]) / float(np.mean(F + 1.0)) for i in Sf}  # F(t c) + 1 = t (F(c) + 1)
    S = sorted(int(i) for i in (support if support is not None else fp.support))
    lam = list(multipliers) if multipliers is not None else [full.get(i, 0.0) for i in S]
    if len(lam) != len(S) or not S:
        raise ToolkitError(f"need one multiplier per support index, got {len(lam)} for support {S}")
    return S, lam


def _certify(X, S, lam0, dps, prec, newton_steps, box_radius) -> Certificate:
    """The proof in named phases: polish the centre, find a Krawczyk box, then signs, slacks and LICQ on it."""
    system = ExactSupport(X[S])
    L, e, Yf = _polish(system, X[S], lam0, newton_steps)
    checks: dict[str, Check] = {}
    Yi, ey = _preconditioner(Yf)
    found = None if Yi is None else _krawczyk_box(system, L, e, Yi, ey, box_radius)
    cols = _licq_columns(system)
    checks["licq"] = _licq(system, cols)
    if found is None:
        checks["krawczyk"] = Check(False, None, "K(L) not inside L for any tried box")
        notes = ["Krawczyk inclusion fails: no zero of F_S was proved near lambda~ "
                 "(lambda~ far from a zero, wrong support, or a singular Jacobian)"]
        notes += [f"check licq fails: {checks['licq'].detail}"] if not checks["licq"].passed else []
        return _failed(dps, prec, tuple(S), *notes, checks=checks)
    R, r, margin, (lamL, sL, gL, DL) = found
    checks = {"krawczyk": Check(True, _floor_str(margin), f"K(L) inside L, half-width {float(r.upper()):.3g}: "
                                                          "unique zero of F_S in L"), **_box_checks(X, S, lamL, sL, gL, DL),
              "licq": checks["licq"]}
    w = [sL * gk / dk for gk, dk in zip(gL, DL)]
    nrm = sum((v * v for v in w), flint.arb(0)).sqrt()
    c = [flint.arb(0)] * X.shape[0]
    for i, v in zip(S, lamL):
        c[i] = v / sL
    balls = {"lambda": tuple(lamL), "c": tuple(c), "direction": tuple(v / nrm for v in w), "w": tuple(w)}
    show = ("lambda", "c", "direction")
    return Certificate(
        method=METHOD, proved=all(ck.passed for ck in checks.values()),
        radius=max(_up(b.rad()) for b in balls["direction"]), support=tuple(S),
        box={k: tuple(b.str(math.ceil(prec * math.log10(2)), more=True) for b in balls[k]) for k in show},
        centre={k: tuple(b.mid().str(dps, radius=False, more=True) for b in balls[k]) for k in show},
        checks=checks, notes=tuple(f"check {n} fails: {ck.detail}" for n, ck in checks.items() if not ck.passed),
        dps=dps, prec=prec, balls=balls,
        hints={"lambda": (L, e), "radius": (R, e), "Y": (Yi, ey), "licq": (cols, LICQ_PRIME)})


def _polish(system: ExactSupport, XS, lam0, steps):
    """Mixed-precision Newton (not part of the proof): F at the working precision, Jacobian and its inverse
    in float64; each step gains ~ -log10(eps cond(J)) digits.  Returns (L, e, Y) with lambda~ = L 2^e."""
    prec = flint.ctx.prec
    L, e = dyadic_mids([_exact(v) for v in lam0], prec)
    Y = None
    for k in range(steps + 1):
        F = system.F(L, e)
        lf = np.array([float(flint.arb((v, e))) for v in L])
        Y = _inverse(support_system(XS, lf)[1]) if all(f.is_finite() for f in F) else None
        step = None if Y is None else Y @ np.array([float(f.mid()) for f in F])
        if step is None or k == steps or np.abs(step).max() <= 2.0 ** (8 - prec) * np.abs(lf).max():
            break
        L, e = dyadic_mids([flint.arb((v, e)) - flint.arb(float(t)) for v, t in zip(L, step)], prec)
    return L, e, Y


def _preconditioner(Y):
    """Y as 31-bit integers with one power of two per row (Krawczyk holds for any Y; this one is exact)."""
    if Y is None:
        return None, None
    ey = np.frexp(np.abs(Y).max(axis=1))[1] - 30
    Yi = np.rint(Y * np.exp2(-ey)[:, None]).astype(np.int32)  # power-of-two scaling and rint are exact
    return Yi, ey.astype(int).tolist()


def _krawczyk_box(system, L, e, Yi, ey, box_radius):
    """(R, r, margin, box balls) for the first box L 2^e +- R 2^e with |Y F| + rho r < r, or None.

    Half-width: ~8 |Y F(lambda~)|, inflated x16 at most 8 times and never beyond 1e-6 relative, or the fixed
    ``box_radius`` (relative to max lambda~)."""
    F = system.F(L, e)
    Fi, eF = dyadic_mids(F, flint.ctx.prec)
    radF = deviation(F, Fi, eF)
    H = (flint.fmpz_mat(Yi.tolist()) * flint.fmpz_mat(len(Fi), 1, Fi)).entries()
    yabs = np.abs(Yi.astype(np.int64)).sum(axis=1).tolist()
    z = [flint.arb((h, a + eF)) + pm(flint.arb((ya, a)) * radF) for h, a, ya in zip(H, ey, yabs)]
    scale = flint.arb((max(abs(v) for v in L), e))
    if box_radius is not None:
        r = scale * flint.arb(box_radius)
    else:
        r = max(8 * max(v.abs_upper() for v in z), scale * flint.arb((1, 40 - flint.ctx.prec)))
    for _ in range(1 if box_radius is not None else 9):
        R = _ceil(r, e)
        rb = flint.arb((R, e))
        rho = jacobian_row_bounds(system, L, R, e, Yi, ey)
        if rho is not None:
            reach = [abs(zi) + ri * rb for zi, ri in zip(z, rho)]  # K(L) lies within lambda~ +- reach
            if all(v < rb for v in reach):
                tight = _ceil(max(v.upper() for v in reach), e)  # the zero lies in K(L) and L: report the smaller
                lamL, sL, gL, _, DL, _ = box_balls(system, L, tight, e)
                return R, rb, functools.reduce(flint.arb.min, [rb - v for v in reach]), (lamL, sL, gL, DL)
        r = r * 16
        if not r < scale * flint.arb("1e-6"):
            break
    return None


def _ceil(x, e) -> int:
    """The least integer R with R 2^e >= x (x > 0)."""
    man, ex = (int(v) for v in (x * flint.arb((1, -e))).upper().man_exp())
    return man << ex if ex >= 0 else -((-man) >> -ex)


def _box_checks(X, S, lamL, sL, gL, DL) -> dict:
    """Signs and slacks on the proved box, rigorously: lambda > 0, D > 0, <x_j, w> > 1 off S."""
    out = {"multipliers_positive": _positive([v / functools.reduce(flint.arb.max, lamL) for v in lamL],
                                             "min_{i in S} lambda_i / max lambda > 0"),
           "preconditioner_positive": _positive(DL, "min_k D(lambda)_k > 0 (Assumption 2.2 on the support)")}
    rest = [j for j in range(X.shape[0]) if j not in set(S)]
    if not rest:
        out["nonsupport_slack_positive"] = Check(True, None, "every constraint is in the support")
        return out
    w = [sL * gk / dk for gk, dk in zip(gL, DL)]
    other = ExactSupport(X[rest])
    wi, ew = dyadic_mids(w, flint.ctx.prec)
    radw = deviation(w, wi, ew)
    z = (other.M * flint.fmpz_mat(len(wi), 1, wi)).entries()
    out["nonsupport_slack_positive"] = _positive(
        [flint.arb((v, ew - other.E)) - 1 + pm(flint.arb((ra, -other.E)) * radw) for v, ra in zip(z, other.rowabs)],
        "min_{j not in S} <x_j, w> - 1 > 0")
    return out


def _licq_columns(system: ExactSupport) -> list[int] | None:
    """m columns of A whose square block is best conditioned (QR with column pivoting), or None if m > d."""
    if system.m > system.d:
        return None
    A = np.array([[float(v) for v in r] for r in system.rows])  # only a choice; the determinant is exact
    return sorted(int(k) for k in scipy.linalg.qr(A, mode="r", pivoting=True)[1][:system.m])


def _licq(system: ExactSupport, cols) -> Check:
    """LICQ (Assumption 4.7): det of an m x m column block of A is nonzero modulo a prime, hence over Q."""
    m, d = system.m, system.d
    if cols is None:
        return Check(False, None, f"{m} support vectors in R^{d} cannot be linearly independent (LICQ)")
    det = flint.nmod_mat(m, m, [system.rows[i][k] % LICQ_PRIME for i in range(m) for k in cols], LICQ_PRIME).det()
    if int(det) == 0:
        return Check(False, None, f"not proved: det of the chosen {m} x {m} block of X_S is 0 mod {LICQ_PRIME}")
    return Check(True, None, f"det X_S[:, C] != 0 mod {LICQ_PRIME}: the support vectors are linearly independent "
                             "(LICQ, Assumption 4.7)")


def _inverse(J: np.ndarray):
    """Float64 inverse of the Jacobian (Krawczyk's preconditioner Y), or None if it is numerically singular."""
    if not np.all(np.isfinite(J)):
        return None
    try:
        Y = np.linalg.inv(J)
    except np.linalg.LinAlgError:
        return None
    cond = np.linalg.norm(J, 1) * np.linalg.norm(Y, 1)  # 1-norm condition number, without an SVD
    return Y if np.isfinite(cond) and cond < 1e14 else None


def _positive(vals, what: str) -> Check:
    lo = functools.reduce(flint.arb.min, vals) if vals else None
    ok = bool(vals) and all(v > 0 for v in vals)  # arb '>' is True only when proved for every point of the ball
    return Check(ok, _floor_str(lo) if lo is not None and lo.is_finite() else None,
                 what if ok else f"not proved: {what}")


def _floor_str(x, digits: int = 6) -> str:
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


def _up(rad) -> float:
    f = float(rad)
    return f if flint.arb(f) >= rad else float(np.nextafter(f, np.inf))


def _exact(v):
    """float, mpmath.mpf, str or arb -> arb (mpf via its exact sign, mantissa and exponent)."""
    if isinstance(v, flint.arb):
        return v
    if isinstance(v, mpmath.mpf):
        sign, man, exp, _ = v._mpf_
        if man == 0 and exp != 0:
            raise ValueError(f"cannot certify with a non-finite value {v}")
        return flint.arb((-int(man) if sign else int(man), int(exp)))
    return flint.arb(v)


def _failed(dps, prec, S, *notes, checks=None) -> Certificate:
    return Certificate(method=METHOD, proved=False, radius=math.inf, support=tuple(S), box={}, centre={},
                       checks=dict(checks or {}), notes=tuple(notes), dps=dps, prec=prec)
