"""Shared pieces of the checks: default datasets, predictions, runs."""

from __future__ import annotations

import numpy as np

from numerics.limits import Limits, predict_limits
from numerics.optimizers import Optimizer, run
from numerics.trajectory import Trajectory

from .base import Context
from numerics.datasets import GR_ALPHAS, GR_SIGNS  # noqa: F401 -- re-exported for figures

__all__ = ["GR_ALPHAS", "GR_SIGNS", "predictions", "refs", "gaussian_default", "gr_default", "shifted_default", "simulate", "fmt"]


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
    """Shifted-diagonal data of Ex. 4.11 (math.md §5 reconstruction): a = (1, 2, 3, 4), b = 1/2."""
    if ctx.data is not None:
        return ctx.data
    from numerics.datasets import shifted_diagonal
    return shifted_diagonal()


def predictions(X: np.ndarray) -> Limits:
    """numerics.limits.predict_limits at 50 digits (the fixed point refined by Newton)."""
    return predict_limits(X, precision=50)


def refs(P: Limits) -> dict[str, np.ndarray]:
    """l2, l_inf and fixed-point ("fp") directions of a prediction."""
    return {"l2": P.l2.direction, "linf": P.linf.direction, "fp": P.adam_proxy.direction}


def simulate(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, refs=None, **kw) -> Trajectory:
    """One run from w0 = 0 through numerics.optimizers.run (the compiled engine unless a ``callback`` needs
    the reference one)."""
    return run(X, opt, steps, references=refs, seed=ctx.seed, progress=ctx.progress, **kw)


def fmt(x: float) -> str:
    return f"{x:.3g}"
