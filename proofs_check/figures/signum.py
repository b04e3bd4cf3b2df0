"""Figures 5 and 10: Inc-Signum (Alg. 4) and the l_inf margin (Thm 5.1), Gaussian data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numerics.optimizers import inc_signum

from ._common import (COLORS, FigureData, batch_sizes, default_data, horizon, new_figure, pos, prediction_refs,
                      rel_gap, save, simulate, step_size, style_log)

__all__ = ["fig5", "fig10", "SIGNUM_BETAS", "ETA_SIGNUM"]

SIGNUM_BETAS = (0.0, 0.5, 0.9, 0.99, 0.999)
#: the momentum must average ~1/(1 - beta) nearly equal gradients (Lemma G.2 (A)): eta0 = 0.01
ETA_SIGNUM = 0.01


def fig5(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
         progress: bool | None = False) -> Path:
    """Fig. 5 (Thm 5.1): Inc-Signum with beta = 0.99 keeps the max l_inf margin for every batch size.

    ``data``: another dataset (batch sizes: divisors of its N; eta0 scaled to it).
    """
    D = data or default_data("gaussian", seed)
    prediction_refs(D.limits, ("linf",))  # one-line error if the l_inf margin could not be computed
    X, gamma, eta0 = D.X, D.limits.linf.margin, step_size(D, "inc-signum", ETA_SIGNUM)
    T = horizon(quick)
    beta = 0.99
    fig, (a, b) = new_figure(2)
    lowest = 0.0
    for k, bs in enumerate(batch_sizes(X.shape[0])):
        tr = simulate(X, inc_signum(beta, bs, eta0), T, seed=seed, progress=progress)
        lowest = min(lowest, float(np.min(tr.margins["linf"])))
        a.plot(tr.steps, tr.margins["linf"], color=COLORS[k], label=f"batch size {bs}")
        b.plot(tr.steps, pos(rel_gap(gamma, tr.margins["linf"])), color=COLORS[k], label=f"batch size {bs}")
    a.axhline(gamma, color="black", linestyle="--", linewidth=1.2, label="$\\gamma_\\infty$ (LP optimum)")
    # every curve whole: early margins can lie far below -gamma (a fixed floor cut them off)
    a.set_ylim(lowest - 0.05 * (1.1 * gamma - lowest), 1.1 * gamma)
    style_log(a, ylabel="$\\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_\\infty$", logy=False,
              title="normalised $\\ell_\\infty$ margin")
    style_log(b, ylabel="$(\\gamma_\\infty - \\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_\\infty)/\\gamma_\\infty$",
              title="relative $\\ell_\\infty$ margin gap")
    fig.suptitle(f"Fig. 5 - {D.label}: Inc-Signum, $\\beta={beta:g}$, $\\eta_t={eta0:.3g}\\,(t+2)^{{-1/2}}$, T={T:g}",
                 fontsize=10.5)
    return save(fig, out_dir, "fig5")


def fig10(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
          progress: bool | None = False) -> Path:
    """Fig. 10 (Thm 5.1): final relative l_inf margin gap of Inc-Signum over beta x batch size.

    Prediction (docs/math.md §6, reading A): the gap grows as beta moves from 1 and as b shrinks;
    b = N (full batch) needs no momentum.  beta = 0.999 is still in its transient at these horizons.
    ``data``: another dataset (batch sizes: divisors of its N; eta0 scaled to it).
    """
    from matplotlib.colors import LogNorm

    D = data or default_data("gaussian", seed)
    prediction_refs(D.limits, ("linf",))  # one-line error if the l_inf margin could not be computed
    X, gamma, eta0 = D.X, D.limits.linf.margin, step_size(D, "inc-signum", ETA_SIGNUM)
    sizes = batch_sizes(X.shape[0])
    T = horizon(quick)
    gap = np.empty((len(SIGNUM_BETAS), len(sizes)))
    for i, beta in enumerate(SIGNUM_BETAS):
        for j, bs in enumerate(sizes):
            tr = simulate(X, inc_signum(beta, bs, eta0), T, seed=seed, checkpoints=(T,), progress=progress)
            gap[i, j] = rel_gap(gamma, tr.margins["linf"])[-1]
    fig, (a, b) = new_figure(2)
    shown = pos(gap)
    im = a.imshow(shown, norm=LogNorm(vmin=shown.min(), vmax=max(shown.max(), 1.01 * shown.min())), cmap="viridis",
                  aspect="auto")
    for (i, j), v in np.ndenumerate(gap):
        a.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=8,
               color="white" if shown[i, j] < np.sqrt(shown.min() * shown.max()) else "black")
    a.set_xticks(range(len(sizes)), [str(s) for s in sizes])
    a.set_yticks(range(len(SIGNUM_BETAS)), [f"{s:g}" for s in SIGNUM_BETAS])
    a.set_xlabel("batch size b")
    a.set_ylabel("momentum $\\beta$")
    a.set_title("relative $\\ell_\\infty$ margin gap at $t = T$", fontsize=9.5)
    fig.colorbar(im, ax=a, label="$(\\gamma_\\infty - $margin$_\\infty(w_T))/\\gamma_\\infty$")
    x = [1 - beta for beta in SIGNUM_BETAS]
    for j, bs in enumerate(sizes):
        b.plot(x, shown[:, j], "o-", color=COLORS[j], label=f"batch size {bs}")
    style_log(b, xlabel="$1-\\beta$", ylabel="relative $\\ell_\\infty$ margin gap at $t = T$",
              title="same data as lines")
    fig.suptitle(f"Fig. 10 - {D.label}: Inc-Signum, $\\eta_t={eta0:.3g}\\,(t+2)^{{-1/2}}$, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig10")
