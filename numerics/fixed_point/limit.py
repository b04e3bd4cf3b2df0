"""The AdamProxy limit (Thm 4.8 (d)) as one prediction: which solver, which precision, which proof.

* ``precision=None``: Algorithm 3 in float64 (stopping at |c^(k+1) - c^(k)|_1 < 1e-9; the direction is
  then accurate to ~1e-9, i.e. 1 - cos ~ 1e-18, enough for cosines), no refinement;
* N <= LARGE_N: Algorithm 3, then Newton in mpmath at ``precision`` digits (newton.py);
* N > LARGE_N: Newton on T(c) = c in float64 (robust.py), then the Krawczyk certificate's own
  ball-arithmetic polish to ``precision`` digits (the dense mpmath Newton takes minutes at N = 100).

``certify`` adds a Krawczyk certificate (certify.py); the large-N path always certifies, since its
high-precision digits are the certificate's.
"""

from __future__ import annotations

import mpmath
import numpy as np

from ..errors import ConvergenceError, SingularMetricError
from .levels import singular_coordinates
from .prediction import LARGE_N, AdamProxyLimit
from ..maxmargin import licq_holds, preconditioner_diag

__all__ = ["adam_proxy_limit"]


def _mahalanobis_margin(X: np.ndarray, direction: np.ndarray, c: np.ndarray) -> float:
    """min_i <u, x_i> / ||u||_{D(c)} (Def. 4.6's normalised margin)."""
    metric = preconditioner_diag(X, c)
    return float(np.min(X @ direction) / np.sqrt(direction @ (metric * direction)))


def _slack(X: np.ndarray, direction: np.ndarray, support) -> float:
    z = X @ direction
    rest = [i for i in range(len(z)) if i not in set(support)]
    return float(np.min(z[rest] / np.min(z) - 1)) if rest else float("inf")


def adam_proxy_limit(X: np.ndarray, *, precision: int | None = 50, certify: bool = False,
                     scale: float = 1.0) -> AdamProxyLimit:
    """The Thm 4.8 prediction for data X (module docstring); ``scale`` multiplies the reported margin.

    Raises SingularMetricError when D(c*) is singular: a coordinate that is 0 on every support vector but not on
    every sample.  Algorithm 3 can then still stop, on duals of ~1e-10 off the support that keep D(c) barely
    positive there, and return a direction whose entries on those coordinates are the solver's noise; Thm 4.8
    does not apply and numerics.fixed_point.degenerate gives the limit."""
    alg3 = _refuse_singular(X) if np.any(X == 0) else None
    if precision is None:
        out = _float64(X, certify, scale, alg3)
    elif X.shape[0] > LARGE_N:
        out = _large(X, precision, scale)
    else:
        out = _refined(X, precision, certify, scale, alg3)
    _refuse_if_singular(X, out.support)
    return out


def _refuse_if_singular(X, support) -> None:
    singular = singular_coordinates(X, support)
    if singular.size:
        raise SingularMetricError(f"D(c*) is singular at coordinates {singular[:10].tolist()}"
                                  f"{' ...' if singular.size > 10 else ''}: every support vector is 0 there "
                                  "(Thm 4.8 needs D(c*) > 0; the degenerate prediction applies)", singular)


def _refuse_singular(X):
    """Data with zeros: Algorithm 3 first (float64, on the columns that are not all zero: those are never fed), so
    that a support leaving D(c*) singular is refused before a refinement divides by D = 0.  Returns the
    Algorithm3Result for the paths below to reuse (None when X has an all-zero column: P(c) on X itself is
    then singular, and the paths below say so)."""
    from .iteration import algorithm3

    fed = np.any(X != 0, axis=0)
    try:
        a3 = algorithm3(X[:, fed])
    except SingularMetricError as exc:
        if exc.support is None:
            return None  # the first solve's own failure is reported by the path below, with its reason
        _refuse_if_singular(X, exc.support)
        raise SingularMetricError("D(c) turned singular along Algorithm 3 (every sample it weighs is 0 at some "
                                  "fed coordinate): Thm 4.8 needs D(c*) > 0; the degenerate prediction applies",
                                  exc.coordinates, exc.support) from None
    except ConvergenceError:
        return None  # Algorithm 3's own failure is reported by the path below, with its reason
    _refuse_if_singular(X, a3.support)
    return a3 if fed.all() else None


def _float64(X, certify, scale, a3=None) -> AdamProxyLimit:
    from .iteration import algorithm3

    a3 = algorithm3(X) if a3 is None else a3
    cert = _certificate(X, a3, 50) if certify else None
    return AdamProxyLimit(
        direction=np.asarray(a3.direction, float), c=np.asarray(a3.c, float), support=tuple(a3.support),
        margin=_mahalanobis_margin(X, a3.direction, a3.c) * scale, iterations=a3.iterations,
        kkt_residual=a3.solve.kkt.max(), algorithm3_residual=a3.residual,
        min_multiplier=float(np.min(a3.c[list(a3.support)]) / np.max(a3.c)),
        min_slack=_slack(X, a3.direction, a3.support), licq=licq_holds(X[list(a3.support)]), refined=False,
        precision=None, method="algorithm 3 (float64)", certificate=cert, solution=a3)


def _refined(X, dps, certify, scale, alg3=None) -> AdamProxyLimit:
    from .newton import adam_proxy_fixed_point

    fp = adam_proxy_fixed_point(X, dps=dps, alg3=alg3)
    digits = {"direction": _strings(fp.direction, dps), "c": _strings(fp.c, dps)}
    cert = _certificate(X, fp, dps) if certify else None
    if cert is not None and cert.proved:
        digits = {"direction": list(cert.centre["direction"]), "c": list(cert.centre["c"])}
    d_fp, c_fp = fp.direction_float, fp.c_float
    return AdamProxyLimit(
        direction=d_fp, c=c_fp, support=tuple(fp.support), margin=_mahalanobis_margin(X, d_fp, c_fp) * scale,
        iterations=fp.iterations, kkt_residual=float(fp.residual), algorithm3_residual=fp.algorithm3.residual,
        min_multiplier=float(fp.min_multiplier), min_slack=float(fp.min_slack), licq=fp.licq, refined=fp.refined,
        precision=dps, method=f"algorithm 3 + Newton at {dps} digits", notes=tuple(fp.notes), digits=digits,
        certificate=cert, solution=fp)


def _large(X, dps, scale) -> AdamProxyLimit:
    from .robust import newton_fixed_point

    sol = newton_fixed_point(X)
    cert = _certificate(X, sol, dps)
    if cert.proved:
        digits = {"direction": list(cert.centre["direction"]), "c": list(cert.centre["c"])}
        d_vec = np.array([float(v) for v in digits["direction"]])
        c_vec = np.array([float(v) for v in digits["c"]])
    else:
        digits, d_vec, c_vec = {}, np.asarray(sol.direction, float), np.asarray(sol.c, float)
    S = list(sol.support)
    return AdamProxyLimit(
        direction=d_vec, c=c_vec, support=tuple(S), margin=_mahalanobis_margin(X, d_vec, c_vec) * scale,
        iterations=sol.iterations, kkt_residual=sol.residual, algorithm3_residual=None,
        min_multiplier=float(np.min(c_vec[S]) / np.max(c_vec)), min_slack=_slack(X, d_vec, S),
        # a certificate that did not prove LICQ has not disproved it: then the float64 judgement, as for N <= LARGE_N
        licq=cert.checks["licq"].passed if cert.proved and "licq" in cert.checks else licq_holds(X[S]),
        refined=cert.proved,
        precision=dps, method=f"Newton on T(c) = c ({sol.method}) + certificate polish at {dps} digits",
        notes=(f"N > {LARGE_N}: Newton on T(c) = c and a Krawczyk certificate instead of the dense mpmath "
               "refinement",) + tuple(cert.notes), digits=digits, certificate=cert, solution=sol)


def _certificate(X, fp, dps):
    from .certify import certify_fixed_point

    return certify_fixed_point(X, fp, dps=dps)


def _strings(values, dps: int) -> list[str]:
    return [mpmath.nstr(v, dps, min_fixed=-np.inf, max_fixed=np.inf) for v in values]
