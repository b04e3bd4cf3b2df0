"""Section 2: epoch-wise approximations of Det-Adam and Inc-Adam (Lemma D.1, Prop. 2.4, Prop. 2.5)."""

from __future__ import annotations

import numpy as np

from numerics.backend import FLOAT64
from numerics.losses import EXPONENTIAL
from numerics.optimizers import c_inc, det_adam, epoch_map, inc_adam, sample_grads

from .base import Context, Outcome, claim, decreasing, fit_power
from ._common import fmt, gaussian_default, simulate


@claim("lemma-D.1", "|m_t / sqrt(v_t)| stays below (1-b1)/sqrt((1-b2)(1-b1^2/b2)) along Det-Adam and Inc-Adam",
       "both")
def lemma_d1(ctx: Context, prediction=None) -> Outcome:
    """Lemma D.1 (Zou et al. 2023, Lemma A.2).

    Algorithm: the bound is derived exactly in theory/ (Cauchy-Schwarz on the EMA sums) and
    evaluated here; Det-Adam and Inc-Adam run for T steps with (beta1, beta2) in {(0.9, 0.999),
    (0.5, 0.6)} and the largest |m_t[k]| / sqrt(v_t[k]) over all steps and coordinates is
    recorded (m, v share one log-scale, so the ratio is exact in float64).
    Tolerance: measured max <= bound * (1 + 1e-12) (rounding of the ratio only).
    ``prediction``: a bound to test instead (negative control).
    """
    X = gaussian_default(ctx).X
    T = ctx.steps(20_000, 2_000)
    rows = {}
    exact, identity = _symbolic_bound()
    ok = identity
    for b1, b2 in ((0.9, 0.999), (0.5, 0.6)):
        bound = float(exact(b1, b2)) if prediction is None else float(prediction)
        for name, opt in (("det-adam", det_adam(b1, b2)), ("inc-adam", inc_adam(b1, b2))):
            peak = [0.0]

            def watch(t, w, direction, state, peak=peak):
                peak[0] = max(peak[0], float(np.max(np.abs(direction))))  # direction = m / sqrt(v)

            simulate(ctx, X, opt, T, callback=watch, checkpoints=(T,))
            rows[f"{name} b1={b1} b2={b2}"] = {"max_ratio": peak[0], "bound": bound}
            ok &= peak[0] <= bound * (1 + 1e-12)
    worst = max(rows.values(), key=lambda r: r["max_ratio"] / r["bound"])
    return Outcome(ok, "max |m/sqrt(v)| <= bound (bound and its Cauchy-Schwarz identity exact in theory/)",
                   f"largest ratio/bound = {fmt(worst['max_ratio'] / worst['bound'])}",
                   "ratio <= bound (1 + 1e-12)", {"runs": rows, "steps": T, "symbolic_identity": identity})


def _symbolic_bound():
    """theory/'s exact bound as a numeric function of (beta1, beta2), and whether theory/ proved the
    Cauchy-Schwarz identity behind it (T = 3 steps, symbolic gradients and betas)."""
    import sympy as sp

    from theory.lemma_d1 import lemma_d1_bound as sym_bound
    from theory.lemma_d1 import verify_lemma_d1_identity

    b1, b2 = sp.symbols("beta1 beta2", positive=True)
    return sp.lambdify((b1, b2), sym_bound(b1, b2), "math"), verify_lemma_d1_identity(3).ok


@claim("prop-2.4", "Det-Adam's update approaches -eta_t sign(grad L) coordinate-wise", "numeric")
def prop_2_4(ctx: Context, prediction=None) -> Outcome:
    """Prop. 2.4, Eq. (1).

    Algorithm: Det-Adam (0.9, 0.999) with eta0 = 1e-3; at every step
    eps_t[k] = |m_t[k]/sqrt(v_t[k]) - sign(grad L(w_t)[k])|, summarised per decade of steps as
    the mean over steps of the |grad L[k]|-weighted mean over coordinates.
    Why eta0 = 1e-3: Lemma D.2 needs Assumption 2.3(b), i.e. the gradient must change little over
    the ~1/(1-beta2) steps that v remembers: eta_t max_i ||x_i||_1 << 1 - beta2.  With eta0 = 0.1
    that holds only after ~(40 * 0.1 / 1e-3)^2 = 1.6e7 steps on the default data (measured: eps
    stays ~1 up to 1e5 steps, v is dominated by older, larger gradients); with 1e-3 after ~1.6e3.
    Coordinates whose gradient crosses zero violate the condition of Prop. 2.4
    (eta_t G / |grad L[k]| -> 0) and keep eps ~ 1 at those steps; the |grad L|-weighting counts
    each coordinate by its share of the gradient, as Eq. (1) is used in the proof.
    Tolerance: the decade mean falls at least 1.5x over the last decade and ends below 20/sqrt(T):
    the proof's error is O(eta_t) ~ t^-1/2 (3.2x per decade); measured 2-3x per decade and
    0.136 at T = 1e4, 0.046 at 1e5, i.e. ~14/sqrt(T).
    ``prediction``: "normalized-gd" predicts the update grad L/||grad L||_inf instead (negative control).
    """
    X = gaussian_default(ctx).X
    T = ctx.steps(100_000, 10_000)
    edges = [int(T / 10**k) for k in (3, 2, 1, 0)]
    sums, counts = np.zeros(len(edges)), np.zeros(len(edges))

    def watch(t, w, direction, state):
        s, g = sample_grads(FLOAT64, EXPONENTIAL, X, w, None).mean(FLOAT64)
        target = np.sign(g) if prediction is None else g / np.max(np.abs(g))
        weights = np.abs(g) / np.abs(g).sum()
        k = int(np.searchsorted(edges, t + 1))
        if k < len(edges):
            sums[k] += float(weights @ np.abs(direction - target))
            counts[k] += 1

    simulate(ctx, X, det_adam(eta0=1e-3), T, callback=watch, checkpoints=(T,))
    eps = sums / np.maximum(counts, 1)
    tol = 20 / np.sqrt(T)
    ok = eps[-1] * 1.5 <= eps[-2] and eps[-1] < tol
    return Outcome(ok, "m_t/sqrt(v_t) -> sign(grad L(w_t))" if prediction is None else f"-> {prediction}",
                   f"weighted mean eps over ({edges[-2]}, {T}] = {fmt(eps[-1])}; decade before {fmt(eps[-2])}",
                   f"falls >= 1.5x per decade, < 20/sqrt(T) = {fmt(tol)}", {"decade_ends": edges, "mean_eps": eps})


@claim("prop-2.5", "Inc-Adam's epoch update matches Eq. (2) with C_inc; eps_r decays like r^(-a)", "numeric")
def prop_2_5(ctx: Context, prediction=None) -> Outcome:
    """Prop. 2.5, Eq. (2).

    Algorithm: Inc-Adam (0.9, 0.999), eta_t = 1e-3 (t+2)^(-a) with a = 1/2; at log-spaced epochs r
    compare the epoch displacement (w^{r+1}_0 - w^r_0)/eta_{rN} with the Eq. (2) update at w^r_0
    (numerics' epoch map, C_inc = (1-b1)/(1-b1^N) sqrt((1-b2^N)/(1-b2))): eps_r = max-norm of
    the difference.  Tolerance: the fitted exponent of eps_r over the last two decades of r lies
    in [-a - 0.25, -a + 0.25] (the proof gives O(r^-a), math.md §3; the fit is over few points)
    and eps_r decreased.  The first epochs are excluded: Eq. (2) assumes the EMA has forgotten
    its zero start, which takes ~1/(1 - beta2) = 1000 steps, and a small eta0 (see prop-2.4: the
    gradients must change little within v's memory); measured exponents on the default data:
    -0.12 (eta0 = 0.1, pre-asymptotic), -0.47 (1e-2), -0.54 (1e-3).
    ``prediction``: a constant to use instead of C_inc (negative control: eps_r stalls).
    """
    X = gaussian_default(ctx).X
    N = X.shape[0]
    R = ctx.steps(20_000, 2_000)
    epochs = np.unique(np.round(np.logspace(np.log10(100), np.log10(R - 1), 12)).astype(int))
    marks = sorted({int(r) * N for r in epochs} | {int(r + 1) * N for r in epochs})
    opt = inc_adam(eta0=1e-3)
    tr = simulate(ctx, X, opt, int(R * N), checkpoints=tuple(marks))
    W = dict(zip(tr.steps.tolist(), tr.w))
    em = epoch_map().transform
    scale = 1.0 if prediction is None else float(prediction) / c_inc(0.9, 0.999, N)
    eps = []
    for r in epochs:
        w0, w1 = W[int(r) * N], W[int(r + 1) * N]
        upd, _ = em.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, X, w0, None), None)
        eps.append(float(np.max(np.abs((w0 - w1) / opt.schedule(int(r) * N) - scale * upd))))
    eps = np.array(eps)
    half = len(epochs) // 3
    p = fit_power(epochs[half:], eps[half:])
    a = opt.schedule.a
    ok = abs(p + a) <= 0.25 and decreasing(eps)
    return Outcome(ok, f"eps_r = O(r^-{a})", f"fitted exponent {p:.3f}; eps_r = {fmt(eps[-1])} at r = {epochs[-1]}",
                   f"exponent in [{-a - 0.25}, {-a + 0.25}], decreasing", {"epochs": epochs, "eps": eps})
