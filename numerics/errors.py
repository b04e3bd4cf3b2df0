"""Error types of the toolkit.

Every failure a user can cause (bad data, bad hyperparameters) or that the
mathematics can cause (a solver that does not reach optimality, a fixed-point
iteration that does not converge) is one of these.  The CLI turns any
``ToolkitError`` into a one-line message and a non-zero exit code; a bare
traceback means a bug.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """Base class: a user-facing failure with a one-line explanation."""


class DatasetError(ToolkitError, ValueError):
    """Malformed or unsuitable data (shape, NaN/inf, labels, separability)."""


class HyperparameterError(ToolkitError, ValueError):
    """An optimizer or schedule setting outside its admissible range."""


class SolverError(ToolkitError, RuntimeError):
    """A convex solve that failed or is not accurate enough to be trusted."""


class SingularMetricError(SolverError):
    """D(c) of Def. 4.6 is singular at some coordinates (every sample c weighs is 0 there): P(c) and Thm 4.8's
    prediction do not apply; numerics.fixed_point.degenerate does (``coordinates``: the singular ones)."""

    def __init__(self, message: str, coordinates=(), support=None):
        super().__init__(message)
        self.coordinates = tuple(int(k) for k in coordinates)
        #: the support an iteration had reached when D(c) turned singular (Algorithm 3), None if not known
        self.support = None if support is None else tuple(int(i) for i in support)


class ConvergenceError(ToolkitError, RuntimeError):
    """An iteration (Algorithm 3, Newton) that did not converge; never a silent last iterate."""


class RangeError(ToolkitError, ArithmeticError):
    """A float64 quantity left the representable range (e.g. margins above 1e308): use mpmath."""


class PrecisionLossError(ToolkitError, ArithmeticError):
    """A run whose updates lost precision in some coordinates (``Trajectory.lost``): its numbers are not the
    algorithm's, so no verdict may rest on them."""


class ConfigError(ToolkitError, ValueError):
    """A configuration or usage error: a bad sweep file, an output path that cannot be used (one line)."""
