"""High-precision fixed point of Theorem 4.8 by Newton's method on the support-restricted KKT system.

On a support set S the KKT system of P(c) (Def. 4.6) at a fixed point c = lambda/sum(lambda)
reads  D(c) w = X_S^T lambda,  X_S w = 1.  D(c) is diagonal and 1-homogeneous in c, so
w = s D(lambda)^{-1} X_S^T lambda with s = sum(lambda), and the fixed point solves the
|S| x |S| system

    F(lambda) = s * X_S D(lambda)^{-1} X_S^T lambda - 1 = 0,   D(lambda)_k = sqrt(sum_j lambda_j^2 x_jk^2).

Algorithm 3 (float64) supplies S and the starting point; Newton (mpmath.findroot,
'mdnewton', analytic Jacobian) refines to ``dps`` digits; then the result is checked:
multipliers strictly positive on S, non-support constraints strictly inactive, LICQ
(Assumption 4.7) on S.  A failed sign check moves the offending index in or out of S
and refines again (an active-set correction), at most N times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import numpy as np

from ..errors import ConvergenceError
from ..maxmargin import licq_holds
from .iteration import Algorithm3Result, algorithm3

__all__ = ["adam_proxy_fixed_point", "FixedPointResult", "kkt_function"]


@dataclass(frozen=True)
class FixedPointResult:
    """The fixed point c* of T (Thm 4.8) and the AdamProxy limit direction w*(c*)/||w*(c*)||.

    ``c``, ``w``, ``direction``, ``multipliers`` are tuples of mpmath.mpf at ``dps`` digits
    (``c`` and ``w`` have length N and d).  ``residual`` is max|F| at the solution;
    ``min_multiplier`` = min_{i in S} lambda_i / max lambda (> 0 proves S is the support),
    ``min_slack`` = min_{j not in S} (<w, x_j> - 1) (> 0: other constraints strictly
    inactive), ``licq``: the support vectors are linearly independent (Assumption 4.7).
    ``refined`` is False when the Newton refinement could not be made (then the
    values are Algorithm 3's float64 ones and ``notes`` say why).
    """

    c: tuple
    w: tuple
    direction: tuple
    support: tuple[int, ...]
    multipliers: tuple
    dps: int
    residual: object
    min_multiplier: object
    min_slack: object
    licq: bool
    refined: bool
    iterations: int
    newton_iterations: int
    algorithm3: Algorithm3Result = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def direction_float(self) -> np.ndarray:
        return np.array([float(v) for v in self.direction])

    @property
    def c_float(self) -> np.ndarray:
        return np.array([float(v) for v in self.c])


def kkt_function(XS: "mpmath.matrix"):
    """F and its Jacobian J for the support-restricted fixed-point system (module docstring)."""
    m, d = XS.rows, XS.cols

    def parts(lam):
        D = [mpmath.sqrt(mpmath.fsum(lam[j] ** 2 * XS[j, k] ** 2 for j in range(m))) for k in range(d)]
        g = [mpmath.fsum(XS[j, k] * lam[j] for j in range(m)) for k in range(d)]  # (X_S^T lambda)_k
        return D, g

    def F(*lam):
        D, g = parts(lam)
        s = mpmath.fsum(lam)
        return [s * mpmath.fsum(XS[i, k] * g[k] / D[k] for k in range(d)) - 1 for i in range(m)]

    def J(*lam):
        D, g = parts(lam)
        s = mpmath.fsum(lam)
        out = mpmath.matrix(m, m)
        for i in range(m):
            base = mpmath.fsum(XS[i, k] * g[k] / D[k] for k in range(d))  # d s / d lambda_l = 1
            for l in range(m):
                # d(g_k / D_k)/d lambda_l = x_lk / D_k - g_k lambda_l x_lk^2 / D_k^3
                out[i, l] = base + s * mpmath.fsum(
                    XS[i, k] * XS[l, k] / D[k] * (1 - g[k] * lam[l] * XS[l, k] / D[k] ** 2) for k in range(d))
        return out

    return F, J


def adam_proxy_fixed_point(X: np.ndarray, *, dps: int = 50, c0: np.ndarray | None = None,
                           alg3: Algorithm3Result | None = None, damping: float = 1.0) -> FixedPointResult:
    """Thm 4.8 fixed point refined to ``dps`` digits (default 50); see the module docstring.

    Raises ConvergenceError if Algorithm 3 does not converge or the active-set correction
    does not settle.  If LICQ fails on the support the refinement is skipped and the
    result says so (``refined=False``).
    """
    X = np.asarray(X, float)
    N, d = X.shape
    alg3 = alg3 or algorithm3(X, c0, damping=damping)
    S = list(alg3.support)
    notes: list[str] = []
    for attempt in range(N + 1):
        if not licq_holds(X[S]):
            notes.append(f"LICQ (Assumption 4.7) fails on support {S}: multipliers are not unique, no refinement")
            return _unrefined(X, alg3, S, dps, notes)
        with mpmath.workdps(dps + 10):  # guard digits for the solve, rounded to dps on output
            XS = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in X[S]])
            F, J = kkt_function(XS)
            lam0 = [mpmath.mpf(float(alg3.solve.dual[i])) for i in S]
            try:
                lam = mpmath.findroot(F, lam0, J=J, solver="mdnewton", tol=mpmath.mpf(10) ** (-2 * (dps + 5)),
                                      maxsteps=60)
            except (ZeroDivisionError, ValueError) as exc:
                # mpmath's message spans lines; ZeroDivisionError may have none
                reason = (str(exc).splitlines() or [type(exc).__name__])[0].split(" (")[0]
                raise ConvergenceError(f"Newton refinement of the Thm 4.8 fixed point failed on support {S}: {reason}")
            lam = [lam[i] for i in range(len(S))]
            residual = max(abs(v) for v in F(*lam))
            s = mpmath.fsum(lam)
            D = [mpmath.sqrt(mpmath.fsum(lam[j] ** 2 * XS[j, k] ** 2 for j in range(len(S)))) / s for k in range(d)]
            w = [mpmath.fsum(XS[j, k] * lam[j] for j in range(len(S))) / D[k] for k in range(d)]
            Xm = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in X])
            z = [mpmath.fsum(Xm[i, k] * w[k] for k in range(d)) for i in range(N)]
            lam_max = max(lam)
            min_mult = min(lam) / lam_max
            rest = [i for i in range(N) if i not in S]
            min_slack = min((z[i] - 1 for i in rest), default=mpmath.inf)
            tol = mpmath.mpf(10) ** (-(dps // 2))
            if residual > tol:
                raise ConvergenceError(f"Newton refinement did not converge (residual {mpmath.nstr(residual, 3)})")
            if min_mult <= 0:
                S = [i for i, v in zip(S, lam) if v > 0]
                notes.append(f"dropped non-positive multiplier(s); support now {S}")
                continue
            if min_slack <= 0:
                S = sorted(S + [i for i in rest if z[i] - 1 <= 0])
                notes.append(f"added violated constraint(s); support now {S}")
                continue
            nrm = mpmath.sqrt(mpmath.fsum(v**2 for v in w))
            c = [mpmath.mpf(0)] * N
            for i, v in zip(S, lam):
                c[i] = v / s
        with mpmath.workdps(dps):
            r = lambda seq: tuple(+v for v in seq)  # noqa: E731 -- round to dps
            return FixedPointResult(
                c=r(c), w=r(w), direction=r(v / nrm for v in w), support=tuple(S), multipliers=r(lam), dps=dps,
                residual=+residual, min_multiplier=+min_mult, min_slack=+min_slack, licq=True, refined=True,
                iterations=alg3.iterations, newton_iterations=attempt + 1, algorithm3=alg3, notes=tuple(notes))
    raise ConvergenceError(f"active-set correction of the fixed point did not settle after {N + 1} attempts")


def _unrefined(X, alg3: Algorithm3Result, S, dps, notes) -> FixedPointResult:
    mp = lambda a: tuple(mpmath.mpf(float(v)) for v in a)  # noqa: E731
    z = X @ alg3.w
    rest = [i for i in range(len(z)) if i not in S]
    return FixedPointResult(
        c=mp(alg3.c), w=mp(alg3.w), direction=mp(alg3.direction), support=tuple(S), multipliers=mp(alg3.solve.dual[S]),
        dps=dps, residual=mpmath.mpf(alg3.residual), min_multiplier=mpmath.mpf(min(alg3.solve.dual[S]) / max(alg3.solve.dual)),
        min_slack=mpmath.mpf(min((z[i] - 1 for i in rest), default=float("inf"))), licq=False, refined=False,
        iterations=alg3.iterations, newton_iterations=0, algorithm3=alg3, notes=tuple(notes))
