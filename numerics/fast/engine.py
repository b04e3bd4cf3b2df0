"""The compiled engine: a :class:`~numerics.optimizers.plan.RunPlan` executed by the numba kernels.

Reached through ``numerics.optimizers.run(..., engine="auto" | "compiled")``; dispatches on the
transform's type (its frozen fields are the kernel's constants) and on the sampler's mode.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..backend import FLOAT64
from ..losses import log_loss
from ..optimizers.plan import RunPlan
from ..optimizers.transforms import SGD, Adam, AdamProxy, EpochMap, Signum  # noqa: F401 -- dispatch
from ..trajectory import Trajectory
from . import kernels as _k
from .batch_plan import batch_plan

__all__ = ["run_compiled", "drive", "BLOCK"]

#: steps per compiled call between checkpoints (bounds the index block of random samplers)
BLOCK = 1 << 15

Stepper = Callable[[np.ndarray, np.ndarray, int, int], None]  # advance(w, lost, t0, t1) in place


def _batch_stepper(plan: RunPlan) -> Stepper:
    bp = batch_plan(plan)
    d = plan.X.shape[1]
    m, v, log_scale = np.zeros(d), np.zeros(d), np.full(d, -np.inf)

    def advance(w, lost, t0, t1):
        _k.batch_steps(plan.X, plan.unit, plan.log_sigma, plan.col_rel, w, m, v, log_scale, lost, t0, t1,
                       plan.stride, bp.eta0, bp.a, bp.kind, bp.beta1, bp.beta2, bp.decay, bp.loss_code, bp.mode,
                       bp.bsize, bp.indices(t1 - t0))

    return advance


def _proxy_stepper(plan: RunPlan) -> Stepper:
    eta0, a = float(plan.optimizer.schedule.eta0), float(plan.optimizer.schedule.a)
    return lambda w, lost, t0, t1: _k.proxy_steps(plan.X, plan.unit, plan.log_sigma, w, lost, t0, t1, plan.stride,
                                                  eta0, a, plan.loss.code)


def _epoch_map_stepper(plan: RunPlan) -> Stepper:
    from ..arith import c_inc

    tr = plan.optimizer.transform
    eta0, a = float(plan.optimizer.schedule.eta0), float(plan.optimizer.schedule.a)
    UF = np.asfortranarray(plan.unit)  # the kernel reads one coordinate (column) at a time
    C = float(c_inc(tr.beta1, tr.beta2, plan.X.shape[0]))
    return lambda w, lost, t0, t1: _k.epoch_map_steps(plan.X, UF, plan.log_sigma, w, lost, t0, t1, plan.stride,
                                                      eta0, a, plan.loss.code, tr.beta1, tr.beta2, C)


_STEPPERS = {Adam: _batch_stepper, Signum: _batch_stepper, SGD: _batch_stepper, AdamProxy: _proxy_stepper,
             EpochMap: _epoch_map_stepper}


def drive(plan: RunPlan, advance, state, lost, recorder, snapshot: Callable[[], tuple]) -> None:
    """Advance ``state`` (and the per-coordinate ``lost`` counts) in blocks of at most BLOCK steps and record
    ``snapshot()`` = (w, log loss) at each of ``plan.marks`` not yet recorded: the loop every compiled engine
    (float64, multi-word) shares."""
    t = 0
    # as in the reference engine: overflow is reported by the recorder as a RangeError, not as numpy warnings
    with np.errstate(over="ignore", invalid="ignore"), plan.progress_bar() as bar:
        for mark in (*plan.marks, plan.steps):
            while t < mark:
                t1 = min(mark, t + BLOCK)
                advance(state, lost, t, t1)
                bar.update(t1 - t)
                t = t1
            if mark in plan.marks and (not recorder.rows or recorder.rows[-1][0] != mark):
                recorder.record(mark, *snapshot())


def run_compiled(plan: RunPlan) -> Trajectory:
    """Run ``plan`` on the kernels; checkpoints are recorded exactly as by the reference engine."""
    advance = _STEPPERS[type(plan.optimizer.transform)](plan)
    recorder = plan.recorder()
    w, lost = plan.w0.copy(), np.zeros(plan.X.shape[1], dtype=np.int64)
    drive(plan, advance, w, lost, recorder, lambda: (w.copy(), float(log_loss(FLOAT64, plan.loss, plan.X @ w))))
    return plan.finish(recorder, w, "compiled", lost)
