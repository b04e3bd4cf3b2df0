"""A computer-assisted proof of the Thm 4.8 fixed point: Krawczyk's test in ball arithmetic (python-flint arb).

On a support set S (m = |S| rows A = X_S) the fixed point solves the square system of
:mod:`numerics.fixed_point.newton`

    F(lambda) = s A D(lambda)^{-1} A^T lambda - 1 = 0,  s = sum(lambda),  D(lambda)_k = sqrt(sum_j lambda_j^2 A_jk^2).

Krawczyk (1969): for a box L around lambda~, a point matrix Y and an interval matrix
J(L) enclosing the Jacobian of F on L, if

    K(L) = lambda~ - Y F(lambda~) + (I - Y J(L)) (L - lambda~)  lies in the interior of L,

then F has exactly one zero in L (and it lies in K(L)).  The theorem holds for any Y, so Y is
the float64 inverse of the Jacobian at lambda~; F(lambda~) is evaluated at the working precision,
J(L) and I - Y J(L) at 128 bits (they only multiply L - lambda~, whose width is ~1e-50).  All
of this is Arb ball arithmetic, so each ball contains the true value.
On the proved box we then check, again rigorously, the conditions that make the zero
a fixed point of T: multipliers > 0 on S, <x_j, w> - 1 > 0 off S, D > 0 (Assumption
2.2, needed for a unique w*(c)) and LICQ on S (Assumption 4.7, unique lambda*(c)).
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

from ..errors import ToolkitError
from .iteration import algorithm3
from .robust import support_system

__all__ = ["Certificate", "Check", "certify_fixed_point", "CLAIM"]

JPREC = 128  # bits for the interval Jacobian and the Gram determinant (see _certify)
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
    ``balls`` keeps the flint.arb enclosures for further rigorous computation.
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
    N, d = X.shape
    m, XS = len(S), X[S]
    sys = _System(XS)
    lam = [_exact(v).mid() for v in lam0]
    notes: list[str] = []
    checks: dict[str, Check] = {}
    for k in range(newton_steps + 1):  # mixed-precision Newton polish (not part of the proof): F at prec bits,
        F = sys.F(lam)  # Jacobian and Y = J^{-1} in float64; each step gains ~ -log10(eps * cond(J)) digits
        lf = np.array([float(v) for v in lam])
        Y = _inverse(support_system(XS, lf)[1]) if all(f.is_finite() for f in F) else None
        step = None if Y is None else Y @ np.array([float(f.mid()) for f in F])
        if step is None or k == newton_steps or np.abs(step).max() <= 2.0 ** (8 - prec) * np.abs(lf).max():
            break
        lam = [(v - flint.arb(float(t))).mid() for v, t in zip(lam, step)]
    box = None
    if Y is not None:
        Ya = flint.arb_mat(m, m, Y.ravel().tolist())  # a point matrix: its float64 entries are exact
        YF = (Ya * flint.arb_mat(m, 1, F)).entries()
        scale = max(abs(float(v)) for v in lam)
        fixed = box_radius is not None
        r = scale * box_radius if fixed else max(8 * max(float(v.abs_upper()) for v in YF), 2.0 ** (40 - prec) * scale)
        for _ in range(1 if fixed else 9):
            Lam = [flint.arb(v, r) for v in lam]
            with flint.ctx.workprec(JPREC):  # (I - Y J(L)) multiplies L - lambda~ = [-r, r]: a few digits suffice
                spread = ((_eye(m) - Ya * sys.J(Lam)) * flint.arb_mat(m, 1, [flint.arb(0, r)] * m)).entries()
            K = [v - yf + e for v, yf, e in zip(lam, YF, spread)]
            if all(L.contains_interior(k) for L, k in zip(Lam, K)):
                box = [L.intersection(k) for L, k in zip(Lam, K)]
                worst = functools.reduce(flint.arb.max, [(k - v).abs_upper() for k, v in zip(K, lam)])
                checks["krawczyk"] = Check(True, _floor_str(flint.arb(r) - worst),
                                           f"K(L) inside L, half-width {r:.3g}: unique zero of F_S in L")
                break
            r *= 16
            if r > 1e-6 * scale:
                break
    if box is None:
        checks["krawczyk"] = Check(False, None, "K(L) not inside L for any tried box")
        notes.append("Krawczyk inclusion fails: no zero of F_S was proved near lambda~ "
                     "(lambda~ far from a zero, wrong support, or a singular Jacobian)")
        checks["licq"] = _licq(sys.Am, m, d)
        if not checks["licq"].passed:
            notes.append(f"check licq fails: {checks['licq'].detail}")
        return _failed(dps, prec, tuple(S), *notes, checks=checks)
    s, D, g, _, _, _ = sys.parts(box)
    checks["multipliers_positive"] = _positive([v / functools.reduce(flint.arb.max, box) for v in box],
                                               "min_{i in S} lambda_i / max lambda > 0")
    checks["preconditioner_positive"] = _positive(D, "min_k D(lambda)_k > 0 (Assumption 2.2 on the support)")
    w = [s * gk / Dk for gk, Dk in zip(g, D)]
    rest = [j for j in range(N) if j not in S]
    if rest:
        z = (flint.arb_mat(len(rest), d, X[rest].ravel().tolist()) * flint.arb_mat(d, 1, w)).entries()
        checks["nonsupport_slack_positive"] = _positive([v - 1 for v in z], "min_{j not in S} <x_j, w> - 1 > 0")
    else:
        checks["nonsupport_slack_positive"] = Check(True, None, "every constraint is in the support")
    checks["licq"] = _licq(sys.Am, m, d)
    notes += [f"check {name} fails: {ck.detail}" for name, ck in checks.items() if not ck.passed]
    nrm = sum((v * v for v in w), flint.arb(0)).sqrt()
    c = [flint.arb(0)] * N
    for i, v in zip(S, box):
        c[i] = v / s
    balls = {"lambda": tuple(box), "c": tuple(c), "direction": tuple(v / nrm for v in w), "w": tuple(w)}
    show = ("lambda", "c", "direction")
    return Certificate(
        method=METHOD, proved=all(ck.passed for ck in checks.values()),
        radius=max(_up(b.rad()) for b in balls["direction"]), support=tuple(S),
        box={k: tuple(b.str(math.ceil(prec * math.log10(2)), more=True) for b in balls[k]) for k in show},
        centre={k: tuple(b.mid().str(dps, radius=False, more=True) for b in balls[k]) for k in show},
        checks=checks, notes=tuple(notes), dps=dps, prec=prec, balls=balls)


class _System:
    """F_S and its Jacobian in ball arithmetic; A = X_S is exact (float64 entries as binary numbers).

    J_il = base_i + s sum_k A_ik A_lk / D_k - s lambda_l sum_k A_ik A_lk^2 g_k / D_k^3, base = A (g/D), g = A^T lambda
    (the Jacobian of :func:`numerics.fixed_point.newton.kkt_function`, in matrix form).
    """

    def __init__(self, XS: np.ndarray):
        self.m, self.d = XS.shape
        self.rows = [[flint.arb(v) for v in row] for row in XS.tolist()]
        self.Am = flint.arb_mat(self.m, self.d, [v for row in self.rows for v in row])
        self.At = self.Am.transpose()
        self.A2t = flint.arb_mat(self.m, self.d, [v * v for row in self.rows for v in row]).transpose()

    def parts(self, lam):
        m, d = self.m, self.d
        D = [v.sqrt() for v in (self.A2t * flint.arb_mat(m, 1, [v * v for v in lam])).entries()]
        g = (self.At * flint.arb_mat(m, 1, lam)).entries()
        invD = [1 / v for v in D]
        u = [gk * ik for gk, ik in zip(g, invD)]
        base = (self.Am * flint.arb_mat(d, 1, u)).entries()
        return sum(lam[1:], lam[0]), D, g, invD, u, base

    def F(self, lam) -> list:
        s, _, _, _, _, base = self.parts(lam)
        return [s * b - 1 for b in base]

    def J(self, lam) -> "flint.arb_mat":
        m, d = self.m, self.d
        s, _, _, invD, u, base = self.parts(lam)
        q = [uk * ik * ik for uk, ik in zip(u, invD)]  # g / D^3
        M1 = (flint.arb_mat(m, d, [a * v for row in self.rows for a, v in zip(row, invD)]) * self.At).entries()
        M2 = (flint.arb_mat(m, d, [a * v for row in self.rows for a, v in zip(row, q)]) * self.A2t).entries()
        return flint.arb_mat(m, m, [base[i] + s * (M1[i * m + l] - M2[i * m + l] * lam[l])
                                    for i in range(m) for l in range(m)])


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


def _licq(Am, m, d) -> Check:
    """LICQ: det of the Gram matrix of the normalised support vectors > 0 (a volume in (0, 1])."""
    if m > d:
        return Check(False, None, f"{m} support vectors in R^{d} cannot be linearly independent (LICQ)")
    with flint.ctx.workprec(JPREC):
        G = Am * Am.transpose()
        inv = [1 / G[i, i].sqrt() for i in range(m)]
        det = flint.arb_mat(m, m, [G[i, j] * inv[i] * inv[j] for i in range(m) for j in range(m)]).det()
    return _positive([det], "det Gram(x_i / ||x_i||, i in S) > 0 (LICQ, Assumption 4.7)")


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


def _eye(m):
    return flint.arb_mat(m, m, [1 if i == j else 0 for i in range(m) for j in range(m)])


def _failed(dps, prec, S, *notes, checks=None) -> Certificate:
    return Certificate(method=METHOD, proved=False, radius=math.inf, support=tuple(S), box={}, centre={},
                       checks=dict(checks or {}), notes=tuple(notes), dps=dps, prec=prec)
