"""The compiled engine (numba) behind ``numerics.optimizers.run(..., engine="auto" | "compiled")``.

``support.unsupported`` says, without importing numba, whether a run can be compiled;
``engine.run_compiled`` runs a prepared plan on the kernels of ``kernels``.  Nothing here is an
entry point of its own: call :func:`numerics.optimizers.run`.
"""

from .support import HAVE_NUMBA, unsupported

__all__ = ["HAVE_NUMBA", "unsupported"]
