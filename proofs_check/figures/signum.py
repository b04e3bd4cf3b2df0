"""Figures 5 and 10: Inc-Signum (Alg. 4) and the l_inf margin (Thm 5.1), Gaussian data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numerics.optimizers import inc_signum

from ._common import COLORS, dataset, horizon, new_figure, pos, rel_gap, save, simulate, style_log

__all__ = ["fig5", "fig10", "BATCH_SIZES", "SIGNUM_BETAS", "ETA_SIGNUM"]

BATCH_SIZES = (1, 2, 5, 10)
SIGNUM_BETAS = (0.0, 0.5, 0.9, 0.99, 0.999)
#: the momentum must average ~1/(1 - beta) nearly equal gradients (Lemma G.2 (A)): eta0 = 0.01
ETA_SIGNUM = 0.01


def fig5(out_dir, quick: bool = False, seed: int = 0) -> Path:
    """Fig. 5 (Thm 5.1): Inc-Signum with beta = 0.99 keeps the max l_inf margin for every batch size."""
    X, P, label = dataset("gaussian", seed)
    gamma = P.linf.margin
    T = horizon(quick)
    beta = 0.99
    fig, (a, b) = new_figure(2)
    for k, bs in enumerate(BATCH_SIZES):
        tr = simulate(X, inc_signum(beta, bs, ETA_SIGNUM), T, seed=seed)
        a.plot(tr.steps, tr.margins["linf"], color=COLORS[k], label=f"batch size {bs}")
        b.plot(tr.steps, pos(rel_gap(gamma, tr.margins["linf"])), color=COLORS[k], label=f"batch size {bs}")
    a.axhline(gamma, color="black", linestyle="--", linewidth=1.2, label="$\\gamma_\\infty$ (LP optimum)")
    a.set_ylim(max(-gamma, a.get_ylim()[0]), 1.1 * gamma)
    style_log(a, ylabel="$\\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_\\infty$", logy=False,
              title="normalised $\\ell_\\infty$ margin")
    style_log(b, ylabel="$(\\gamma_\\infty - \\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_\\infty)/\\gamma_\\infty$",
              title="relative $\\ell_\\infty$ margin gap")
    fig.suptitle(f"Fig. 5 - {label}: Inc-Signum, $\\beta={beta:g}$, $\\eta_t={ETA_SIGNUM:g}\\,(t+2)^{{-1/2}}$, T={T:g}",
                 fontsize=10.5)
    return save(fig, out_dir, "fig5")


def fig10(out_dir, quick: bool = False, seed: int = 0) -> Path:
    """Fig. 10 (Thm 5.1): final relative l_inf margin gap of Inc-Signum over beta x batch size.

    Prediction (math.md §6, reading A): the gap grows as beta moves from 1 and as b shrinks;
    b = N (full batch) needs no momentum.  beta = 0.999 is still in its transient at these horizons.
    """
    from matplotlib.colors import LogNorm

    X, P, label = dataset("gaussian", seed)
    gamma = P.linf.margin
    T = horizon(quick)
    gap = np.empty((len(SIGNUM_BETAS), len(BATCH_SIZES)))
    for i, beta in enumerate(SIGNUM_BETAS):
        for j, bs in enumerate(BATCH_SIZES):
            tr = simulate(X, inc_signum(beta, bs, ETA_SIGNUM), T, seed=seed, checkpoints=(T,))
            gap[i, j] = rel_gap(gamma, tr.margins["linf"])[-1]
    fig, (a, b) = new_figure(2)
    shown = pos(gap)
    im = a.imshow(shown, norm=LogNorm(vmin=shown.min(), vmax=max(shown.max(), 1.01 * shown.min())), cmap="viridis",
                  aspect="auto")
    for (i, j), v in np.ndenumerate(gap):
        a.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=8,
               color="white" if shown[i, j] < np.sqrt(shown.min() * shown.max()) else "black")
    a.set_xticks(range(len(BATCH_SIZES)), [str(s) for s in BATCH_SIZES])
    a.set_yticks(range(len(SIGNUM_BETAS)), [f"{s:g}" for s in SIGNUM_BETAS])
    a.set_xlabel("batch size b")
    a.set_ylabel("momentum $\\beta$")
    a.set_title("relative $\\ell_\\infty$ margin gap at $t = T$", fontsize=9.5)
    fig.colorbar(im, ax=a, label="$(\\gamma_\\infty - $margin$_\\infty(w_T))/\\gamma_\\infty$")
    x = [1 - beta for beta in SIGNUM_BETAS]
    for j, bs in enumerate(BATCH_SIZES):
        b.plot(x, shown[:, j], "o-", color=COLORS[j], label=f"batch size {bs}")
    style_log(b, xlabel="$1-\\beta$", ylabel="relative $\\ell_\\infty$ margin gap at $t = T$",
              title="same data as lines")
    fig.suptitle(f"Fig. 10 - {label}: Inc-Signum, $\\eta_t={ETA_SIGNUM:g}\\,(t+2)^{{-1/2}}$, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig10")
