"""The one entry point for simulations: ``run(X, optimizer, steps, ..., engine="auto")``.

Two engines execute the same algorithm (the transforms of :mod:`.transforms`, whose arithmetic is
:mod:`numerics.arith`):

* ``"reference"`` -- the per-step numpy loop below, on any backend (float64 or mpmath), with an
  optional per-step ``callback``;
* ``"compiled"`` -- the same steps compiled by numba: :mod:`numerics.fast` (float64) or, on a
  multi-word backend (``Backend.words``), :mod:`numerics.multiword` (double-double, quad-double).

``"auto"`` (the default) takes the compiled engine whenever it supports the run and the reference
engine otherwise.  Both share :func:`prepare` (validation, the power-of-two row scale, checkpoints,
the recorder), so they cannot disagree on what a run is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..losses import EXPONENTIAL, Loss, log_loss
from ..progress import Progress
from ..trajectory import Trajectory, TrajectoryRecorder, log_checkpoints
from .grads import row_scale, sample_grads
from .registry import Optimizer

__all__ = ["run", "prepare", "RunPlan", "ENGINES", "select_engine"]

ENGINES = ("auto", "compiled", "reference")
StepCallback = Callable[[int, np.ndarray, np.ndarray, object], None]


@dataclass(frozen=True)
class RunPlan:
    """A validated run: what every engine needs.  ``unit = X / sigma`` with sigma = 2^k (exact), so
    gradient rows are O(1) whatever the data's magnitude and log(sigma) enters the log weights."""

    X: np.ndarray
    unit: np.ndarray
    log_sigma: float
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

    @property
    def stride(self) -> int:
        """Steps of the schedule per update: N for the epoch map (eta_{rN}), else 1."""
        return self.X.shape[0] if self.optimizer.per_epoch else 1

    def recorder(self) -> TrajectoryRecorder:
        return TrajectoryRecorder(self.X, self.references, self.metric)

    def progress_bar(self) -> Progress:
        return Progress(self.steps, self.optimizer.name, enabled=self.progress)

    def finish(self, recorder: TrajectoryRecorder, final_w: Any, engine: str) -> Trajectory:
        opt = self.optimizer
        return recorder.finish(optimizer=opt.name, hyper=dict(opt.hyper), loss=self.loss.name,
                               backend=self.backend.name, seed=self.seed, final_w=final_w, engine=engine)


def prepare(X: np.ndarray, optimizer: Optimizer, steps: int, *, loss: Loss = EXPONENTIAL, backend: Backend = FLOAT64,
            w0: np.ndarray | None = None, seed: int | None = 0, checkpoints: int | tuple[int, ...] = 60,
            references: Mapping[str, np.ndarray] | None = None, metric: np.ndarray | None = None,
            progress: bool | None = None) -> RunPlan:
    """Validate the arguments of :func:`run` once, for whichever engine runs it."""
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
    sigma, log_sigma = row_scale(X)
    return RunPlan(X, np.ascontiguousarray(X / sigma), log_sigma, optimizer, steps, marks, loss, backend, start, seed,
                   references, metric, progress)


def select_engine(engine: str, plan: RunPlan, callback: StepCallback | None = None) -> str:
    """"compiled" or "reference" for ``engine`` in ENGINES; "compiled" on a run it cannot do is an error."""
    from ..fast.support import unsupported

    if engine not in ENGINES:
        raise HyperparameterError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "reference":
        return "reference"
    reason = unsupported(plan.optimizer, plan.loss, plan.backend)
    if reason is None and callback is not None:
        reason = "a per-step callback needs the reference engine"
    if reason is None:
        return "compiled"
    if engine == "compiled":
        raise HyperparameterError(f"the compiled engine cannot run this: {reason}")
    return "reference"


def run(X: np.ndarray, optimizer: Optimizer, steps: int, *, loss: Loss = EXPONENTIAL, backend: Backend = FLOAT64,
        w0: np.ndarray | None = None, seed: int | None = 0, checkpoints: int | tuple[int, ...] = 60,
        references: Mapping[str, np.ndarray] | None = None, metric: np.ndarray | None = None,
        progress: bool | None = None, callback: StepCallback | None = None, engine: str = "auto") -> Trajectory:
    """Run ``optimizer`` for ``steps`` updates on data X (rows y_i x_i) from w0 (default 0).

    ``checkpoints``: a count of log-spaced checkpoints or explicit step numbers (those outside
    [1, steps] are ignored).  ``references``: name -> direction, for cosines; ``metric``: diag D(c)
    for the Mahalanobis margin (Def. 4.6).  ``callback(t, w, direction, state)`` sees each update
    (in the backend's number type) before it is applied (reference engine only).  ``progress``: see
    :mod:`numerics.progress`.  ``engine``: "auto" | "compiled" | "reference" (module docstring);
    ``Trajectory.engine`` says which one ran.
    """
    plan = prepare(X, optimizer, steps, loss=loss, backend=backend, w0=w0, seed=seed, checkpoints=checkpoints,
                   references=references, metric=metric, progress=progress)
    if select_engine(engine, plan, callback) == "compiled":
        if plan.backend.words:  # double-double / quad-double kernels
            from ..multiword.engine import run_multiword

            return run_multiword(plan)
        from ..fast.engine import run_compiled

        return run_compiled(plan)
    return run_reference(plan, callback)


def run_reference(plan: RunPlan, callback: StepCallback | None = None) -> Trajectory:
    """The per-step loop on ``plan.backend``: w_{t+1} = w_t - eta_t * transform(grads of the sampled batch)."""
    bk, opt, loss = plan.backend, plan.optimizer, plan.loss
    recorder, marks = plan.recorder(), set(plan.marks)
    N, d = plan.X.shape
    with bk.context(), np.errstate(over="ignore", invalid="ignore"), plan.progress_bar() as bar:
        Xb, unit = bk.asarray(plan.X), bk.asarray(plan.unit)
        log_sigma = bk.scalar(plan.log_sigma)
        w = bk.asarray(plan.w0)
        state = opt.transform.init(bk, d)
        batches = opt.sampler.batches(N, plan.seed)
        chunk = max(1, plan.steps // 200)
        for t in range(plan.steps):
            grads = sample_grads(bk, loss, Xb, w, next(batches), unit_rows=unit, log_row_scale=log_sigma)
            direction, state = opt.transform.update(bk, grads, state)
            if callback is not None:
                callback(t, w, direction, state)
            w = w - bk.scalar(opt.schedule(t * plan.stride)) * direction
            if t + 1 in marks:  # the recorder turns a float64 range failure into a RangeError
                recorder.record(t + 1, bk.to_float(w), float(log_loss(bk, loss, Xb @ w)))
            if (t + 1) % chunk == 0:
                bar.update(chunk)
    return plan.finish(recorder, w, "reference")
