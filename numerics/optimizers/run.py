"""The one entry point for simulations: ``run(X, optimizer, steps, ..., engine="auto")``.

Two engines execute the same algorithm (the transforms of :mod:`.transforms`, whose arithmetic is
:mod:`numerics.arith`):

* ``"reference"`` -- the per-step numpy loop below, on any backend (float64 or mpmath), with an
  optional per-step ``callback``;
* ``"compiled"`` -- the same steps compiled by numba: :mod:`numerics.fast` (float64) or, on a
  multi-word backend (``Backend.words``), :mod:`numerics.multiword` (double-double, quad-double).

``"auto"`` (the default) takes the compiled engine whenever it supports the run and the reference
engine otherwise.  Both share :func:`~numerics.optimizers.plan.prepare` (validation, the power-of-two
column scales, checkpoints, the recorder), so they cannot disagree on what a run is.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..losses import EXPONENTIAL, Loss, log_loss
from ..trajectory import Trajectory
from .grads import sample_grads
from .plan import RunPlan, prepare
from .registry import Optimizer

__all__ = ["run", "prepare", "RunPlan", "ENGINES", "select_engine"]

ENGINES = ("auto", "compiled", "reference")
StepCallback = Callable[[int, np.ndarray, np.ndarray, object], None]


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
        log_sigma, col_rel = plan.log_sigma_in(bk), bk.asarray(plan.col_rel)
        w = bk.asarray(plan.w0)
        state = opt.transform.init(bk, d)
        lost = np.zeros(d, dtype=np.int64)
        batches = opt.sampler.batches(N, plan.seed)
        chunk = max(1, plan.steps // 200)
        for t in range(plan.steps):
            grads = sample_grads(bk, loss, Xb, w, next(batches), unit_rows=unit, log_row_scale=log_sigma,
                                 col_rel=col_rel)
            direction, state, lost_now = opt.transform.update(bk, grads, state, w)
            if bk.is_float:  # mpmath's exponents are unbounded: below FLOOR nothing is lost there
                lost += lost_now
            if callback is not None:
                callback(t, w, direction, state)
            w = w - bk.scalar(opt.schedule(t * plan.stride)) * direction
            if t + 1 in marks:  # the recorder turns a float64 range failure into a RangeError
                recorder.record(t + 1, bk.to_float(w), float(log_loss(bk, loss, Xb @ w)))
            if (t + 1) % chunk == 0:
                bar.update(chunk)
    return plan.finish(recorder, w, "reference", lost)
