"""``run_fast``: ``numerics.optimizers.run`` for float64 with the per-step loop compiled by numba."""

from __future__ import annotations

import inspect
import math
import sys
import warnings
from typing import Mapping

import numpy as np
from tqdm.auto import tqdm

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..losses import EXPONENTIAL, LOGISTIC, Loss, log_loss
from ..optimizers import run as plain_run
from ..optimizers.registry import Optimizer
from ..optimizers.transforms import c_inc
from ..trajectory import Trajectory, TrajectoryRecorder, log_checkpoints

try:  # numba is optional: without it run_fast is the plain loop (with a warning)
    from . import kernels as _k
    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised by monkeypatching HAVE_NUMBA
    _k = None
    HAVE_NUMBA = False

__all__ = ["run_fast", "HAVE_NUMBA", "supports", "FastEngineWarning"]

#: steps per compiled call between checkpoints (bounds the index block of random samplers)
BLOCK = 1 << 15


class FastEngineWarning(RuntimeWarning):
    """run_fast fell back to the plain loop (numba missing, or a setting it does not compile)."""


#: transform kind -> the constants its kernel reads from the transform's closure
_NEEDS = {"adam": ("beta1", "beta2", "decay"), "signum": ("beta", "decay"), "sgd": (), "adam_proxy": (),
          "epoch_map": ("beta1", "beta2")}


def _transform_kind(optimizer: Optimizer) -> tuple[str, dict]:
    """('adam' | 'signum' | 'sgd' | 'adam_proxy' | 'epoch_map' | '', closure constants)."""
    update = optimizer.transform.update
    qual = getattr(update, "__qualname__", "")
    kind = qual.split(".<locals>")[0] if ".<locals>" in qual else ""
    try:
        consts = dict(inspect.getclosurevars(update).nonlocals)
    except (TypeError, ValueError):  # pragma: no cover - not a plain function
        consts = {}
    return kind, consts


def supports(optimizer: Optimizer, loss: Loss = EXPONENTIAL, backend: Backend = FLOAT64) -> str | None:
    """None if ``run_fast`` compiles this run, else the reason it falls back to the plain loop."""
    if not HAVE_NUMBA:
        return "numba is not installed"
    if not backend.is_float:
        return f"the fast engine is float64 only (backend {backend.name})"
    if loss not in (EXPONENTIAL, LOGISTIC):
        return f"loss {loss.name!r} has no compiled kernel"
    kind, consts = _transform_kind(optimizer)
    if kind not in _NEEDS:
        return f"transform of {optimizer.name!r} has no compiled kernel"
    if not all(isinstance(consts.get(k), (int, float)) for k in _NEEDS[kind]):
        return f"transform of {optimizer.name!r} does not expose {', '.join(_NEEDS[kind])}"
    if kind in ("adam_proxy", "epoch_map") and optimizer.sampler.mode != "full":
        return f"{kind} is defined on the full batch only"
    return None


def run_fast(
    X: np.ndarray,
    optimizer: Optimizer,
    steps: int,
    *,
    loss: Loss = EXPONENTIAL,
    backend: Backend = FLOAT64,
    w0: np.ndarray | None = None,
    seed: int | None = 0,
    checkpoints: int | tuple[int, ...] = 60,
    references: Mapping[str, np.ndarray] | None = None,
    metric: np.ndarray | None = None,
    progress: bool | None = None,
    callback=None,
) -> Trajectory:
    """Same arguments, semantics and Trajectory as :func:`numerics.optimizers.run`, compiled (float64).

    Supported: Inc-Adam, mini-batch Adam (cyclic / replacement / reshuffle, the plain sampler's
    order for the same seed), Det-Adam, Inc-Signum, Det-Signum, SignSGD, AdamProxy, the epoch
    map and GD, with the exponential or logistic loss.  Anything else (another backend or loss,
    a per-step ``callback``, numba not installed) runs the plain loop; a missing numba or an
    unsupported optimizer is announced with a :class:`FastEngineWarning`.  Results agree with
    the plain loop to rounding (summation order of dot products may differ), not bit for bit.
    """
    reason = supports(optimizer, loss, backend)
    if reason is not None or callback is not None:
        if reason is not None and backend.is_float:
            warnings.warn(f"run_fast: {reason}; using the plain numpy loop", FastEngineWarning, stacklevel=2)
        return plain_run(X, optimizer, steps, loss=loss, backend=backend, w0=w0, seed=seed,
                         checkpoints=checkpoints, references=references, metric=metric, progress=progress,
                         callback=callback)

    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 1:
        raise HyperparameterError(f"steps must be a positive integer, got {steps!r}")
    steps = int(steps)
    X = np.ascontiguousarray(np.asarray(X, dtype=float))
    N, d = X.shape
    optimizer.sampler.check(N)
    marks = log_checkpoints(steps, checkpoints) if isinstance(checkpoints, int) else tuple(sorted(set(checkpoints)))
    marks = tuple(int(m) for m in marks)
    if progress is None:
        progress = sys.stderr.isatty()
    recorder = TrajectoryRecorder(X, references, metric)
    stride = N if optimizer.per_epoch else 1
    sched = optimizer.schedule
    eta0, a = float(sched.eta0), float(sched.a)
    loss_id = _k.EXP_LOSS if loss is EXPONENTIAL else _k.LOGISTIC_LOSS
    kind, consts = _transform_kind(optimizer)

    w = np.zeros(d) if w0 is None else np.array(np.asarray(w0, float).reshape(d), dtype=float)
    m, v, log_scale = np.zeros(d), np.zeros(d), np.array([-math.inf])
    sampler = optimizer.sampler
    stream = None
    if kind in ("adam", "signum", "sgd"):
        mode = {"full": _k.FULL, "cyclic": _k.CYCLIC}.get(sampler.mode, _k.EXPLICIT)
        bsize = N if sampler.mode == "full" else int(sampler.batch_size)
        if mode == _k.EXPLICIT:
            from .indices import index_stream
            stream = index_stream(sampler, N, seed, steps)
        if kind == "adam":
            code, b1, b2, decay = _k.ADAM, float(consts["beta1"]), float(consts["beta2"]), float(consts["decay"])
        elif kind == "signum":
            code, b1, b2, decay = _k.SIGNUM, float(consts["beta"]), 0.0, float(consts["decay"])
        else:
            code, b1, b2, decay = _k.SGD, 0.0, 0.0, 0.0
        no_idx = np.zeros((0, max(bsize, 1)), dtype=np.int64)

        def advance(t0: int, t1: int) -> None:
            idx = stream.take(t1 - t0) if stream is not None else no_idx
            _k.batch_steps(X, w, m, v, log_scale, t0, t1, stride, eta0, a, code, b1, b2, decay, loss_id,
                           mode, bsize, idx)
    elif kind == "adam_proxy":
        def advance(t0: int, t1: int) -> None:
            _k.proxy_steps(X, w, t0, t1, stride, eta0, a, loss_id)
    else:  # epoch_map
        b1, b2 = float(consts["beta1"]), float(consts["beta2"])
        C = float(c_inc(b1, b2, N))

        def advance(t0: int, t1: int) -> None:
            _k.epoch_map_steps(X, w, t0, t1, stride, eta0, a, loss_id, b1, b2, C)

    bar = tqdm(total=steps, disable=not progress, desc=optimizer.name, unit="step", mininterval=0.5)
    t = 0
    # as in the plain loop: overflow is reported by the recorder as a RangeError, not as numpy warnings
    with np.errstate(over="ignore", invalid="ignore"):
        for mark in (*(mk for mk in marks if 1 <= mk <= steps), steps):  # the plain loop records t + 1 in marks
            while t < mark:
                t1 = min(mark, t + BLOCK)
                advance(t, t1)
                bar.update(t1 - t)
                t = t1
            if mark in marks and (not recorder.rows or recorder.rows[-1][0] != mark):
                recorder.record(mark, w.copy(), float(log_loss(FLOAT64, loss, X @ w)))
    bar.close()
    return recorder.finish(optimizer=optimizer.name, hyper=dict(optimizer.hyper), loss=loss.name,
                           backend=FLOAT64.name, seed=seed, final_w=w)
