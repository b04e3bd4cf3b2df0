"""Beyond the paper: AdamProxy's limit where D(c*) is singular (the limit by levels, docs/math.md §13.8)."""

from __future__ import annotations

import dataclasses

import numpy as np

from numerics.limits import Failure
from numerics.optimizers import adam_proxy

from ._common import eta0, limit, predictions
from ._limits import direction_case, outcome
from .base import Context, Outcome, claim, skipped
from .decide import ACCURACY, RIVAL_FACTOR, SAME_ANSWER

#: the checked run's schedule: eta_t = eta0 (t + 2)^-CHECK_A with half the data-scaled eta0, both unlike the
#: structure run's (a = 0.2, full eta0: numerics.fixed_point.degenerate_search), so that the run that proposes
#: the levels is not the run that tests them; a < 1/2 because with a = 1/2 the deciding feeders of the
#: coordinates fed off the support can still be changing at 1e7 steps (docs/math.md §13.8)
CHECK_A = 0.1


def default_data(ctx: Context):
    """sparse_planted(): 60 x 10, 71% zeros, D(c*) singular at five coordinates, four levels."""
    if ctx.data is not None:
        return ctx.data
    from numerics.datasets import sparse_planted
    return sparse_planted()


def level_rivals(X: np.ndarray, dl, l2: np.ndarray) -> dict[str, np.ndarray]:
    """Plausible wrong answers for the limit by levels: l2; the coordinates no support vector feeds frozen at 0
    (what an engine that loses their tiny gradients reports, and Thm 4.8's D(c*) > 0 picture); each coordinate
    decided off the support set to the sign of its single smallest-margin feeder (levels without ties); the
    levels' weights replaced by uniform ones.  A rival equal to the prediction on these data is left out."""
    from numerics.fixed_point.degenerate import level_vector

    u = np.asarray(dl.direction, float)
    v = level_vector(X, dl.levels, dl.c)
    out = {"l2": np.asarray(l2, float)}
    frozen = v.copy()
    frozen[list(dl.singular)] = 0.0
    if np.any(frozen):
        out["singular coordinates frozen"] = frozen
    z = X @ v
    signs = v.copy()
    for k, lev in enumerate(dl.decided_by):
        if lev >= 1:
            rows = np.flatnonzero(X[:, k] != 0)
            signs[k] = np.sign(X[rows[np.argmin(z[rows])], k])
    out["one feeder per coordinate (no ties)"] = signs
    uniform = np.zeros(X.shape[0])
    for lv in dl.levels:
        uniform[list(lv)] = 1.0 / len(lv)
    out["uniform weights on the levels"] = level_vector(X, dl.levels, uniform)
    out = {k: w / np.linalg.norm(w) for k, w in out.items()}
    return {k: w for k, w in out.items() if 1 - float(w @ u) > SAME_ANSWER}


@claim("degenerate", "Beyond the paper: where D(c*) is singular (every support vector 0 at some fed coordinate), "
       "AdamProxy's limit is the solution by levels", "numeric")
def degenerate(ctx: Context, prediction=None) -> Outcome:
    """The limit by levels (docs/math.md §13.8; derived in the toolkit, not in the paper): AdamProxy's update is
    0-homogeneous in each coordinate's own feeders, so a coordinate that is 0 on every support vector is decided
    by its feeders of smallest margin (a level above the support), and w_hat ∝ v with v_k = sum_{T_k} c_j x_jk /
    sqrt(sum_{T_k} c_j^2 x_jk^2); c and the levels' margins solve a square system (Newton), the levels' structure
    is proposed by an AdamProxy run (eta_t ~ (t+2)^-0.2) and checked on the solution.

    Algorithm: on sparse_planted() (60 x 10, 71% zeros; or --data where Thm 4.8's D(c*) is singular), AdamProxy
    (Def. 4.2) from w0 = 0 with eta_t = eta0 (t+2)^-0.1, eta0 half the data-scaled one (a schedule unlike the
    structure run's), T = 4e6 steps (1e6 with --quick); the limit estimated as in thm-4.8.
    Tolerance: the estimate's error bar plus the prediction's accuracy (1e-12 in direction: |residual| < 1e-13
    on margins of order 1); PASS needs every rival (l2; the singular coordinates frozen at 0; one feeder per
    coordinate, no ties; uniform weights on the levels; the nearest l_inf solution) at least 100x farther.  A
    run whose current deciding feeders differ from those its own estimated limit gives some coordinate is not
    yet in its asymptotic regime: inconclusive, with the margin still to make up (never FAIL on a transient).
    ``prediction``: a direction to test instead (negative controls: the rivals, the prediction perturbed).
    """
    from numerics.fixed_point.levels import pending_crossovers

    X = default_data(ctx).X
    P = predictions(ctx, X)
    dl = P.degenerate
    if dl is None:
        return skipped("Thm 4.8 applies to these data (D(c*) > 0 or no zero entry): thm-4.8 checks them")
    if isinstance(dl, Failure):
        return Outcome("error", "-", "-", "-", reason=f"the limit by levels could not be computed: {dl.reason}")
    if not dl.singular:
        return skipped("D(c*) > 0 on these data: the levels reduce to the Thm 4.8 fixed point (thm-4.8 checks it)")
    opt = adam_proxy(0.5 * eta0(X, "adam-proxy"), CHECK_A)
    T = ctx.steps(4_000_000, 1_000_000)
    case = direction_case(ctx, X, opt, T, prediction, "adam-proxy", dl.direction, level_rivals(X, dl, P.l2.direction),
                          accuracy=ACCURACY["fixed_point"])
    out = outcome({"adam-proxy": case}, "AdamProxy's limit = the solution by levels",
                  f"prediction within the resolution; rivals >= {RIVAL_FACTOR:g}x farther",
                  {"levels": [list(lv) for lv in dl.levels], "level_margins": list(dl.margins),
                   "singular_coordinates": list(dl.singular), "c": dl.c, "min_slack": dl.min_slack,
                   "schedule": f"eta0 (t+2)^-{CHECK_A}"})
    tr, est = limit(ctx, X, opt, T)
    pending = pending_crossovers(X, tr.w[-1], est.direction) if est.resolved else []
    if pending and out.verdict in ("pass", "fail"):
        worst = max(pending, key=lambda p: p.get("gap", np.inf))
        return dataclasses.replace(out, verdict="inconclusive", details={**out.details, "pending": pending},
                                   reason=f"not yet asymptotic: {len(pending)} coordinate(s) still decided by another "
                                          f"feeder than their limit's (coordinate {worst['coordinate']}: margin "
                                          f"{worst.get('gap', float('nan')):.3g} to make up); "
                                          f"the {out.verdict} would rest on a transient")
    return out
