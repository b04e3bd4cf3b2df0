"""A computer-assisted proof of the Thm 4.8 fixed point: Krawczyk's test in ball arithmetic (python-flint arb).

On a support set S (m = |S| rows A = X_S) the fixed point solves the square system of
:mod:`numerics.fixed_point.newton`

    F(lambda) = s A D(lambda)^{-1} A^T lambda - 1 = 0,  s = sum(lambda),  D(lambda)_k = sqrt(sum_j lambda_j^2 A_jk^2).

Krawczyk (1969): for a box L around lambda~, a point matrix Y and an interval matrix
J(L) enclosing the Jacobian of F on L, if

    K(L) = lambda~ - Y F(lambda~) + (I - Y J(L)) (L - lambda~)  lies in the interior of L,

then F has exactly one zero in L (and it lies in K(L)).  The theorem holds for any Y, so Y is
the float64 inverse of the Jacobian at lambda~ rounded to 30-bit integers (one power of two per row);
F(lambda~) is evaluated at the working precision from exact integer products (:mod:`.sliced`), and the
rows of |I - Y J(L)| are bounded through a t-bit point matrix plus proved column-sum error bounds
(:mod:`.krawczyk`; they only multiply L - lambda~, whose width is ~1e-50); where that t-bit bound is too
coarse (columns of X many binades apart: raw wine) and the support is small, J(L) is enclosed directly as
a ball matrix instead (``Jacobian bound: enclosure`` in the krawczyk check, ``jacobian`` in the file).
The phases, in order: polish the centre (:func:`_polish`, not part of the proof), find the box (:mod:`.box`), then check
on it, rigorously, the conditions that make the zero a fixed point of T: multipliers > 0 on S,
<x_j, w> - 1 > 0 off S, D > 0 (Assumption 2.2, needed for a unique w*(c)) and LICQ on S
(Assumption 4.7, unique lambda*(c); implied by the nonsingular Jacobians of the Krawczyk test).
Then (w, lambda) satisfies the KKT system of P(c) at c = lambda/s, so w = w*(c),
lambda = lambda*(c) and T(c) = c.  The float64 entries of X are taken as exact
binary numbers: the proof is about the data as stored, not about decimal input.
"""

from __future__ import annotations

import math

import flint
import numpy as np

from ..errors import ToolkitError
from .box import box_checks, krawczyk_box, licq_check
from .certificate import CLAIM, METHOD, Certificate, Check, exact, failed, floor_str, up
from .iteration import algorithm3
from .krawczyk import ENCLOSURE_WORK, Y_BITS, ExactSupport, dyadic_mids, enclosure_row_bounds
from .robust import support_system

__all__ = ["Certificate", "Check", "certify_fixed_point", "CLAIM"]

# Y's condition number (1-norm estimate) above which the float64 inverse is not trusted as a preconditioner:
# the Krawczyk contraction needs |I - Y J| < 1, and cond * 2^-53 ~ 1e-2 is where that starts to fail.
MAX_COND = 1e14


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
    prec = math.ceil(dps * math.log2(10)) + 32
    try:
        S, lam0 = _start(X, fp, support, multipliers)
    except ToolkitError as exc:
        return failed(dps, prec, tuple(support or ()), f"no fixed point to certify: {exc}")
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
    try:
        system = ExactSupport(X[S])
    except ValueError as exc:
        return failed(dps, prec, tuple(S), f"not certified: {exc}")
    try:
        L, e, Yf, F = _polish(system, X[S], lam0, newton_steps)
        Yi, ey = _preconditioner(Yf)
        found, jacobian = None, "rounded"
        if Yi is not None:
            found = krawczyk_box(system, L, e, Yi, ey, box_radius, F=F)
            if found is None and system.m ** 2 * system.d <= ENCLOSURE_WORK:
                # the t-bit bound is too coarse (columns binades apart): the direct enclosure, for small supports
                found = krawczyk_box(system, L, e, Yi, ey, box_radius, F=F, bounds=enclosure_row_bounds)
                jacobian = "enclosure"
    except ValueError as exc:  # flint refuses non-finite balls: D(lambda)_k = 0 (a zero column of X_S) gives 0/0
        return failed(dps, prec, tuple(S), f"not certified: F_S is not finite near lambda~ ({exc}); a coordinate "
                                           "with D(lambda)_k = 0 violates Assumption 2.2 on the support")
    licq = licq_check(system.m, system.d, found is not None)
    if found is None:
        checks = {"krawczyk": Check(False, None, "K(L) not inside L for any tried box"), "licq": licq}
        notes = ["Krawczyk inclusion fails: no zero of F_S was proved near lambda~ "
                 "(lambda~ far from a zero, wrong support, or a singular Jacobian)"]
        notes += [f"check licq fails: {licq.detail}"] if system.m > system.d else []
        return failed(dps, prec, tuple(S), *notes, checks=checks)
    R, r, margin, (lamL, sL, gL, DL) = found
    checks = {"krawczyk": Check(True, floor_str(margin), f"K(L) inside L, half-width {float(r.upper()):.3g}: "
                                                         f"unique zero of F_S in L (Jacobian bound: {jacobian})"),
              **box_checks(X, S, lamL, sL, gL, DL), "licq": licq}
    w = [sL * gk / dk for gk, dk in zip(gL, DL)]
    nrm = sum((v * v for v in w), flint.arb(0)).sqrt()
    c = [flint.arb(0)] * X.shape[0]
    for i, v in zip(S, lamL):
        c[i] = v / sL
    balls = {"lambda": tuple(lamL), "c": tuple(c), "direction": tuple(v / nrm for v in w), "w": tuple(w)}
    show = ("lambda", "c", "direction")
    return Certificate(
        method=METHOD, proved=all(ck.passed for ck in checks.values()),
        radius=max(up(b.rad()) for b in balls["direction"]), support=tuple(S),
        box={k: tuple(b.str(math.ceil(prec * math.log10(2)), more=True) for b in balls[k]) for k in show},
        centre={k: tuple(b.mid().str(dps, radius=False, more=True) for b in balls[k]) for k in show},
        checks=checks, notes=tuple(f"check {n} fails: {ck.detail}" for n, ck in checks.items() if not ck.passed),
        dps=dps, prec=prec, balls=balls,
        hints={"lambda": (L, e), "radius": (R, e), "Y": (Yi, ey), "jacobian": (jacobian,)})


def _polish(system: ExactSupport, XS, lam0, steps):
    """Chord Newton in mixed precision (not part of the proof): F at the working precision, the float64 Jacobian
    at the start inverted once; each step gains ~ -log10(eps cond(J)) digits.  Returns (L, e, Y, F(L 2^e)) with
    lambda~ = L 2^e."""
    prec = flint.ctx.prec
    L, e = dyadic_mids([exact(v) for v in lam0], prec)
    lf = np.array([float(flint.arb((v, e))) for v in L])
    Y = _inverse(support_system(XS, lf)[1]) if np.all(np.isfinite(lf)) else None
    F, last = system.F(L, e), np.inf
    for _ in range(steps):
        if Y is None or not all(f.is_finite() for f in F):
            break
        step = Y @ np.array([float(f.mid()) for f in F])
        size = np.abs(step).max()
        if size <= 2.0 ** (8 - prec) * np.abs(lf).max():
            break
        if size > 1e-3 * last:  # the chord contracts too slowly (a poor start): refresh the Jacobian
            lf = np.array([float(flint.arb((v, e))) for v in L])
            Y = _inverse(support_system(XS, lf)[1])
            step = Y @ np.array([float(f.mid()) for f in F]) if Y is not None else step
        last = size
        L, e = dyadic_mids([flint.arb((v, e)) - flint.arb(float(t)) for v, t in zip(L, step)], prec)
        F = system.F(L, e)
    return L, e, Y, F


def _preconditioner(Y):
    """Y as Y_BITS-bit integers with one power of two per row (Krawczyk holds for any Y; this one is exact, and Y_BITS
    bits keep its rounding below the contraction up to cond(J) ~ 1e8)."""
    if Y is None:
        return None, None
    ey = np.frexp(np.abs(Y).max(axis=1))[1] - Y_BITS
    Yi = np.rint(Y * np.exp2(-ey)[:, None]).astype(np.int32)  # power-of-two scaling and rint are exact
    return Yi, ey.astype(int).tolist()


def _inverse(J: np.ndarray):
    """Float64 inverse of the Jacobian (Krawczyk's preconditioner Y), or None if it is numerically singular."""
    if not np.all(np.isfinite(J)):
        return None
    try:
        Y = np.linalg.inv(J)
    except np.linalg.LinAlgError:
        return None
    cond = np.linalg.norm(J, 1) * np.linalg.norm(Y, 1)  # 1-norm condition number, without an SVD
    return Y if np.isfinite(cond) and cond < MAX_COND else None
