"""One optimizer run on a dataset, summarised for people and machines (``proofs-check simulate``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from numerics.backend import backend_from_precision
from numerics.losses import get_loss
from numerics.optimizers import make_optimizer, run

__all__ = ["simulate"]


def simulate(dataset, optimizer: str, *, steps: int = 10_000, settings: dict[str, Any] | None = None,
             loss: str = "exp", precision: str | int | None = "float64", seed: int = 0,
             references: dict[str, np.ndarray] | None = None, metric: np.ndarray | None = None,
             progress: bool | None = None, engine: str = "auto") -> dict[str, Any]:
    """Run ``optimizer`` (a CLI name, see numerics.optimizers.make_optimizer) for ``steps`` updates from w0 = 0.

    Returns the final unit direction, ||w||, log L(w), the normalised margins and the cosine to each
    reference direction.  Without ``references`` the predictions of :func:`numerics.limits.predict_limits`
    (float64: l2, l_inf, the Thm 4.8 fixed point, SignSGD) are the references, and the Mahalanobis
    margin uses D(c*).  ``engine`` as in :func:`numerics.optimizers.run`; the result says which ran.
    """
    opt = make_optimizer(optimizer, **(settings or {}))  # bad settings fail before any solve
    bk = backend_from_precision(precision)
    if references is None:
        from numerics.limits import predict_limits

        limits = predict_limits(dataset.X, precision=None)
        references, metric = limits.directions(), limits.metric if metric is None else metric
    tr = run(dataset.X, opt, steps, loss=get_loss(loss), backend=bk, seed=seed, references=references,
             metric=metric, progress=progress, engine=engine)
    return {
        "dataset": dataset.name, "optimizer": opt.name, "hyper": dict(opt.hyper), "loss": tr.loss,
        "precision": bk.name, "engine": tr.engine, "seed": seed, "steps": int(tr.steps[-1]),
        "direction": tr.direction.tolist(), "norm": float(tr.norm[-1]), "log_loss": float(tr.log_loss[-1]),
        "margins": {k: float(v[-1]) for k, v in tr.margins.items()},
        "cos": {k: float(v[-1]) for k, v in tr.cos.items()},
        "trajectory": {"steps": tr.steps.tolist(), "log_loss": tr.log_loss.tolist(),
                       "cos": {k: v.tolist() for k, v in tr.cos.items()}},
    }
