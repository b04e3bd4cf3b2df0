"""What a compiled batch kernel needs from a run plan, for every compiled engine (float64 and multi-word).

The transform's frozen fields become the kernel's constants (dispatch on its type), the sampler's mode the
kernel's batch mode, and a random order a block index stream; the codes are those of :mod:`.kernels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..optimizers.plan import RunPlan
from ..optimizers.transforms import Adam, Signum

__all__ = ["BatchPlan", "batch_plan", "ADAM", "SIGNUM", "SGD", "FULL", "CYCLIC", "EXPLICIT"]

# transform kinds and batch modes of the batch kernels (numerics.fast.kernels, numerics.multiword.kernels)
ADAM, SIGNUM, SGD = 0, 1, 2
FULL, CYCLIC, EXPLICIT = 0, 1, 2


@dataclass(frozen=True)
class BatchPlan:
    kind: int
    beta1: float  # Signum's beta
    beta2: float
    decay: float
    mode: int
    bsize: int
    stream: Any  # numerics.fast.indices stream for random orders, else None
    no_idx: np.ndarray
    eta0: float
    a: float
    loss_code: int

    def indices(self, k: int) -> np.ndarray:
        """The rows of the next k steps (random orders), else an empty index block."""
        return self.stream.take(k) if self.stream is not None else self.no_idx


def batch_plan(plan: RunPlan) -> BatchPlan:
    tr, sampler = plan.optimizer.transform, plan.optimizer.sampler
    N = plan.X.shape[0]
    if isinstance(tr, Adam):
        kind, b1, b2, decay = ADAM, tr.beta1, tr.beta2, tr.decay
    elif isinstance(tr, Signum):
        kind, b1, b2, decay = SIGNUM, tr.beta, 0.0, tr.decay
    else:
        kind, b1, b2, decay = SGD, 0.0, 0.0, 0.0
    mode = {"full": FULL, "cyclic": CYCLIC}.get(sampler.mode, EXPLICIT)
    bsize = N if sampler.mode == "full" else int(sampler.batch_size)
    stream = None
    if mode == EXPLICIT:
        from .indices import index_stream

        stream = index_stream(sampler, N, plan.seed, plan.steps)
    sched = plan.optimizer.schedule
    return BatchPlan(kind, b1, b2, decay, mode, bsize, stream, np.zeros((0, max(bsize, 1)), dtype=np.int64),
                     float(sched.eta0), float(sched.a), plan.loss.code)
