"""Section 4: AdamProxy, the parametric problem P(c) and its fixed point (Prop. 4.1 - Ex. 4.11)."""

from __future__ import annotations

import numpy as np

from numerics.maxmargin import mahalanobis_max_margin, preconditioner_diag
from numerics.optimizers import adam_proxy, inc_adam, minibatch_adam

from .base import Context, Outcome, claim, decreasing, last_decade_rate
from ._common import fmt, gaussian_default, predictions, shifted_default, simulate
from ._common import refs as _refs


@claim("thm-4.8", "Algorithm 3 reaches a fixed point c* of T and AdamProxy's limit direction is w*(c*)", "numeric")
def thm_4_8(ctx: Context, prediction=None) -> Outcome:
    """Thm 4.8 (c), (d).

    Algorithm: Algorithm 3 from uniform c, Newton refinement at 50 digits (residual, positive
    multipliers, strictly inactive non-support constraints, LICQ); then AdamProxy (Def. 4.2,
    eta_t = 0.1 (t+2)^(-1/2)) for T steps, 1 - cos(w_t, w*(c*)) at log-spaced checkpoints.
    Tolerance: over the last decade 1 - cos decays at least like t^(-1/2) (fitted exponent
    <= -0.5) and ends <= 1e-2: the limit is approached, not a plateau near it.  Expected rate:
    w_t = g(t) w_hat + rho(t) with ||rho|| = O(log t) and g ~ sqrt(t), so 1 - cos = O(log^2 t / t);
    measured exponents -1.0 on the default data (2.7e-5 at T = 1e5) and -0.93 on a 6 x 12
    Gaussian set with an inactive constraint (6.9e-4 at 1e5).  A wrong c gives a plateau at
    1 - cos(w*(c), w*(c*)) > 0, i.e. an exponent near 0.
    ``prediction``: a c on the simplex to predict with instead of c* (negative control).
    """
    X = gaussian_default(ctx).X
    P = predictions(X)
    fp = P.adam_proxy.solution
    c = fp.c_float if prediction is None else np.asarray(prediction, float)
    target = mahalanobis_max_margin(X, c).direction
    T = ctx.steps(100_000, 10_000)
    tr = simulate(ctx, X, adam_proxy(), T, {"pred": target})
    gap = tr.one_minus_cos("pred")
    rate = last_decade_rate(tr.steps, gap)
    ok = fp.refined and rate <= -0.5 and gap[-1] <= 1e-2
    return Outcome(ok, "AdamProxy direction -> w*(c*)/||w*(c*)||",
                   f"1-cos = {fmt(gap[-1])} at t = {T}, decaying like t^{rate:.2f} (Alg. 3: {fp.iterations} it., "
                   f"Newton residual {float(fp.residual):.1e})", "exponent <= -0.5 over the last decade, 1-cos <= 1e-2",
                   {"steps": tr.steps, "one_minus_cos": gap, "c_star": fp.c_float, "support": fp.support,
                    "rate": rate, "licq": fp.licq,
                    "min_multiplier": float(fp.min_multiplier), "min_slack": float(fp.min_slack)})


@claim("ex-4.10", "Gaussian N = 10: AdamProxy, Inc-Adam, batch-1 Adam (replacement, reshuffling) approach the "
       "fixed point, which differs from l2 and l_inf", "numeric")
def ex_4_10(ctx: Context, prediction=None) -> Outcome:
    """Ex. 4.10 (Figs. 1, 3).

    Algorithm: the Thm 4.8 fixed point (Algorithm 3 + Newton) and four optimizers from w0 = 0 with
    (beta1, beta2) = (0.9, 0.999); AdamProxy with eta0 = 0.1 for T/2 steps, the batch-1 Adam variants
    with eta0 = 0.01 for T steps (T = 2e5, 5e4 with --quick).  Why eta0 = 0.01: Adam's v must
    remember gradients that changed little (Lemma D.2; see prop-2.4); with eta0 = 0.1 the
    variants are still in transit at 2e5 steps (measured 1-cos ~5e-3 to the fixed point vs 2.5e-2
    to l2), with 0.01 they reach 3.7e-4 - 5.8e-4 (5e4 steps: 1.7e-3 - 2.7e-3).
    Tolerance: the fixed point differs from the l2 and l_inf
    directions (1 - cos > 1e-3, far above the 1e-9 solver precision); each optimizer ends at least
    5x closer (in 1 - cos) to the fixed point than to either the l2 or the l_inf direction, and its
    distance to the fixed point decreased over the last decade.  Finite beta2 = 0.999 leaves an
    O(1 - beta2) bias (Prop. 4.1), so the batch-1 Adam variants are not required to reach 0.
    ``prediction``: a direction to use instead of w*(c*) (negative control).
    """
    X = gaussian_default(ctx).X
    P = predictions(X)
    refs = _refs(P)
    if prediction is not None:
        refs["fp"] = np.asarray(prediction, float) / np.linalg.norm(prediction)
    sep = {k: float(1 - refs["fp"] @ refs[k]) for k in ("l2", "linf")}
    T = ctx.steps(200_000, 50_000)
    opts = {"adam-proxy": adam_proxy(), "inc-adam": inc_adam(eta0=0.01),
            "adam-replacement": minibatch_adam(1, "replacement", eta0=0.01),
            "adam-reshuffle": minibatch_adam(1, "reshuffle", eta0=0.01)}
    measured, ok = {}, min(sep.values()) > 1e-3
    for name, opt in opts.items():
        tr = simulate(ctx, X, opt, T if name != "adam-proxy" else T // 2, refs)
        g = {k: tr.one_minus_cos(k) for k in ("fp", "l2", "linf")}
        good = g["fp"][-1] * 5 <= min(g["l2"][-1], g["linf"][-1]) and decreasing(g["fp"])
        measured[name] = {k: float(v[-1]) for k, v in g.items()} | {"pass": bool(good)}
        ok &= good
    summary = ", ".join(f"{k} {fmt(v['fp'])}" for k, v in measured.items())
    return Outcome(ok, "limits -> w*(c*), which is neither l2 nor l_inf",
                   f"1-cos to fixed point: {summary}; fixed point vs l2 {fmt(sep['l2'])}, vs l_inf {fmt(sep['linf'])}",
                   "5x closer to w*(c*) than to l2/l_inf; fixed point differs (1-cos > 1e-3)",
                   {"runs": measured, "fixed_point_vs": sep, "steps": T})


@claim("prop-4.3", "AdamProxy drives the loss to 0", "numeric")
def prop_4_3(ctx: Context, prediction=None) -> Outcome:
    """Prop. 4.3.

    Algorithm: AdamProxy from w0 = 0; log L(w_t) (log domain, never underflows) at log-spaced
    checkpoints.  Tolerance: log L is non-increasing along the checkpoints and falls by at least 1
    (a factor e) over the last decade of steps: with eta_t ~ t^(-1/2), ||w_t|| grows like sqrt(t)
    and log L ~ -gamma ||w_t||, so the last decade lowers it by ~gamma (sqrt(10) - 1) ||w_{T/10}||.
    ``prediction``: a loss floor log L_inf > -inf claimed instead of 0 (negative control: fails if
    the measured log-loss goes below it).
    """
    X = gaussian_default(ctx).X
    T = ctx.steps(100_000, 10_000)
    tr = simulate(ctx, X, adam_proxy(), T)
    ll = tr.log_loss
    k = int(np.searchsorted(tr.steps, T // 10))
    ok = bool(np.all(np.diff(ll) <= 1e-12 * np.abs(ll[1:]))) and ll[-1] <= ll[k] - 1
    if prediction is not None:
        ok = ok and ll[-1] >= float(prediction)
    return Outcome(ok, "L(w_t) -> 0" if prediction is None else f"log L stays >= {prediction}",
                   f"log L = {fmt(ll[-1])} at t = {T} ({fmt(ll[k])} at t = {tr.steps[k]})",
                   "log L non-increasing, drops by >= 1 over the last decade", {"steps": tr.steps, "log_loss": ll})


@claim("lemma-4.5", "AdamProxy's limit satisfies Eq. (5): w ~ D(c)^{-1} sum_i c_i x_i with c on the support", "numeric")
def lemma_4_5(ctx: Context, prediction=None) -> Outcome:
    """Lemma 4.5, Eq. (5).

    Algorithm: run AdamProxy; at the last iterate w_T take c(T) = softmax(-X w_T) (the weights
    |l'(<w, x_i>)| normalised, exp loss) and u(T) = D(c(T))^{-1} sum_i c_i(T) x_i.  Measured:
    1 - cos(u(T), w_T), the mass of c(T) off the support S of the fixed point, and
    ||c(T) - c*||_1.  Tolerance: 1 - cos <= 10/T (same ~1/t rate as thm-4.8) and decreasing;
    off-support mass decreasing (0 if every point is a support vector).
    ``prediction``: a support set to use instead of the fixed point's (negative control).
    """
    ds = shifted_default(ctx) if ctx.data is None else ctx.data
    X = ds.X
    P = predictions(X)
    S = set(P.adam_proxy.support if prediction is None else prediction)
    T = ctx.steps(100_000, 10_000)
    rows = {"u_gap": [], "off_mass": [], "c_gap": []}
    tr = simulate(ctx, X, adam_proxy(), T)
    for w in tr.w:
        z = -(X @ w)
        c = np.exp(z - z.max())
        c /= c.sum()
        u = (c @ X) / preconditioner_diag(X, c)
        rows["u_gap"].append(1 - u @ w / np.linalg.norm(u) / np.linalg.norm(w))
        rows["off_mass"].append(sum(c[i] for i in range(len(c)) if i not in S))
        rows["c_gap"].append(float(np.abs(c - P.adam_proxy.c).sum()))
    gap, off = np.array(rows["u_gap"]), np.array(rows["off_mass"])
    tol = 10.0 / T
    ok = gap[-1] <= tol and decreasing(gap) and (off[-1] == 0 or decreasing(off)) and off[-1] < 0.5
    return Outcome(ok, f"w_T ~ D(c)^-1 sum c_i x_i, c supported on S = {sorted(S)}",
                   f"1-cos = {fmt(gap[-1])}, off-support mass {fmt(off[-1])}, |c(T) - c*|_1 = {fmt(rows['c_gap'][-1])}",
                   f"1-cos <= 10/T = {fmt(tol)}; off-support mass decreasing",
                   {"steps": tr.steps, **{k: np.array(v) for k, v in rows.items()}, "dataset": ds.name})
