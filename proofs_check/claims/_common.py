"""Shared pieces of the checks: default datasets, predictions, cached runs, estimated limits, rivals."""

from __future__ import annotations

import hashlib

import numpy as np

from numerics.datasets import GR_ALPHAS, GR_SIGNS  # noqa: F401 -- re-exported for figures
from numerics.estimate import LimitEstimate, estimate_limit, limit_checkpoints
from numerics.limits import Limits, predict_limits
from numerics.optimizers import Optimizer, run
from numerics.schedules import eta0_for_data
from numerics.trajectory import Trajectory

from .base import Context, NotApplicable

__all__ = ["GR_ALPHAS", "GR_SIGNS", "predictions", "refs", "gaussian_default", "gr_default", "shifted_default",
           "simulate", "limit", "limit_key", "fmt", "eta0", "uniform_c_direction", "linf_rival"]


def gaussian_default(ctx: Context):
    """The paper's Gaussian example (Ex. 4.10, Fig. 1): N = 10 (d = 50 here; d was not recoverable)."""
    if ctx.data is not None:
        return ctx.data
    from numerics.datasets import gaussian
    return gaussian(10, 50, seed=ctx.seed)


def gr_default(ctx: Context):
    """GR data of Def. 3.1 (Fig. 2 uses 4 points): numerics.datasets.gr_example(), or the user's data."""
    if ctx.data is not None:
        return ctx.data
    from numerics.datasets import gr_example
    return gr_example()


def shifted_default(ctx: Context):
    """Shifted-diagonal data of Ex. 4.11 (docs/math.md §5, §13.6): a = (1, 2, 3, 4), b = 1/2."""
    if ctx.data is not None:
        return ctx.data
    from numerics.datasets import shifted_diagonal
    return shifted_diagonal()


def _key(X: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(X, dtype=float).tobytes()).hexdigest()


def predictions(ctx: Context, X: np.ndarray, **kw) -> Limits:
    """numerics.limits.predict_limits in float64 (Algorithm 3 to 1e-9 in c: ~1e-18 in 1 - cos), cached."""
    key = ("predict", _key(X), tuple(sorted(kw.items())))
    return ctx.cache.get(key, lambda: predict_limits(X, precision=None, **kw))


def refs(P: Limits) -> dict[str, np.ndarray]:
    """l2, l_inf and fixed-point ("fp") directions of a prediction (figures)."""
    return {"l2": P.l2.direction, "linf": P.linf.direction, "fp": P.adam_proxy.direction}


def eta0(X: np.ndarray, optimizer: str) -> float:
    """The data-scaled eta0 (numerics.schedules.eta0_for_data)."""
    return eta0_for_data(X, optimizer)


def simulate(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, refs=None, **kw) -> Trajectory:
    """One run from w0 = 0 through numerics.optimizers.run (the compiled engine unless a ``callback`` needs
    the reference one); runs without callback or references are cached in ``ctx``.  A run whose updates lost
    precision in some coordinate raises PrecisionLossError (the check's verdict is then ``error``, naming
    them): no verdict rests on numbers that are not the algorithm's."""
    if "callback" in kw or refs is not None:
        return run(X, opt, steps, references=refs, seed=ctx.seed, progress=ctx.progress, **kw).require_exact()
    key = _run_key(ctx, X, opt, steps, kw)
    return ctx.cache.get(key, lambda: run(X, opt, steps, seed=ctx.seed, progress=ctx.progress, **kw)).require_exact()


def _run_key(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, kw) -> tuple:
    return ("run", _key(X), opt.name, opt.transform, opt.sampler, opt.schedule, steps, ctx.seed,
            repr(sorted(kw.items())))


def limit(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, *, settled_weights: bool = True,
          **kw) -> tuple[Trajectory, LimitEstimate]:
    """A run with octave checkpoints and its estimated limit direction (numerics.estimate); with
    ``settled_weights`` the samples' weights c(t) must have settled too (not for random sample orders, whose
    weights keep fluctuating and whose limits the checks only locate approximately)."""
    tr = simulate(ctx, X, opt, steps, checkpoints=limit_checkpoints(steps), **kw)
    return tr, estimate_limit(tr.steps, tr.w, X=X if settled_weights else None)


def limit_key(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, **kw) -> tuple:
    """The cache key of the run of :func:`limit` with these arguments (``ctx.cache.seconds(key)``: how long it took)."""
    return _run_key(ctx, X, opt, steps, {"checkpoints": limit_checkpoints(steps), **kw})


def uniform_c_direction(X: np.ndarray) -> np.ndarray:
    """w*(c) at uniform c = 1/N (Def. 4.6): Algorithm 3's start, a plausible wrong answer for Thm 4.8."""
    from numerics.maxmargin import mahalanobis_max_margin

    return mahalanobis_max_margin(X, np.full(X.shape[0], 1.0 / X.shape[0])).direction


def linf_rival(X: np.ndarray, estimate: LimitEstimate) -> np.ndarray:
    """The l_inf max-margin solution nearest to the estimate (the minimiser may be non-unique), as a direction."""
    from numerics.maxmargin.linf_face import nearest_linf_direction

    return nearest_linf_direction(X, estimate.direction)


def fmt(x: float) -> str:
    return f"{x:.3g}"


def fixed_point(ctx: Context, X: np.ndarray):
    """The Thm 4.8 prediction, polished: Algorithm 3 (to 1e-9 in c) then Newton on T(c) = c from its point
    (numerics.fixed_point.newton_fixed_point, |F_S| < 1e-13; it stays at Algorithm 3's fixed point, which is
    the one AdamProxy approaches from w0 = 0).  Returns the numerics.fixed_point FixedPointSolution."""
    from numerics.fixed_point import newton_fixed_point

    P = predictions(ctx, X)
    if getattr(P.adam_proxy, "c", None) is None:
        from numerics.errors import ConvergenceError

        if not P.adam_proxy.applicable:
            raise NotApplicable(f"Thm 4.8 does not apply to these data ({P.adam_proxy.reason}); the degenerate "
                                "check does")
        raise ConvergenceError(f"no fixed point: {P.adam_proxy.reason}")
    return ctx.cache.get(("fixed point", _key(X)), lambda: newton_fixed_point(X, P.adam_proxy.c))


def symbolic(check) -> tuple[str, str]:
    """(verdict, reason) of a symbolic sub-check ``check() -> bool`` from theory/: "pass", "fail", or "skip" when
    theory/ declines the size (exact algebra grows combinatorially; the numeric part still decides)."""
    from numerics.errors import ToolkitError

    try:
        return ("pass", "") if check() else ("fail", "the exact identity did not verify")
    except ToolkitError as exc:
        return "skip", f"not run: {str(exc).splitlines()[0]}"
