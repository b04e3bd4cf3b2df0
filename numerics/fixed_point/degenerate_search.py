"""The level structure of a degenerate AdamProxy limit, read off a fast-schedule AdamProxy run (docs/math.md §13.8).

The level equations of :mod:`numerics.fixed_point.degenerate` are square once the structure is known (which
samples tie, at which level, for which coordinate); the structure itself is combinatorial, as the support is
for Thm 4.8 (there Algorithm 3 supplies it, here Algorithm 3 stops where D(c) turns singular).  It is read off
the estimated limit of one AdamProxy run whose schedule reaches the asymptotic regime fast: eta_t = eta0
(t + 2)^(-a) with a = ``STRUCTURE_A`` = 0.2, so ||w_t|| ~ t^0.8 (1e5 times eta0 at 1e6 steps) instead of
t^0.5: a coordinate changes its deciding feeder when g(t) times the limit margin gap overtakes the offsets
of order log t, and with a = 1/2 that can take longer than any affordable run (measured: 1 - cos 9e-7 between
the a = 1/2 run at 8e6 steps and the limit, an estimate "resolved" at 1e-14 on a transient).  Thm 4.8 and the
derivation of the levels hold for every a in (0, 1].  The run only proposes the structure: the values come
from Newton on the level equations and every condition of the limit is checked on them.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConvergenceError
from .degenerate import DegenerateLimit, degenerate_limit

__all__ = ["STRUCTURE_A", "STRUCTURE_STEPS", "structure_steps", "degenerate_prediction"]

#: the schedule exponent of the structure run (module docstring)
STRUCTURE_A = 0.2
#: the structure run's length: 1e6 AdamProxy steps (12 s on N x d = 360 x 64), fewer on larger data (a step costs
#: O(N d)): at most STRUCTURE_WORK / (N d) steps, at least 1e5 (then an unresolved run says so)
STRUCTURE_STEPS = 1_000_000
STRUCTURE_WORK = 3e10


def structure_steps(N: int, d: int) -> int:
    """The structure run's default length for N x d data (STRUCTURE_STEPS, STRUCTURE_WORK)."""
    return int(min(STRUCTURE_STEPS, max(100_000, STRUCTURE_WORK / (N * d))))


def degenerate_prediction(X: np.ndarray, *, steps: int | None = None, a: float = STRUCTURE_A,
                          progress: bool | None = False) -> DegenerateLimit:
    """The AdamProxy limit of data X by levels: the structure from an AdamProxy run (module docstring), the values
    from the level equations.  The margins' tolerance for reading ties is 1e3 sqrt(resolution) of the run's
    estimate (its direction error, amplified by at most ~1e3 in relative margins on data with bounded rows),
    at least 1e-6.  Raises ConvergenceError when the run's estimate is not resolved or the levels do not solve."""
    from ..estimate import estimate_limit, limit_checkpoints
    from ..optimizers import adam_proxy, run
    from ..schedules import eta0_for_data

    X = np.asarray(X, float)
    steps = structure_steps(*X.shape) if steps is None else int(steps)
    tr = run(X, adam_proxy(eta0_for_data(X, "adam-proxy"), a), steps, checkpoints=limit_checkpoints(steps),
             progress=progress).require_exact()
    est = estimate_limit(tr.steps, tr.w, X=X)
    if not est.resolved:
        raise ConvergenceError(f"degenerate limit: the structure run ({steps} AdamProxy steps, a = {a}) did not "
                               f"settle: {est.reason}")
    tol = max(1e-6, 1e3 * float(np.sqrt(est.resolution)))
    out = degenerate_limit(X, direction=est.direction, iterate=tr.w[-1], tol=tol)
    note = (f"level structure read off AdamProxy, eta_t = {tr.hyper['eta0']:.3g} (t + 2)^-{a}, {steps} steps "
            f"(estimate resolution {est.resolution:.1e}); values from the level equations")
    return DegenerateLimit(**{**out.__dict__, "notes": out.notes + (note,)})
