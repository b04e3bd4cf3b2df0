"""The driver: w_{t+1} = w_t - eta_t * transform(grads of the sampled batch), on any backend."""

from __future__ import annotations

import sys
from typing import Callable, Mapping

import numpy as np
from tqdm.auto import tqdm

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..losses import EXPONENTIAL, Loss, log_loss
from ..trajectory import Trajectory, TrajectoryRecorder, log_checkpoints
from .grads import row_scale, sample_grads
from .registry import Optimizer

__all__ = ["run"]

StepCallback = Callable[[int, np.ndarray, np.ndarray, object], None]


def run(
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
    callback: StepCallback | None = None,
) -> Trajectory:
    """Run ``optimizer`` for ``steps`` updates on data X (rows y_i x_i) from w0 (default 0).

    ``checkpoints``: a count of log-spaced checkpoints or explicit step numbers.
    ``references``: name -> direction, for cosines; ``metric``: diag D(c) for the
    Mahalanobis margin (Def. 4.6).  ``callback(t, w, direction, state)`` sees each
    update (in the backend's number type) before it is applied.  ``progress``:
    a bar on stderr (default: only when stderr is a terminal).
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise HyperparameterError(f"steps must be a positive integer, got {steps!r}")
    X = np.asarray(X, dtype=float)
    N, d = X.shape
    optimizer.sampler.check(N)
    marks = log_checkpoints(steps, checkpoints) if isinstance(checkpoints, int) else tuple(sorted(set(checkpoints)))
    marks_set = set(marks)
    if progress is None:
        progress = sys.stderr.isatty()
    recorder = TrajectoryRecorder(X, references, metric)
    stride = N if optimizer.per_epoch else 1

    with backend.context(), np.errstate(over="ignore", invalid="ignore"):
        Xb = backend.asarray(X)
        sigma, log_sigma = row_scale(X)
        unit = backend.asarray(X / sigma)  # exact: sigma is a power of two
        w = backend.zeros(d) if w0 is None else backend.asarray(np.asarray(w0, float).reshape(d))
        state = optimizer.transform.init(backend, d)
        batches = optimizer.sampler.batches(N, seed)
        update = optimizer.transform.update
        bar = tqdm(total=steps, disable=not progress, desc=optimizer.name, unit="step", mininterval=0.5)
        chunk = max(1, steps // 200)
        for t in range(steps):
            grads = sample_grads(backend, loss, Xb, w, next(batches), unit_rows=unit, log_row_scale=log_sigma)
            direction, state = update(backend, grads, state)
            if callback is not None:
                callback(t, w, direction, state)
            w = w - backend.scalar(optimizer.schedule(t * stride)) * direction
            if t + 1 in marks_set:  # the recorder turns a float64 range failure into a RangeError
                recorder.record(t + 1, backend.to_float(w), float(log_loss(backend, loss, Xb @ w)))
            if (t + 1) % chunk == 0:
                bar.update(chunk)
        bar.close()

    return recorder.finish(optimizer=optimizer.name, hyper=dict(optimizer.hyper), loss=loss.name,
                           backend=backend.name, seed=seed, final_w=w)
