"""A validated run, prepared once for every engine: :class:`RunPlan` and :func:`prepare`.

It sits below the engines (the reference loop of :mod:`.run`, :mod:`numerics.fast`,
:mod:`numerics.multiword`), which all import it and none of which it imports.

Per-column scaling.  Gradients are computed on the unit columns U[:, j] = X[:, j] / c_j with
c_j = 2^floor(log2 max_i |X_ij|) (exact in float64: max_i |U_ij| lies in [1, 2)), so every coordinate
carries its own exponent whatever the data's scales (a feature measured in 1e-5 beside one in 1e5,
magnitudes from 1e-300 to 1e300).  The optimizers whose updates are 0-homogeneous in each coordinate's
gradients (Adam, Signum, AdamProxy, the epoch map) never see c_j; GD's step multiplies by
``col_rel`` = c_j / sigma (a power of two <= 1), with sigma = max_j c_j whose log is added to every log
weight (docs/math.md §13.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import mpmath
import numpy as np

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..losses import EXPONENTIAL, Loss
from ..progress import Progress
from ..trajectory import Trajectory, TrajectoryRecorder, log_checkpoints
from .grads import column_scale
from .registry import Optimizer

__all__ = ["RunPlan", "prepare"]


@dataclass(frozen=True)
class RunPlan:
    """A validated run: what every engine needs.  ``unit`` = X / c (per column, exact), ``col_rel`` = c / sigma,
    ``log_sigma`` = log(sigma) in float64 (module docstring), ``sigma_exponent`` = e with sigma = 2^e, from which
    each backend forms log(sigma) = e log 2 to its own precision (:meth:`log_sigma_in`)."""

    X: np.ndarray
    unit: np.ndarray
    log_sigma: float
    col_rel: np.ndarray
    optimizer: Optimizer
    steps: int
    marks: tuple[int, ...]
    loss: Loss
    backend: Backend
    w0: np.ndarray
    seed: int | None
    references: Mapping[str, np.ndarray] | None
    metric: np.ndarray | None
    progress: bool | None
    sigma_exponent: int = 0

    def log_sigma_in(self, bk: Backend) -> Any:
        """log(sigma) = e log 2 at the backend's precision: float64's rounded log_sigma, or mpmath's e * ln2
        (call inside ``bk.context()``).  GD's step is exp(u_i + log sigma) c_j / sigma: a log(sigma) rounded to
        float64 would cost every higher-precision engine a relative 1e-16 there."""
        return self.log_sigma if bk.is_float else mpmath.mpf(self.sigma_exponent) * mpmath.ln2

    @property
    def stride(self) -> int:
        """Steps of the schedule per update: N for the epoch map (eta_{rN}), else 1."""
        return self.X.shape[0] if self.optimizer.per_epoch else 1

    def recorder(self) -> TrajectoryRecorder:
        return TrajectoryRecorder(self.X, self.references, self.metric)

    def progress_bar(self) -> Progress:
        return Progress(self.steps, self.optimizer.name, enabled=self.progress)

    def finish(self, recorder: TrajectoryRecorder, final_w: Any, engine: str, lost: np.ndarray) -> Trajectory:
        """The trajectory; ``lost[j]``: how many updates of coordinate j lost precision (numerics.arith)."""
        opt = self.optimizer
        return recorder.finish(optimizer=opt.name, hyper=dict(opt.hyper), loss=self.loss.name,
                               backend=self.backend.name, seed=self.seed, final_w=final_w, engine=engine,
                               lost=np.asarray(lost, dtype=np.int64))


def prepare(X: np.ndarray, optimizer: Optimizer, steps: int, *, loss: Loss = EXPONENTIAL, backend: Backend = FLOAT64,
            w0: np.ndarray | None = None, seed: int | None = 0, checkpoints: int | tuple[int, ...] = 60,
            references: Mapping[str, np.ndarray] | None = None, metric: np.ndarray | None = None,
            progress: bool | None = None) -> RunPlan:
    """Validate the arguments of :func:`numerics.optimizers.run` once, for whichever engine runs it."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise HyperparameterError(f"steps must be a positive integer, got {steps!r}")
    if not isinstance(optimizer, Optimizer):
        raise HyperparameterError(f"optimizer must be a numerics.optimizers.Optimizer, got {type(optimizer).__name__}")
    X = np.ascontiguousarray(np.asarray(X, dtype=float))
    if X.ndim != 2 or X.size == 0:
        raise HyperparameterError(f"X must be a non-empty (N, d) array, got shape {X.shape}")
    N, d = X.shape
    optimizer.sampler.check(N)
    steps = int(steps)
    if isinstance(checkpoints, (int, np.integer)) and not isinstance(checkpoints, bool):
        marks = log_checkpoints(steps, int(checkpoints))
    else:
        marks = tuple(sorted({int(m) for m in checkpoints if 1 <= int(m) <= steps}))
    start = np.zeros(d) if w0 is None else np.array(np.asarray(w0, dtype=float).reshape(-1), dtype=float)
    if start.shape != (d,):
        raise HyperparameterError(f"w0 must have d = {d} entries, got {start.size}")
    c, sigma, log_sigma = column_scale(X)
    return RunPlan(X, np.ascontiguousarray(X / c), log_sigma, c / sigma, optimizer, steps, marks, loss, backend,
                   start, seed, references, metric, progress, math.frexp(sigma)[1] - 1)
