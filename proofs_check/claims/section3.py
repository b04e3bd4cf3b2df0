"""Section 3: Generalized Rademacher data (Cor. 3.2, Thm 3.3)."""

from __future__ import annotations

import numpy as np

from numerics.backend import FLOAT64
from numerics.losses import EXPONENTIAL
from numerics.maxmargin import l2_max_margin, linf_max_margin
from numerics.optimizers import c_inc, det_adam, epoch_map, inc_adam, sample_grads

from .base import Context, Outcome, claim, decreasing
from ._common import fmt, gr_default, simulate

ADAM_SETTINGS = ((0.9, 0.999), (0.5, 0.9), (0.0, 0.5))


def _not_gr(ds) -> str | None:
    if not getattr(ds.assumptions, "generalized_rademacher", False):
        return "the data are not Generalized Rademacher (Def. 3.1): |x_i[k]| must not depend on k"
    return None


def cor_3_2_weights(X: np.ndarray, w: np.ndarray, beta1: float, beta2: float) -> tuple[np.ndarray, np.ndarray]:
    """(a_j(w), D_i(w)) of Cor. 3.2 for GR data (exp loss, L = (1/N) sum_i L_i):
    a_j = C_inc ||grad L||_2 sum_i beta1^((i-j) mod N) / D_i,  D_i = sqrt(sum_j beta2^((i-j) mod N) l'_j^2 alpha_j^2).
    Computed relative to max_j |l'_j| (a_j is 0-homogeneous in the l'_j)."""
    N, d = X.shape
    alpha = np.abs(X[:, 0])
    u = -(X @ w)
    lp = np.exp(u - u.max())  # |l'_j| / max_j |l'_j|
    idx = (np.arange(N)[:, None] - np.arange(N)[None, :]) % N
    D = np.sqrt((beta2**idx) @ (lp**2 * alpha**2))
    grad = (lp @ X) / N
    a = c_inc(beta1, beta2, N) * np.linalg.norm(grad) * ((beta1**idx).T @ (1.0 / D))
    return a, D


def cor_3_2_bounds(X: np.ndarray, beta1: float, beta2: float) -> tuple[float, float]:
    """[c1, c2] of Cor. 3.2 (math.md §4): with S1 = (1 - beta1^N)/(1 - beta1),
    c1 = C_inc S1 gamma_2 / (N max alpha),  c2 = C_inc S1 sqrt(d/N) beta2^(-(N-1)/2)."""
    N, d = X.shape
    S1 = (1 - beta1**N) / (1 - beta1) if beta1 != 1 else N
    C = c_inc(beta1, beta2, N)
    return (C * S1 * l2_max_margin(X).margin / (N * np.max(np.abs(X))),
            C * S1 * np.sqrt(d / N) * beta2 ** (-(N - 1) / 2))


@claim("cor-3.2", "On GR data the Cor. 3.2 weights a_i(r) stay within [c1, c2] along Inc-Adam", "numeric")
def cor_3_2(ctx: Context, prediction=None) -> Outcome:
    """Cor. 3.2, Eq. (3).

    Algorithm: Inc-Adam on GR data for each (beta1, beta2) in ADAM_SETTINGS; at log-spaced epoch
    starts w^r_0 compute a_j(r) (formula in :func:`cor_3_2_weights`), check that
    sum_j a_j grad L_j / ||grad L|| equals the Eq. (2) update of the epoch map (the identity behind
    Eq. (3)), and that c1 <= a_j(r) <= c2 with the bounds of :func:`cor_3_2_bounds`.
    Tolerance: the identity to 1e-12 relative (float64 rounding of N^2 terms); the bounds are exact
    inequalities, allowed 1e-12 relative rounding.
    ``prediction``: a pair (c1, c2) to test instead (negative control).
    """
    ds = gr_default(ctx)
    if (why := _not_gr(ds)):
        return Outcome(False, "-", "-", "-", skipped=why)
    X = ds.X
    N = X.shape[0]
    T = ctx.steps(50_000, 5_000)
    marks = tuple(sorted({max(N, (t // N) * N) for t in np.logspace(1, np.log10(T), 25).astype(int)}))
    rows, ok = {}, True
    for b1, b2 in ADAM_SETTINGS:
        c1, c2 = cor_3_2_bounds(X, b1, b2) if prediction is None else prediction
        tr = simulate(ctx, X, inc_adam(b1, b2), T, checkpoints=marks)
        lo, hi, ident = np.inf, 0.0, 0.0
        for w in tr.w:
            a, _ = cor_3_2_weights(X, w, b1, b2)
            lo, hi = min(lo, a.min()), max(hi, a.max())
            grads = sample_grads(FLOAT64, EXPONENTIAL, X, w, None)
            upd, _ = epoch_map(b1, b2).transform.update(FLOAT64, grads, None)
            s, G = grads.per_sample(FLOAT64)  # grad L_j = e^s G_j
            eq3 = (a @ G) / np.linalg.norm(G.mean(axis=0))
            ident = max(ident, float(np.max(np.abs(eq3 - upd)) / np.max(np.abs(upd))))
        good = c1 * (1 - 1e-12) <= lo and hi <= c2 * (1 + 1e-12) and ident < 1e-12
        rows[f"b1={b1} b2={b2}"] = {"min_a": lo, "max_a": hi, "c1": c1, "c2": c2, "identity_error": ident}
        ok &= good
    worst = min(rows.values(), key=lambda r: min(r["min_a"] / r["c1"], r["c2"] / r["max_a"]))
    return Outcome(ok, "c1 <= a_j(r) <= c2 and Eq. (3) = Eq. (2)",
                   f"tightest: a in [{fmt(worst['min_a'])}, {fmt(worst['max_a'])}] vs "
                   f"[{fmt(worst['c1'])}, {fmt(worst['c2'])}]", "bounds exact; identity to 1e-12",
                   {"runs": rows, "steps": T})


@claim("thm-3.3", "On GR data Inc-Adam -> l2 max-margin direction for several beta1 <= beta2, Det-Adam -> l_inf",
       "numeric")
def thm_3_3(ctx: Context, prediction=None) -> Outcome:
    """Thm 3.3 (and Zhang et al. 2024 for Det-Adam).

    Algorithm: Inc-Adam for (beta1, beta2) in ADAM_SETTINGS and Det-Adam (0.9, 0.999), eta_t =
    0.1 (t+2)^(-1/2), from w0 = 0 on GR data.
    Tolerance: Inc-Adam: 1 - cos(w_T, w_2) <= 50/T and decreasing
    (measured ~1/t on the default data: 1.4e-4, 4e-5, 6e-5 at T = 1e5, so 50/T = 5e-4 leaves a
    3-10x margin).  Det-Adam: relative l_inf margin gap (gamma_inf - margin_inf(w_T))/gamma_inf
    <= 0.2 and decreasing over the last decade, while its 1 - cos to w_2 stays >= 10x Inc-Adam's
    (measured 0.027 and 0.126 vs 1.4e-4 at T = 1e5; 0.091 and 0.115 vs 1.4e-3 at 2e4).  The l_inf solution can be non-unique, hence margins.
    ``prediction``: a direction to test Inc-Adam against instead of w_2 (negative control).
    """
    ds = gr_default(ctx)
    if (why := _not_gr(ds)):
        return Outcome(False, "-", "-", "-", skipped=why)
    X = ds.X
    l2, li = l2_max_margin(X), linf_max_margin(X)
    target = l2.direction if prediction is None else np.asarray(prediction, float) / np.linalg.norm(prediction)
    T = ctx.steps(100_000, 20_000)
    runs, ok = {}, True
    worst_inc = 0.0
    for b1, b2 in ADAM_SETTINGS:
        tr = simulate(ctx, X, inc_adam(b1, b2), T, {"target": target, "l2": l2.direction})
        g = tr.one_minus_cos("target")
        runs[f"inc-adam b1={b1} b2={b2}"] = {"one_minus_cos": float(g[-1]), "steps": tr.steps, "curve": g}
        ok &= g[-1] <= 50 / T and decreasing(g)
        worst_inc = max(worst_inc, float(tr.one_minus_cos("l2")[-1]))
    tr = simulate(ctx, X, det_adam(), T, {"l2": l2.direction})
    gap = (li.margin - tr.margins["linf"]) / li.margin
    det_l2 = float(tr.one_minus_cos("l2")[-1])
    ok &= gap[-1] <= 0.2 and decreasing(gap) and det_l2 >= 10 * worst_inc
    runs["det-adam"] = {"rel_linf_gap": float(gap[-1]), "one_minus_cos_l2": det_l2, "curve": gap}
    inc = max(v["one_minus_cos"] for k_, v in runs.items() if k_.startswith("inc"))
    return Outcome(ok, "Inc-Adam -> l2; Det-Adam -> l_inf",
                   f"Inc-Adam worst 1-cos {fmt(inc)}; Det-Adam l_inf gap {fmt(gap[-1])}, 1-cos to l2 {fmt(det_l2)}",
                   f"Inc-Adam 1-cos <= 50/T = {fmt(50 / T)}; Det-Adam gap <= 0.2, decreasing, 1-cos to l2 >= 10x", {"runs": runs})
