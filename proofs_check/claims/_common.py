"""Shared pieces of the checks: default datasets, predictions, runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numerics.fixed_point import FixedPointResult, adam_proxy_fixed_point
from numerics.maxmargin import MaxMarginResult, l2_max_margin, linf_max_margin
from numerics.fast import run_fast
from numerics.optimizers import Optimizer
from numerics.trajectory import Trajectory

from .base import Context
from numerics.datasets import GR_ALPHAS, GR_SIGNS  # noqa: F401 -- re-exported for figures

__all__ = ["GR_ALPHAS", "GR_SIGNS", "Predictions", "predictions", "gaussian_default", "gr_default", "shifted_default", "simulate", "fmt"]


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


@dataclass(frozen=True)
class Predictions:
    l2: MaxMarginResult
    linf: MaxMarginResult
    fixed_point: FixedPointResult

    def refs(self) -> dict[str, np.ndarray]:
        return {"l2": self.l2.direction, "linf": self.linf.direction, "fp": self.fixed_point.direction_float}


def predictions(X: np.ndarray) -> Predictions:
    return Predictions(l2_max_margin(X), linf_max_margin(X), adam_proxy_fixed_point(X))


def simulate(ctx: Context, X: np.ndarray, opt: Optimizer, steps: int, refs=None, **kw) -> Trajectory:
    """One run from w0 = 0 on the numba engine (same trajectories as numerics.optimizers.run to
    100 steps eps, tested in tests/numerics/fast); a ``callback`` makes it use the plain loop."""
    return run_fast(X, opt, steps, references=refs, seed=ctx.seed, progress=ctx.progress, **kw)


def fmt(x: float) -> str:
    return f"{x:.3g}"
