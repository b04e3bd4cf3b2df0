"""Section 3: Generalized Rademacher data (Cor. 3.2, Thm 3.3); the l_inf margin estimate shared with Section 5."""

from __future__ import annotations

import numpy as np

from numerics.backend import FLOAT64
from numerics.estimate import ValueEstimate, estimate_value, limit_checkpoints
from numerics.losses import EXPONENTIAL
from numerics.optimizers import c_inc, det_adam, epoch_map, inc_adam, sample_grads

from ._common import eta0, fmt, gr_default, predictions, simulate
from ._limits import direction_case, outcome
from .base import Context, Outcome, claim, skipped
from .decide import ACCURACY, RIVAL_FACTOR

ADAM_SETTINGS = ((0.9, 0.999), (0.5, 0.9), (0.0, 0.5))


def _not_gr(ds) -> str | None:
    if not getattr(ds.assumptions, "generalized_rademacher", False):
        return "the data are not Generalized Rademacher (Def. 3.1): |x_i[k]| must not depend on k"
    return None


def linf_gap_limit(ctx: Context, X: np.ndarray, opt, steps: int) -> tuple[ValueEstimate, callable]:
    """The limit of the relative l_inf margin gap (gamma_inf - margin_inf(u)) / gamma_inf along a run, u the
    estimated limit direction per octave (numerics.estimate.estimate_value), and the gap function itself.
    Margins, not directions: the l_inf minimiser need not be unique (docs/math.md §12)."""
    gamma = predictions(ctx, X).linf.margin
    gap = lambda u: (gamma - float(np.min(X @ u)) / float(np.max(np.abs(u)))) / gamma  # noqa: E731
    tr = simulate(ctx, X, opt, steps, checkpoints=limit_checkpoints(steps))
    return estimate_value(tr.steps, tr.w, gap), gap


def cor_3_2_weights(X: np.ndarray, w: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """a_j(w) of Cor. 3.2 for GR data (exp loss, L = (1/N) sum_i L_i):
    a_j = C_inc ||grad L||_2 sum_i beta1^((i-j) mod N) / D_i,  D_i = sqrt(sum_j beta2^((i-j) mod N) l'_j^2 alpha_j^2),
    relative to max_j |l'_j| (a_j is 0-homogeneous in the l'_j)."""
    N = X.shape[0]
    alpha = np.abs(X[:, 0])
    u = -(X @ w)
    lp = np.exp(u - u.max())
    idx = (np.arange(N)[:, None] - np.arange(N)[None, :]) % N
    D = np.sqrt((beta2**idx) @ (lp**2 * alpha**2))
    grad = (lp @ X) / N
    return c_inc(beta1, beta2, N) * np.linalg.norm(grad) * ((beta1**idx).T @ (1.0 / D))


def cor_3_2_bounds(X: np.ndarray, beta2: float, gamma2: float) -> tuple[float, float]:
    """[c1, c2] of Cor. 3.2, from theory.generalized_rademacher.cor32_bounds (exact, then evaluated)."""
    from theory.generalized_rademacher import cor32_bounds

    N, d = X.shape
    c1, c2 = cor32_bounds(N, d, beta2, gamma2, float(np.max(np.abs(X))))
    return float(c1), float(c2)


@claim("cor-3.2", "On GR data the Cor. 3.2 weights a_i(r) stay within [c1, c2] along Inc-Adam and Eq. (3) is "
       "Eq. (2)", "numeric")
def cor_3_2(ctx: Context, prediction=None) -> Outcome:
    """Cor. 3.2, Eq. (3).

    Algorithm: Inc-Adam on GR data for each (beta1, beta2) in ADAM_SETTINGS (data-scaled eta0, T = 5e4 steps,
    5e3 with --quick); at log-spaced epoch starts w^r_0 compute a_j(r) (:func:`cor_3_2_weights`), check the
    identity sum_j a_j grad L_j / ||grad L|| = the Eq. (2) update of the epoch map, and c1 <= a_j(r) <= c2
    with theory's exact bounds (:func:`cor_3_2_bounds`: c1 uses separability, c2 the beta2 weights).
    Tolerance: the identity to 1e-12 relative (float64 rounding of N^2 terms); the bounds are exact
    inequalities, allowed 1e-12 relative rounding.  Exact checks: no resolution.
    ``prediction``: an interval (c1, c2) to test instead (negative control: the plausible simplification that
    Inc-Adam on GR data is normalised GD with equal weights, a_j(r) = const, i.e. [mean a, mean a]).
    """
    ds = gr_default(ctx)
    if why := _not_gr(ds):
        return skipped(why)
    X = ds.X
    N = X.shape[0]
    T = ctx.steps(50_000, 5_000)
    marks = tuple(sorted({max(N, (t // N) * N) for t in np.logspace(1, np.log10(T), 25).astype(int)}))
    gamma2 = predictions(ctx, X).l2.margin
    rows, ok = {}, True
    for b1, b2 in ADAM_SETTINGS:
        tr = simulate(ctx, X, inc_adam(b1, b2, eta0=eta0(X, "inc-adam")), T, checkpoints=marks)
        A = np.array([cor_3_2_weights(X, w, b1, b2) for w in tr.w])
        c1, c2 = cor_3_2_bounds(X, b2, gamma2) if prediction is None else prediction(A) if callable(prediction) \
            else prediction
        ident = 0.0
        for w in tr.w:
            grads = sample_grads(FLOAT64, EXPONENTIAL, X, w, None)
            upd, _, _ = epoch_map(b1, b2).transform.update(FLOAT64, grads, None)
            _, G = grads.per_sample(FLOAT64)
            eq3 = (cor_3_2_weights(X, w, b1, b2) @ G) / np.linalg.norm(G.mean(axis=0))
            ident = max(ident, float(np.max(np.abs(eq3 - upd)) / np.max(np.abs(upd))))
        good = c1 * (1 - 1e-12) <= A.min() and A.max() <= c2 * (1 + 1e-12) and ident < 1e-12
        rows[f"b1={b1} b2={b2}"] = {"min_a": A.min(), "max_a": A.max(), "c1": c1, "c2": c2, "identity_error": ident}
        ok &= good
    worst = min(rows.values(), key=lambda r: min(r["min_a"] / r["c1"], r["c2"] / r["max_a"]))
    return Outcome("pass" if ok else "fail", "c1 <= a_j(r) <= c2 and Eq. (3) = Eq. (2)",
                   f"tightest: a in [{fmt(worst['min_a'])}, {fmt(worst['max_a'])}] vs "
                   f"[{fmt(worst['c1'])}, {fmt(worst['c2'])}]", "bounds exact (1e-12 rounding); identity to 1e-12",
                   details={"runs": rows, "steps": T}, reason="" if ok else "a bound or the identity is violated",
                   unit="exact")


@claim("thm-3.3", "On GR data Inc-Adam -> l2 max-margin direction for several beta1 <= beta2; Det-Adam -> the "
       "l_inf max margin", "numeric")
def thm_3_3(ctx: Context, prediction=None) -> Outcome:
    """Thm 3.3 (and Zhang et al. 2024 for Det-Adam).

    Algorithm: Inc-Adam for (beta1, beta2) in ADAM_SETTINGS (1e6 steps, also with --quick) and Det-Adam
    (0.9, 0.999) (1e6, also with --quick: shorter runs do not resolve its margin), data-scaled eta0, from w0 = 0 on GR data; limit directions estimated from
    differences of iterates (numerics.estimate), Det-Adam's limit by its l_inf margin (the l_inf minimiser
    need not be unique).
    Tolerance: Inc-Adam: the l2 direction within each estimate's resolution (plus the QP's 1e-12), the
    nearest l_inf max-margin solution at least 100x farther.  Det-Adam: its limit relative l_inf margin gap
    0 within the error bar, the l2 direction's gap (the rival) at least 100x the error bar.
    ``prediction``: a direction to test Inc-Adam against instead of l2 (negative controls: l_inf, perturbed l2).
    """
    ds = gr_default(ctx)
    if why := _not_gr(ds):
        return skipped(why)
    X = ds.X
    P = predictions(ctx, X)
    T = 1_000_000  # also with --quick: shorter runs end in the samples' weights' transient (0.3 s each)
    cases = {}
    for b1, b2 in ADAM_SETTINGS:
        name = f"inc-adam b1={b1} b2={b2}"
        cases[name] = direction_case(ctx, X, inc_adam(b1, b2, eta0=eta0(X, "inc-adam")), T, prediction, name,
                                     P.l2.direction, {}, accuracy=ACCURACY["qp"])
    est, gap = linf_gap_limit(ctx, X, det_adam(eta0=eta0(X, "det-adam")), ctx.steps(1_000_000, 1_000_000))
    rival = gap(P.l2.direction)
    if not est.resolved:
        det = ("inconclusive", f"Det-Adam's margin not resolved: {est.reason}")
    elif abs(est.value) > est.error:
        det = ("fail", f"Det-Adam's l_inf gap {est.value:.2g} +- {est.error:.1g} excludes 0")
    elif rival < RIVAL_FACTOR * est.error:
        det = ("inconclusive", f"Det-Adam's error bar {est.error:.1g} too wide against the l2 gap {rival:.2g}")
    else:
        det = ("pass", "")
    out = outcome(cases, "Inc-Adam -> l2 (every beta1 <= beta2); Det-Adam -> l_inf margin",
                  f"prediction within the resolution; rivals >= {RIVAL_FACTOR:g}x farther",
                  {"det_adam_linf_gap": est.as_dict(), "l2_linf_gap": rival},
                  {"Det-Adam -> l_inf margin": det})
    return out
