"""A fast float64 engine: :func:`run_fast` is :func:`numerics.optimizers.run` with the per-step loop
compiled by numba (optional dependency; without it ``run_fast`` runs the plain loop with a warning).

>>> from numerics.fast import run_fast
>>> from numerics.optimizers import inc_adam
"""

from .engine import HAVE_NUMBA, FastEngineWarning, run_fast, supports

__all__ = ["run_fast", "supports", "HAVE_NUMBA", "FastEngineWarning"]
