"""Section 4, continued: the beta2 -> 1 limit (Prop. 4.1) and the two worked examples (Ex. 4.9, 4.11)."""

from __future__ import annotations

import numpy as np

from numerics.estimate import one_minus_cos
from numerics.optimizers import adam_proxy, epoch_map, inc_adam

from ._common import eta0, fixed_point, gaussian_default, gr_default, predictions, shifted_default, symbolic
from ._limits import direction_case, outcome
from .base import Context, Outcome, claim, skipped
from .decide import ACCURACY, RIVAL_FACTOR
from .section3 import _not_gr

BETA2S = (0.9, 0.99, 0.999, 0.9999)


@claim("prop-4.1", "As beta2 -> 1 the Inc-Adam epoch map becomes AdamProxy (beta1 drops out): its limit direction "
       "tends to AdamProxy's", "both")
def prop_4_1(ctx: Context, prediction=None) -> Outcome:
    """Prop. 4.1.

    Symbolic (theory/): the beta2 -> 1 limit of Eq. (2) is sqrt(N) sum_i grad L_i / sqrt(sum_i grad L_i^2),
    independent of beta1.  Numeric: the epoch map of Prop. 2.5 (beta1 = 0.9, data-scaled eta0) for 3e4 epochs
    (1e4 with --quick) at beta2 in (0.9, 0.99, 0.999, 0.9999); each limit direction is estimated (as in
    thm-4.8) and its distance D(beta2) (1 - cos) to the AdamProxy limit w*(c*) measured.
    Tolerance: D(beta2) is resolved (D >= 100x its resolution) at least from 0.9 to 0.999 and falls with
    1 - beta2 at least like (1 - beta2)^1 over the last resolved decade (values of D below their resolution
    at larger beta2 are consistent with D -> 0) (the bias of the limit is O(1 - beta2) in direction, so
    D = O((1 - beta2)^2); measured exponent 2.0).  A wrong beta2 -> 1 limit (the l2 direction, say) leaves D
    at a plateau (exponent ~0: fail below 0.5; inconclusive between).
    ``prediction``: a direction to measure D against instead of w*(c*) (negative control: a rival).
    """
    X = gaussian_default(ctx).X
    paper = fixed_point(ctx, X).direction
    T = ctx.steps(30_000, 10_000)
    cases = {f"beta2={b2}": direction_case(ctx, X, epoch_map(0.9, b2, eta0=eta0(X, "epoch-map")), T, prediction,
                                           "beta2->1", paper, {}, accuracy=ACCURACY["fixed_point"], linf=False)
             for b2 in BETA2S}
    D = {b2: c.decision.distance for b2, c in zip(BETA2S, cases.values())}
    res = {b2: c.decision.resolution for b2, c in zip(BETA2S, cases.values())}
    sym = _symbolic_limit()
    resolved = [b for b in BETA2S if D[b] >= RIVAL_FACTOR * res[b]]
    tiny = [b for b in BETA2S if b not in resolved and D[b] <= RIVAL_FACTOR * res[b]]  # below the resolution
    last = resolved[-2:]
    exponent = float(np.log10(D[last[0]] / D[last[1]]) / np.log10((1 - last[0]) / (1 - last[1]))) \
        if len(last) == 2 else np.nan
    decreasing = all(D[a] > D[b] for a, b in zip(resolved, resolved[1:]))
    if not sym:
        verdict, why = "fail", "the symbolic beta2 -> 1 limit of Eq. (2) did not verify"
    elif len(resolved) < 3 or resolved != list(BETA2S[:len(resolved)]):
        verdict, why = "inconclusive", f"D resolved only at beta2 = {resolved}"
    elif exponent >= 1 and decreasing:
        verdict, why = "pass", ""
    elif exponent < 0.5:
        verdict, why = "fail", f"D(beta2) plateaus (exponent {exponent:.2f} over the last resolved decade)"
    else:
        verdict, why = "inconclusive", f"exponent {exponent:.2f} between 0.5 and 1"
    if verdict == "pass" and tiny:
        why = f"D below the resolution at beta2 = {tiny} (consistent with D -> 0)"
    return Outcome(verdict, "D(beta2) -> 0 like (1-beta2)^p, p >= 1" + (" (symbolic limit verified)" if sym else ""),
                   ", ".join(f"D({b}) = {D[b]:.2g}" for b in BETA2S) + f"; exponent {exponent:.2f}",
                   "D resolved (>= 100x its resolution) from beta2 = 0.9 up; exponent >= 1 over the last resolved "
                   "decade", max(res.values()), {"D at the last resolved beta2 (a plateau stays)": D[resolved[-1]]
                                                 if resolved else np.nan},
                   {"D": D, "resolution": res, "exponent": exponent, "symbolic": sym}, why)


def _symbolic_limit() -> bool:
    """theory/'s exact check of the beta2 -> 1 limit of Eq. (2) (symbolic gradients, beta1)."""
    from theory.epoch_map import verify_beta2_limit

    return bool(verify_beta2_limit(3).ok)


@claim("ex-4.9", "GR data: D(c) is a multiple of I, so AdamProxy and Inc-Adam converge to the l2 max-margin "
       "direction", "both")
def ex_4_9(ctx: Context, prediction=None) -> Outcome:
    """Ex. 4.9.

    Symbolic (theory/): for x_i = alpha_i s_i, D(c) = sqrt(sum_j c_j^2 alpha_j^2) I for symbolic c, so P(c) is
    the hard-margin SVM and every w*(c) is the l2 direction.  Numeric: AdamProxy (1e5 steps) and Inc-Adam
    ((0.9, 0.999), 1e6 steps; --quick: 3e4 and 1e6), data-scaled eta0, limits estimated as in thm-4.8.
    Tolerance: the l2 direction within each estimate's resolution (plus the QP's 1e-12), the nearest l_inf
    max-margin solution at least 100x farther.  Skipped on data that are not GR.
    ``prediction``: a direction to test instead of l2 (negative controls: l_inf; and the same check on a
    non-GR perturbation of the data, where the limit leaves the l2 direction).
    """
    ds = gr_default(ctx)
    if why := _not_gr(ds):
        return skipped(why)
    return gr_limits(ctx, ds.X, prediction)


def gr_limits(ctx: Context, X: np.ndarray, prediction=None) -> Outcome:
    """ex-4.9's decision on any data (the claim itself only runs it on GR data; tests run it on a non-GR
    perturbation as a negative control)."""
    P = predictions(ctx, X)
    runs = {"adam-proxy": (adam_proxy(eta0(X, "adam-proxy")), ctx.steps(100_000, 30_000)),
            "inc-adam": (inc_adam(eta0=eta0(X, "inc-adam")), 1_000_000)}
    cases = {k: direction_case(ctx, X, opt, T, prediction, k, P.l2.direction, {}, accuracy=ACCURACY["qp"])
             for k, (opt, T) in runs.items()}
    sym = symbolic(lambda: _symbolic_scalar(X))
    return outcome(cases, "limits = l2 max-margin direction" + (" (D(c) scalar, symbolic)" if sym[0] == "pass" else ""),
                   f"l2 within the resolution; nearest l_inf solution >= {RIVAL_FACTOR:g}x farther",
                   {"symbolic": sym}, {"symbolic D(c) = scalar * I": sym})


def _symbolic_scalar(X: np.ndarray) -> bool:
    """theory/: D(c) is a scalar matrix for symbolic c on these data (rationalised: GR entries are short decimals)."""
    from theory import rationalize
    from theory.generalized_rademacher import verify_D_scalar

    return bool(verify_D_scalar(rationalize(X)).ok)


def _mechanism_index(X: np.ndarray) -> int | None:
    """The i* of Ex. 4.11's mechanism (M): <sign(x_i*), x_j> > ||x_i*||_1 for all j != i*, if some i* has it."""
    for i in range(X.shape[0]):
        s = np.sign(X[i])
        if np.all(s != 0) and all(s @ X[j] > np.abs(X[i]).sum() for j in range(X.shape[0]) if j != i):
            return i
    return None


@claim("ex-4.11", "Shifted-diagonal data: c = e_0 is an exact fixed point, w*(e_0) is the l_inf solution, and "
       "AdamProxy and Inc-Adam converge to it", "both")
def ex_4_11(ctx: Context, prediction=None) -> Outcome:
    """Ex. 4.11 (docs/math.md §5, §13.6: x_i = a_i e_i + b 1, 0 < a_0 < a_i, b > 0), or any data with the
    mechanism (M) <sign(x_i*), x_j> > ||x_i*||_1 (j != i*) for some i*; skipped on data without it.

    Symbolic (theory/): (M) holds, T(e_i*) = e_i* exactly and w*(e_i*) = sign(x_i*)/||x_i*||_1 = the l_inf
    solution.  Numeric: AdamProxy (1e5 steps) and Inc-Adam ((0.9, 0.999), 1e6 steps; --quick: 1e4 and
    3e5), data-scaled eta0, limits estimated as in thm-4.8 (from differences of iterates: Inc-Adam's first
    step already points at sign(x_0), which a raw direction would mistake for convergence).
    Tolerance: sign(x_i*) within each estimate's resolution (the prediction is exact: 1e-14), the l2 direction
    and w*(uniform c) at least 100x farther.
    ``prediction``: a direction to test instead of sign(x_i*) (negative controls: l2, perturbations).
    """
    X = shifted_default(ctx).X
    i_star = _mechanism_index(X)
    if i_star is None:
        return skipped("no sample has the l_inf mechanism of Ex. 4.11 (<sign(x_i), x_j> > ||x_i||_1 for all j != i)")
    P = predictions(ctx, X)
    from ._common import uniform_c_direction

    rivals = {"l2": P.l2.direction, "uniform-c": uniform_c_direction(X)}
    runs = {"adam-proxy": (adam_proxy(eta0(X, "adam-proxy")), ctx.steps(100_000, 10_000)),
            "inc-adam": (inc_adam(eta0=eta0(X, "inc-adam")), ctx.steps(1_000_000, 300_000))}
    cases = {k: direction_case(ctx, X, opt, T, prediction, k, np.sign(X[i_star]) / np.sqrt(X.shape[1]), rivals,
                               accuracy=ACCURACY["exact"], linf=False) for k, (opt, T) in runs.items()}
    sym = symbolic(lambda: _symbolic_shifted(X, i_star))
    return outcome(cases, f"limit = sign(x_{i_star}) (the l_inf solution, c* = e_{i_star})",
                   f"prediction within the resolution; rivals >= {RIVAL_FACTOR:g}x farther",
                   {"i_star": i_star, "symbolic": sym, "l2_vs_linf": one_minus_cos(P.l2.direction, np.sign(X[i_star]))},
                   {"symbolic mechanism and T(e_i*) = e_i*": sym})


def _symbolic_shifted(X: np.ndarray, i_star: int) -> bool:
    """theory/: the l_inf mechanism holds for sample i* and T(e_i*) = e_i* exactly (rationalised data)."""
    from theory import rationalize
    from theory.fixed_point import verify_fixed_point
    from theory.shifted_diagonal import linf_mechanism

    Xq = rationalize(X)
    e = [1 if i == i_star else 0 for i in range(X.shape[0])]
    return bool(linf_mechanism(Xq, i_star).holds) and bool(verify_fixed_point(Xq, e).ok)
