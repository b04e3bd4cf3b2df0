"""The Krawczyk box of the Thm 4.8 certificate and the checks on it (docs/math.md §13.3).

:func:`krawczyk_box` looks for a half-width r with |Y F(l~)| + rho r < r in every row (rho from
:func:`numerics.fixed_point.krawczyk.jacobian_row_bounds`): then F_S has exactly one zero in the box and every
Jacobian in it is nonsingular.  :func:`box_checks` proves, on that box, what makes the zero a fixed point of
T: multipliers > 0, D > 0, <x_j, w> > 1 off the support and LICQ.  LICQ needs no computation of its own:
J = A (u 1^T + s du/dl) has rank at most rank(A), so a nonsingular Jacobian means the m support vectors are
linearly independent (Assumption 4.7).
"""

from __future__ import annotations

import functools

import flint
import numpy as np

from .certificate import Check, floor_str
from .krawczyk import box_balls, deviation, dyadic_mids, jacobian_row_bounds, pm
from .sliced import SlicedMatrix

__all__ = ["krawczyk_box", "box_checks", "licq_check", "ceil_int", "MAX_RELATIVE_BOX"]

INFLATE, TRIES = 16, 8  # box half-width x16 per failed try, at most 8 times
MAX_RELATIVE_BOX = "1e-6"  # never beyond 1e-6 relative: wider boxes say little and their Jacobian enclosure is loose
SAFETY = 8  # the first half-width is 8 |Y F(l~)|: the contraction rho is well below 1/2 when the test can pass


def ceil_int(x, e) -> int:
    """The least integer R with R 2^e >= x (x > 0)."""
    man, ex = (int(v) for v in (x * flint.arb((1, -e))).upper().man_exp())
    return man << ex if ex >= 0 else -((-man) >> -ex)


def krawczyk_box(system, L, e, Yi, ey, box_radius, F=None, bounds=jacobian_row_bounds):
    """(R, r, margin, box balls) for the first box L 2^e +- R 2^e with |Y F| + rho r < r, or None.

    Half-width: ~SAFETY |Y F(lambda~)|, inflated x INFLATE at most TRIES times and never beyond MAX_RELATIVE_BOX,
    or the fixed ``box_radius`` (relative to max lambda~).  ``F``: F(lambda~) if already evaluated.  ``bounds``:
    the rows of |I - Y J(L)| (:func:`.jacobian_row_bounds` or :func:`.enclosure_row_bounds`)."""
    F = system.F(L, e) if F is None else F
    Fi, eF = dyadic_mids(F, flint.ctx.prec)
    radF = deviation(F, Fi, eF)
    Y = np.asarray(Yi, np.int64)
    H = _exact_matvec(Y, Fi)  # Y_int F_int exactly (Python integers)
    yabs = np.abs(Y).sum(axis=1).tolist()
    z = [flint.arb((h, a + eF)) + pm(flint.arb((ya, a)) * radF) for h, a, ya in zip(H, ey, yabs)]
    scale = flint.arb((max(abs(v) for v in L), e))
    if box_radius is not None:
        r = scale * flint.arb(box_radius)
    else:
        r = max(SAFETY * max(v.abs_upper() for v in z), scale * flint.arb((1, 40 - flint.ctx.prec)))
    for _ in range(1 if box_radius is not None else TRIES + 1):
        R = ceil_int(r, e)
        rb = flint.arb((R, e))
        rho = bounds(system, L, R, e, Yi, ey)
        if rho is not None:
            reach = [abs(zi) + ri * rb for zi, ri in zip(z, rho)]  # K(L) lies within lambda~ +- reach
            if all(v < rb for v in reach):
                tight = ceil_int(max(v.upper() for v in reach), e)  # the zero lies in K(L) and L: report the smaller
                lamL, sL, gL, _, DL, _ = box_balls(system, L, tight, e)
                return R, rb, functools.reduce(flint.arb.min, [rb - v for v in reach]), (lamL, sL, gL, DL)
        r = r * INFLATE
        if not r < scale * flint.arb(MAX_RELATIVE_BOX):
            break
    return None


def _exact_matvec(Y: np.ndarray, v: list[int]) -> list[int]:
    """Y v for an integer matrix Y (|Y| < 2^31) and Python integers v, exactly (float64 slices, :mod:`.sliced`)."""
    sm = SlicedMatrix(np.asarray(Y, float))  # exact: 31-bit integers are float64 values
    E = sm.E  # Y = Y_E 2^-E with Y_E integral; E < 0 when every entry of Y is a multiple of 2^-E
    return [x >> E if E >= 0 else x << -E for x in sm.matvec(list(v))]  # Y_E v is a multiple of 2^E when E >= 0


def box_checks(X, S, lamL, sL, gL, DL) -> dict:
    """Signs and slacks on the proved box, rigorously: lambda > 0, D > 0, <x_j, w> > 1 off S."""
    out = {"multipliers_positive": positive([v / functools.reduce(flint.arb.max, lamL) for v in lamL],
                                            "min_{i in S} lambda_i / max lambda > 0"),
           "preconditioner_positive": positive(DL, "min_k D(lambda)_k > 0 (Assumption 2.2 on the support)")}
    rest = sorted(set(range(X.shape[0])) - set(S))
    if not rest:
        out["nonsupport_slack_positive"] = Check(True, None, "every constraint is in the support")
        return out
    w = [sL * gk / dk for gk, dk in zip(gL, DL)]
    other = SlicedMatrix(X[rest])
    if other.tail:
        out["nonsupport_slack_positive"] = Check(False, None, "not proved: entries of X span more than 320 binades")
        return out
    wi, ew = dyadic_mids(w, flint.ctx.prec)
    radw = deviation(w, wi, ew)
    E = other.E
    out["nonsupport_slack_positive"] = positive(
        [flint.arb((v, ew - E)) - 1 + pm(flint.arb((ra, -E)) * radw)
         for v, ra in zip(other.matvec(wi), other.row_abs())], "min_{j not in S} <x_j, w> - 1 > 0")
    return out


def licq_check(m: int, d: int, krawczyk_passed: bool) -> Check:
    """LICQ (Assumption 4.7) from the Krawczyk inclusion (module docstring)."""
    if m > d:
        return Check(False, None, f"{m} support vectors in R^{d} cannot be linearly independent (LICQ)")
    if not krawczyk_passed:
        return Check(False, None, "not proved: LICQ follows from the Krawczyk inclusion, which failed")
    return Check(True, None, "every Jacobian J = A (u 1^T + s du/dlambda) on the box is nonsingular (Krawczyk), "
                             "so rank X_S = |S|: the support vectors are linearly independent (LICQ, Assumption 4.7)")


def positive(vals, what: str) -> Check:
    lo = functools.reduce(flint.arb.min, vals) if vals else None
    ok = bool(vals) and all(v > 0 for v in vals)  # arb '>' is True only when proved for every point of the ball
    return Check(ok, floor_str(lo) if lo is not None and lo.is_finite() else None,
                 what if ok else f"not proved: {what}")
