"""Figures 1-4 and 6: Adam variants against the l2, l_inf and Thm 4.8 predictions."""

from __future__ import annotations

from pathlib import Path

from numerics.optimizers import adam_proxy, det_adam, inc_adam, minibatch_adam

from ._common import (ADAM, COLORS, FigureData, batch_sizes, default_data, horizon, new_figure, pos, prediction_refs,
                      ref_line, rel_gap, save, simulate, step_size, style_log, unit)

__all__ = ["fig1", "fig2", "fig3", "fig4", "fig6", "ETA_BATCH1"]

#: eta0 of the batch-1 Adam variants on Gaussian data: Adam's v must average gradients that change
#: little over ~1/(1 - beta2) steps (Lemma D.2); with 0.1 the runs are still in transit at 1e5 steps.
ETA_BATCH1 = 0.01
B1, B2 = ADAM


def _adam_variants(eta0: float) -> dict:
    return {"Det-Adam (full batch)": det_adam(B1, B2, eta0),
            "Inc-Adam (batch 1, cyclic)": inc_adam(B1, B2, eta0),
            "Adam batch 1, with replacement": minibatch_adam(1, "replacement", B1, B2, eta0),
            "Adam batch 1, reshuffling": minibatch_adam(1, "reshuffle", B1, B2, eta0)}


def _hyper(eta0: float, betas=ADAM) -> str:
    return f"$(\\beta_1,\\beta_2)=({betas[0]:g},{betas[1]:g})$, $\\eta_t={eta0:.3g}\\,(t+2)^{{-1/2}}$"


def fig1(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
         progress: bool | None = False) -> Path:
    """Fig. 1: Gaussian data, cos(w_t, w_2) and cos(w_t, w_inf) for Det-Adam and the batch-1 Adam variants.

    The dotted level is the Thm 4.8 fixed point's cosine to the same reference: batch-1 Adam heads
    there (Fig. 3), which is why its cosine to l2 stops short of 1.  eta0 = 0.01 for all four:
    Det-Adam also reaches l_inf much sooner with it (1 - cos 0.015 at 1e5 steps, vs 0.13 with 0.1).
    ``data``: another dataset instead of the Gaussian example (eta0 scaled to it).
    """
    D = data or default_data("gaussian", seed)
    X, refs, eta0 = D.X, prediction_refs(D.limits), step_size(D, "adam", ETA_BATCH1)
    T = horizon(quick)
    fig, (a, b) = new_figure(2)
    for k, (name, opt) in enumerate(_adam_variants(eta0).items()):
        tr = simulate(X, opt, T, refs, seed=seed, progress=progress)
        a.plot(tr.steps, tr.cos["l2"], color=COLORS[k], label=name)
        b.plot(tr.steps, tr.cos["linf"], color=COLORS[k], label=name)
    for ax, key, sym in ((a, "l2", "2"), (b, "linf", "\\infty")):
        ref_line(ax, float(unit(refs["fp"]) @ unit(refs[key])), "Thm 4.8 fixed point (prediction)")
        ax.axhline(1.0, color="black", linewidth=0.6)
        style_log(ax, ylabel=f"cos$(w_t, \\hat w_{{{sym}}})$", logy=False,
                  title=f"cosine to the $\\ell_{{{sym}}}$ max-margin direction")
    fig.suptitle(f"Fig. 1 - {D.label}: Det-Adam vs batch-1 Adam, {_hyper(eta0)}, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig1")


def fig2(out_dir, quick: bool = False, seed: int = 0, *, progress: bool | None = False) -> Path:
    """Fig. 2: GR data (Thm 3.3): Inc-Adam -> l2, Det-Adam -> l_inf.

    The l_inf solution of a small GR set can be non-unique, so the l_inf panel shows the relative
    gap of the normalised l_inf margin min_i <w, x_i> / ||w||_inf to its optimum gamma_inf.
    """
    D = default_data("gr", seed)
    X, P, label = D.X, D.limits, D.label
    refs = prediction_refs(P, ("l2",))
    T = horizon(quick)
    eta0 = 0.1
    fig, (a, b, c) = new_figure(3, width=4.6)
    for k, (name, opt) in enumerate({"Inc-Adam": inc_adam(B1, B2, eta0), "Det-Adam": det_adam(B1, B2, eta0)}.items()):
        tr = simulate(X, opt, T, refs, seed=seed, progress=progress)
        a.plot(tr.steps, pos(tr.one_minus_cos("l2")), color=COLORS[k], label=name)
        b.plot(tr.steps, pos(rel_gap(P.l2.margin, tr.margins["l2"])), color=COLORS[k], label=name)
        c.plot(tr.steps, pos(rel_gap(P.linf.margin, tr.margins["linf"])), color=COLORS[k], label=name)
    style_log(a, ylabel="$1-\\cos(w_t, \\hat w_2)$", title="distance to the $\\ell_2$ max-margin direction")
    style_log(b, ylabel="$(\\gamma_2 - \\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_2)/\\gamma_2$",
              title="relative $\\ell_2$ margin gap")
    style_log(c, ylabel="$(\\gamma_\\infty - \\min_i\\langle w_t,x_i\\rangle/\\|w_t\\|_\\infty)/\\gamma_\\infty$",
              title="relative $\\ell_\\infty$ margin gap ($\\ell_\\infty$ argmax may be non-unique)")
    fig.suptitle(f"Fig. 2 - {label}: Inc-Adam vs Det-Adam, {_hyper(eta0)}, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig2")


def fig3(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
         progress: bool | None = False) -> Path:
    """Fig. 3 (Ex. 4.10): 1 - cos to the Thm 4.8 fixed point w*(c*) for AdamProxy and batch-1 Adam.

    Dotted levels: 1 - cos between w*(c*) and the l2 / l_inf directions, i.e. where a run that
    went to l2 or l_inf instead would stall.  ``data``: another dataset (eta0 scaled to it).
    """
    D = data or default_data("gaussian", seed)
    X, refs, eta0 = D.X, prediction_refs(D.limits), step_size(D, "adam", ETA_BATCH1)
    T = horizon(quick)
    proxy_eta0 = step_size(D, "adam-proxy", 0.1)
    opts = {f"AdamProxy ($\\eta_0={proxy_eta0:.3g}$)": adam_proxy(proxy_eta0)}
    opts.update({k: v for k, v in _adam_variants(eta0).items() if not k.startswith("Det")})
    fig, (ax,) = new_figure(1, width=6.4, height=4.6)
    for k, (name, opt) in enumerate(opts.items()):
        tr = simulate(X, opt, T, refs, seed=seed, progress=progress)
        ax.plot(tr.steps, pos(tr.one_minus_cos("fp")), color=COLORS[k], label=name)
    fp = unit(refs["fp"])
    ref_line(ax, 1 - float(fp @ unit(refs["l2"])), "$1-\\cos(w^*(c^*), \\hat w_2)$", "black", "--")
    ref_line(ax, 1 - float(fp @ unit(refs["linf"])), "$1-\\cos(w^*(c^*), \\hat w_\\infty)$", "black", ":")
    style_log(ax, ylabel="$1-\\cos(w_t, w^*(c^*))$", title=f"Fig. 3 - {D.label}: distance to the Thm 4.8 fixed point\n"
              f"batch-1 Adam {_hyper(eta0)}, T={T:g}")
    return save(fig, out_dir, "fig3")


def fig4(out_dir, quick: bool = False, seed: int = 0, *, progress: bool | None = False) -> Path:
    """Fig. 4 (Ex. 4.11): shifted-diagonal data, where the fixed point e_0 gives the l_inf solution.

    AdamProxy and Inc-Adam approach w_inf (unique here: sign(x_0) / ||x_0||_1) and not w_2.
    eta0 = 0.1: with eta0 >= 1 Inc-Adam's first step, 3.2 eta0 sign(x_0) (zero-initialised moments,
    no bias correction), already is w_inf and drives the loss so low that w barely moves again,
    which would show the initialisation rather than the implicit bias.  Measured at eta0 = 0.1:
    1 - cos to w_inf 8.1e-5 / 8.5e-6 (AdamProxy) and 4.0e-4 / 1.6e-5 (Inc-Adam) at t = 1e5 / 1e6,
    after a transient in which both first move away from w_inf.
    """
    D = default_data("shifted", seed)
    X, label = D.X, D.label
    refs = prediction_refs(D.limits, ("l2", "linf"))
    T = horizon(quick)
    eta0 = 0.1
    fig, (a, b) = new_figure(2)
    opts = {"AdamProxy": adam_proxy(eta0), "Inc-Adam": inc_adam(B1, B2, eta0)}
    for k, (name, opt) in enumerate(opts.items()):
        tr = simulate(X, opt, T, refs, seed=seed, progress=progress)
        a.plot(tr.steps, pos(tr.one_minus_cos("linf")), color=COLORS[k], label=name)
        b.plot(tr.steps, pos(tr.one_minus_cos("l2")), color=COLORS[k], label=name)
    a.annotate("Inc-Adam at t=1: $w_1 \\propto$ sign$(x_0) = \\hat w_\\infty$", (1, 1e-9), (1.5, 1e-8), fontsize=8,
               arrowprops={"arrowstyle": "->", "color": COLORS[1]})
    sep = 1 - float(unit(refs["l2"]) @ unit(refs["linf"]))
    for ax, sym in ((a, "\\infty"), (b, "2")):
        ref_line(ax, sep, "$1-\\cos(\\hat w_2, \\hat w_\\infty)$")
        style_log(ax, ylabel=f"$1-\\cos(w_t, \\hat w_{{{sym}}})$",
                  title=f"distance to the $\\ell_{{{sym}}}$ max-margin direction")
    a.set_ylim(1e-9, 3 * sep)  # Inc-Adam's first step is along sign(x_0), i.e. exactly w_inf (1 - cos = 0)
    fig.suptitle(f"Fig. 4 - {label}: AdamProxy and Inc-Adam, {_hyper(eta0)}, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig4")


def fig6(out_dir, quick: bool = False, seed: int = 0, *, data: FigureData | None = None,
         progress: bool | None = False) -> Path:
    """Fig. 6: mini-batch Adam (cyclic batches) with b = 1, 2, 5, 10 = N on Gaussian data.

    b = 1 approaches the Thm 4.8 fixed point, b = N is Det-Adam and approaches l_inf; in between
    the limit moves away from the fixed point.  ``data``: another dataset (batch sizes: divisors of
    its N; eta0 scaled to it).
    """
    D = data or default_data("gaussian", seed)
    X, refs, eta0 = D.X, prediction_refs(D.limits), step_size(D, "adam", ETA_BATCH1)
    T = horizon(quick)
    fig, (a, b) = new_figure(2)
    for k, bs in enumerate(batch_sizes(X.shape[0])):
        tr = simulate(X, minibatch_adam(bs, "cyclic", B1, B2, eta0), T, refs, seed=seed, progress=progress)
        a.plot(tr.steps, pos(tr.one_minus_cos("fp")), color=COLORS[k], label=f"batch size {bs}")
        b.plot(tr.steps, pos(tr.one_minus_cos("linf")), color=COLORS[k], label=f"batch size {bs}")
    style_log(a, ylabel="$1-\\cos(w_t, w^*(c^*))$", title="distance to the Thm 4.8 fixed point")
    style_log(b, ylabel="$1-\\cos(w_t, \\hat w_\\infty)$", title="distance to the $\\ell_\\infty$ max-margin direction")
    fig.suptitle(f"Fig. 6 - {D.label}: mini-batch Adam (cyclic batches), {_hyper(eta0)}, T={T:g}", fontsize=10.5)
    return save(fig, out_dir, "fig6")
