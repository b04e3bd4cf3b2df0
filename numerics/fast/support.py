"""What the compiled engine can run, decided without importing numba (``run(engine="auto")`` asks this)."""

from __future__ import annotations

import importlib.util

from ..backend import Backend
from ..losses import EXPONENTIAL, LOGISTIC, Loss
from ..optimizers.registry import Optimizer
from ..optimizers.transforms import SGD, Adam, AdamProxy, EpochMap, Signum

__all__ = ["unsupported", "HAVE_NUMBA", "COMPILED_TRANSFORMS"]

HAVE_NUMBA = importlib.util.find_spec("numba") is not None
#: transform types with a compiled kernel (numerics.fast.engine dispatches on these)
COMPILED_TRANSFORMS = (Adam, Signum, SGD, AdamProxy, EpochMap)
_FULL_BATCH_ONLY = (AdamProxy, EpochMap)


def unsupported(optimizer: Optimizer, loss: Loss = EXPONENTIAL, backend: Backend | None = None) -> str | None:
    """None if the compiled engine runs this optimizer, loss and backend, else the reason it cannot."""
    if not HAVE_NUMBA:
        return "numba is not installed"
    if backend is not None and not (backend.is_float or backend.words):
        return f"the compiled engine runs float64 and multi-word backends only (backend {backend.name})"
    if loss not in (EXPONENTIAL, LOGISTIC):
        return f"loss {loss.name!r} has no compiled kernel"
    transform = optimizer.transform
    if type(transform) not in COMPILED_TRANSFORMS:
        return f"transform {type(transform).__name__} of {optimizer.name!r} has no compiled kernel"
    if isinstance(transform, _FULL_BATCH_ONLY) and optimizer.sampler.mode != "full":
        return f"{type(transform).__name__} is defined on the full batch only"
    return None
