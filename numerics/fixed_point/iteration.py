"""Algorithm 3: the fixed-point iteration c <- T(c) = lambda*(c) / ||lambda*(c)||_1 of Theorem 4.8.

T maps the simplex to itself (Thm 4.8(b)); a fixed point c* exists (Brouwer, Thm 4.8(c))
and the AdamProxy limit direction is w*(c*)/||w*(c*)|| (Thm 4.8(d)).  The paper
gives no convergence proof for the plain iteration (docs/math.md §10 item 6), so this
module watches the iteration and reports cycling and stalling instead of
returning a last iterate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConvergenceError, HyperparameterError, SingularMetricError
from ..maxmargin import MaxMarginResult, mahalanobis_max_margin

__all__ = ["fixed_point_map", "algorithm3", "Algorithm3Result"]


def fixed_point_map(X: np.ndarray, c: np.ndarray, start=None) -> tuple[np.ndarray, MaxMarginResult]:
    """T(c) = lambda*(c) / ||lambda*(c)||_1 (Thm 4.8(b)), with the solve of P(c) (Def. 4.6) that produced it.

    ``start``: a guess of the support of P(c) (e.g. the previous iterate's), which warm-starts the solve."""
    res = mahalanobis_max_margin(X, c, start=start)
    lam = np.clip(res.dual, 0.0, None)  # interior-point duals are >= -1e-12 relative; KKT check bounds them
    return lam / lam.sum(), res


@dataclass(frozen=True)
class Algorithm3Result:
    """Outcome of Algorithm 3: the fixed point c, the solution of P(c) at it and the iteration record.

    ``steps[k] = ||c^(k+1) - c^(k)||_1``; ``rate`` is the geometric mean contraction of
    the last steps (a plain fixed-point iteration converges linearly when T is a local
    contraction, rate = spectral radius of T' at c*).
    """

    c: np.ndarray
    w: np.ndarray
    direction: np.ndarray
    support: tuple[int, ...]
    iterations: int
    steps: tuple[float, ...]
    rate: float
    damping: float
    solve: MaxMarginResult

    @property
    def residual(self) -> float:
        """||T(c) - c||_1 at the returned c (the last step)."""
        return self.steps[-1]


def algorithm3(X: np.ndarray, c0: np.ndarray | None = None, *, tol: float = 1e-9, max_iter: int = 500,
               damping: float = 1.0) -> Algorithm3Result:
    """Algorithm 3 (Thm 4.8): iterate c <- (1 - theta) c + theta T(c) from c0 (default uniform 1/N).

    Stops when ||c^(k+1) - c^(k)||_1 < ``tol``.  ``damping`` theta in (0, 1]; theta = 1 is
    the paper's plain iteration.  The default ``tol`` = 1e-9 sits above the ~1e-10 noise
    of T, which inherits the relative error of the dual from the QP solve (Clarabel at
    1e-12); :func:`adam_proxy_fixed_point` refines beyond it.

    Raises SingularMetricError (with the ``support`` reached) when D(c) turns singular along the iteration, and
    ConvergenceError on: a cycle (c^(k) returns to an iterate p >= 2 steps back,
    within 1e-3 of the current step length, while steps stay above tol), stalling (contraction rate over the last 20
    steps >= 0.999), or ``max_iter`` iterations; the message gives the diagnosis.
    """
    X = np.asarray(X, float)
    N = X.shape[0]
    if not 0 < damping <= 1:
        raise HyperparameterError(f"damping must be in (0, 1], got {damping}")
    if tol <= 0 or max_iter < 1:
        raise HyperparameterError("tol must be > 0 and max_iter >= 1")
    c = np.full(N, 1.0 / N) if c0 is None else np.asarray(c0, float)
    if c.shape != (N,) or np.any(c < 0) or not np.isclose(c.sum(), 1.0):
        raise HyperparameterError(f"c0 must be a point of the simplex of length {N}")
    history, steps, support = [c], [], None
    for k in range(1, max_iter + 1):
        try:
            Tc, res = fixed_point_map(X, c, support)
        except SingularMetricError as exc:
            if support is None:
                raise
            # the last solve's normalised duals weigh only samples that are 0 at some fed coordinate
            raise SingularMetricError(f"{exc} after {k - 1} Algorithm 3 iteration(s), at support {list(support)}",
                                      exc.coordinates, support) from None
        support = getattr(res, "support", None)
        c_new = (1 - damping) * c + damping * Tc
        steps.append(float(np.abs(c_new - c).sum()))
        rate = _rate(steps)
        if steps[-1] < tol:
            res_final = res if damping == 1.0 else fixed_point_map(X, c_new, support)[1]
            return Algorithm3Result(c=c_new, w=res_final.w, direction=res_final.direction,
                                    support=tuple(i for i in res_final.support), iterations=k, steps=tuple(steps),
                                    rate=rate, damping=damping, solve=res_final)
        for p in range(2, min(10, len(history)) + 1):
            # back where we were p steps ago while still taking large steps: a cycle, not convergence
            if np.abs(c_new - history[-p]).sum() < 1e-3 * steps[-1]:
                raise ConvergenceError(f"Algorithm 3 cycles with period {p} after {k} iterations "
                                       f"(step {steps[-1]:.2e} > tol {tol:.0e}){_hint(res)}")
        if k >= 40 and rate >= 0.999:
            raise ConvergenceError(f"Algorithm 3 stalls: contraction rate {rate:.4f} over the last 20 steps, "
                                   f"step {steps[-1]:.2e} after {k} iterations{_hint(res)}")
        history.append(c_new)
        c = c_new
    raise ConvergenceError(f"Algorithm 3 did not reach tol {tol:.0e} in {max_iter} iterations "
                           f"(last step {steps[-1]:.2e}, contraction rate {_rate(steps):.4f}){_hint(res)}")


def _hint(res) -> str:
    """Why the iteration may fail: without LICQ (Assumption 4.7) lambda*(c) is not unique, so T is ill-defined."""
    if res is not None and not res.licq:
        return (f"; LICQ (Assumption 4.7) fails: the points on the margin (support {list(res.support)} and any "
                "with lambda = 0) are linearly dependent, so lambda*(c) is not unique and T is ill-defined")
    return "; try damping < 1"


def _rate(steps: list[float], window: int = 20) -> float:
    """Geometric mean of step ratios over the last ``window`` steps (nan if too few)."""
    s = [x for x in steps[-(window + 1):] if x > 0]
    if len(s) < 2:
        return float("nan")
    return float((s[-1] / s[0]) ** (1.0 / (len(s) - 1)))
