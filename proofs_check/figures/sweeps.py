"""Figures 8 and 9: momentum sweeps (Gaussian data against the Thm 4.8 fixed point; GR data against l2)."""

from __future__ import annotations

from pathlib import Path

from numerics.optimizers import det_adam, epoch_map, inc_adam

from ._common import (COLORS, FigureData, default_data, horizon, new_figure, pos, prediction_refs, ref_line, save,
                      simulate, step_size, style_log, unit)
from .adam import ETA_BATCH1

__all__ = ["fig8", "fig9", "BETA1_SWEEP", "BETA2_SWEEP", "GR_MOMENTA"]

BETA1_SWEEP = (0.0, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99)  # at beta2 = 0.999
BETA2_SWEEP = (0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 0.999)  # at beta1 = 0
GR_MOMENTA = ((0.9, 0.999), (0.9, 0.99), (0.5, 0.9), (0.5, 0.5), (0.0, 0.9), (0.0, 0.5))


def fig8(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
         progress: bool | None = False) -> Path:
    """Fig. 8 (App. A.2): final 1 - cos to the Thm 4.8 fixed point as beta1 and beta2 vary (Gaussian data).

    Inc-Adam runs T steps; the epoch map of Prop. 2.5 (one update = one epoch, eps_r = 0) runs
    T / N epochs, i.e. the same number of samples.  Prediction: beta1 does not matter at high
    beta2; the limit departs from the fixed point as beta2 decreases (Eq. (8) is not Thm 4.8's).
    ``data``: another dataset (one eta0 for both, scaled to it).
    """
    D = data or default_data("gaussian", seed)
    X, refs, eta0 = D.X, prediction_refs(D.limits), step_size(D, "inc-adam", ETA_BATCH1)
    N = X.shape[0]
    T = horizon(quick)
    fig, (a, b) = new_figure(2)
    sweeps = ((a, [(b1, 0.999) for b1 in BETA1_SWEEP], 0, "$1-\\beta_1$  ($\\beta_2 = 0.999$)"),
              (b, [(0.0, b2) for b2 in BETA2_SWEEP], 1, "$1-\\beta_2$  ($\\beta_1 = 0$)"))
    for ax, grid, which, xlabel in sweeps:
        inc, emap = [], []
        for b1, b2 in grid:
            inc.append(simulate(X, inc_adam(b1, b2, eta0), T, refs, seed=seed, checkpoints=(T,), progress=progress)
                       .one_minus_cos("fp")[-1])
            emap.append(simulate(X, epoch_map(b1, b2, eta0), T // N, refs, seed=seed, checkpoints=(T // N,),
                                 progress=progress).one_minus_cos("fp")[-1])
        x = [1 - g[which] for g in grid]
        ax.plot(x, pos(inc), "o-", color=COLORS[0], label=f"Inc-Adam, {T:g} steps")
        ax.plot(x, pos(emap), "s--", color=COLORS[1], label=f"epoch map (Prop. 2.5), {T // N:g} epochs")
        fp = unit(refs["fp"])
        ref_line(ax, 1 - float(fp @ unit(refs["l2"])), "$\\hat w_2$ level", "black", "--")
        ref_line(ax, 1 - float(fp @ unit(refs["linf"])), "$\\hat w_\\infty$ level", "black", ":")
        style_log(ax, xlabel=xlabel, ylabel="final $1-\\cos(w_T, w^*(c^*))$",
                  title=("$\\beta_1$ sweep" if which == 0 else "$\\beta_2$ sweep") + " - distance to the fixed point")
    fig.suptitle(f"Fig. 8 - {D.label}: Inc-Adam and its epoch map, $\\eta_t={eta0:.3g}\\,(t+2)^{{-1/2}}$",
                 fontsize=10.5)
    return save(fig, out_dir, "fig8")


def fig9(out_dir, quick: bool = False, seed: int = 0, *, progress: bool | None = False) -> Path:
    """Fig. 9 (Thm 3.3): on GR data Inc-Adam -> l2 max-margin direction for every beta1 <= beta2.

    Det-Adam (0.9, 0.999) is drawn for contrast: it goes to l_inf, so its distance to w_2 stalls.
    """
    D = default_data("gr", seed)
    X, label = D.X, D.label
    refs = prediction_refs(D.limits, ("l2",))
    T = horizon(quick)
    eta0 = 0.1
    fig, (ax,) = new_figure(1, width=6.4, height=4.6)
    for k, (b1, b2) in enumerate(GR_MOMENTA):
        tr = simulate(X, inc_adam(b1, b2, eta0), T, refs, seed=seed, progress=progress)
        ax.plot(tr.steps, pos(tr.one_minus_cos("l2")), color=COLORS[k],
                label=f"Inc-Adam $(\\beta_1,\\beta_2)=({b1:g},{b2:g})$")
    tr = simulate(X, det_adam(0.9, 0.999, eta0), T, refs, seed=seed, progress=progress)
    ax.plot(tr.steps, pos(tr.one_minus_cos("l2")), color="gray", linestyle="--", label="Det-Adam (0.9, 0.999)")
    style_log(ax, ylabel="$1-\\cos(w_t, \\hat w_2)$",
              title=f"Fig. 9 - {label}: Inc-Adam momentum sweep\n$\\eta_t={eta0:g}\\,(t+2)^{{-1/2}}$, T={T:g}")
    return save(fig, out_dir, "fig9")
