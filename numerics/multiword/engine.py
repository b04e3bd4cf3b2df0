"""The compiled engine on multi-word numbers: a :class:`~numerics.optimizers.plan.RunPlan` whose backend has
``words`` (double-double or quad-double, :func:`numerics.backend.multiword_backend`) executed by the
kernels of :mod:`.kernels`.  Reached through ``numerics.optimizers.run(..., engine="auto" | "compiled")``.

Checkpoints record float64 summaries exactly as the other engines do (w rounded to float64; log L from
the margins, computed in the words and rounded); ``final_w`` holds every word, as mpmath numbers.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..backend import FLOAT64
from ..losses import log_loss
from ..optimizers.plan import RunPlan
from ..optimizers.transforms import SGD, Adam, AdamProxy, EpochMap, Signum
from ..trajectory import Trajectory
from ..fast.batch_plan import batch_plan
from ..fast.engine import drive  # the checkpoint loop shared with the float64 engine
from . import kernels as _k
from .words import WordArray

__all__ = ["run_multiword"]

def _log_sigma(plan: RunPlan, K: int) -> WordArray:
    """log(sigma) in K words (RunPlan.log_sigma_in), rounded once from 53 K + 64 bits."""
    import mpmath

    with mpmath.workprec(53 * K + 64):
        return WordArray.from_mpf([mpmath.mpf(plan.sigma_exponent) * mpmath.ln2], K)


Stepper = Callable[[WordArray, np.ndarray, int, int], None]  # advance(W, lost, t0, t1) in place


def _batch_stepper(plan: RunPlan, K: int) -> Stepper:
    bp = batch_plan(plan)
    d = plan.X.shape[1]
    M, V, P, L = WordArray.zeros(d, K), WordArray.zeros(d, K), WordArray.zeros(bp.bsize, K), WordArray.zeros(bp.bsize, K)
    S = WordArray.from_float(np.full(d, -np.inf), K)
    rows = np.zeros(bp.bsize, dtype=np.int64)
    LS = _log_sigma(plan, K)

    def advance(W, lost, t0, t1):
        _k.batch_steps(plan.X, plan.unit, LS, plan.col_rel, W, M, V, S, lost, P, L, rows, t0, t1,
                       plan.stride, bp.eta0, bp.a, bp.kind, bp.beta1, bp.beta2, bp.decay, bp.loss_code, bp.mode,
                       bp.bsize, bp.indices(t1 - t0))

    return advance


def _proxy_stepper(plan: RunPlan, K: int) -> Stepper:
    N = plan.X.shape[0]
    P, L, rows = WordArray.zeros(N, K), WordArray.zeros(N, K), np.zeros(N, dtype=np.int64)
    eta0, a, LS = float(plan.optimizer.schedule.eta0), float(plan.optimizer.schedule.a), _log_sigma(plan, K)
    return lambda W, lost, t0, t1: _k.proxy_steps(plan.X, plan.unit, LS, W, lost, P, L, rows, t0, t1,
                                                  plan.stride, eta0, a, plan.loss.code)


def _epoch_map_stepper(plan: RunPlan, K: int) -> Stepper:
    tr = plan.optimizer.transform
    N = plan.X.shape[0]
    P, L, Q = WordArray.zeros(N, K), WordArray.zeros(N, K), WordArray.zeros(N, K)
    rows = np.zeros(N, dtype=np.int64)
    B = WordArray.from_float([tr.beta1, tr.beta2], K)
    UF = np.asfortranarray(plan.unit)  # the kernel reads one coordinate (column) at a time
    eta0, a, LS = float(plan.optimizer.schedule.eta0), float(plan.optimizer.schedule.a), _log_sigma(plan, K)
    return lambda W, lost, t0, t1: _k.epoch_map_steps(plan.X, UF, LS, W, lost, P, L, Q, rows, B, t0, t1,
                                                      plan.stride, eta0, a, plan.loss.code)


_STEPPERS = {Adam: _batch_stepper, Signum: _batch_stepper, SGD: _batch_stepper, AdamProxy: _proxy_stepper,
             EpochMap: _epoch_map_stepper}


def current_log_loss(plan: RunPlan, W: WordArray, Z: WordArray) -> float:
    """log L(w) in float64 from the margins, computed in the words and rounded once."""
    _k.margins(plan.X, W, Z)
    return float(log_loss(FLOAT64, plan.loss, Z.to_float()))


def run_multiword(plan: RunPlan) -> Trajectory:
    """Run ``plan`` on the multi-word kernels (``plan.backend.words`` words per number)."""
    K = plan.backend.words
    advance = _STEPPERS[type(plan.optimizer.transform)](plan, K)
    recorder = plan.recorder()
    W, Z = WordArray.from_float(plan.w0, K), WordArray.zeros(plan.X.shape[0], K)
    lost = np.zeros(plan.X.shape[1], dtype=np.int64)
    drive(plan, advance, W, lost, recorder, lambda: (W.to_float(), current_log_loss(plan, W, Z)))
    return plan.finish(recorder, W.to_mpf(), "compiled", lost)
