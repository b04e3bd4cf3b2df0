"""Shared pieces of the figures: horizons, cached datasets and predictions, the run driver, plotting.

Plots use matplotlib's object API with the Agg canvas (``matplotlib.figure.Figure`` +
``FigureCanvasAgg``), never pyplot: no display, no global backend switch, no figure left open.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Mapping

import numpy as np

from numerics.optimizers import Optimizer, run

from numerics.fast import HAVE_NUMBA
from numerics.limits import Limits

from ..claims._common import gaussian_default, gr_default, predictions, shifted_default
from ..claims._common import refs as prediction_refs
from ..claims.base import Context

__all__ = ["horizon", "simulate", "dataset", "prediction_refs", "new_figure", "save", "style_log", "ref_line", "unit", "pos", "rel_gap",
           "COLORS", "ADAM"]

#: (beta1, beta2) used for every Adam curve unless a sweep says otherwise (math.md §12 defaults).
ADAM = (0.9, 0.999)
COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive")


def horizon(quick: bool) -> int:
    """Number of updates per run: 5e4 (--quick) / 1e6 with the numba engine, 1e4 / 5e4 without it.

    Directional convergence is slow (1 - cos ~ 1/t at best, 1/log t for GD), so the figures use the
    longest horizon the time budget (quick < 1 min, full < 5 min on 2 cores) allows; the plain numpy
    loop is ~100x slower per step than the compiled one.  Every title states its T.
    """
    if HAVE_NUMBA:
        return 50_000 if quick else 1_000_000
    return 10_000 if quick else 50_000


def simulate(X: np.ndarray, opt: Optimizer, steps: int, refs: Mapping[str, np.ndarray] | None = None, *,
             seed: int = 0, checkpoints: int | tuple[int, ...] = 40):
    """numerics.optimizers.run (the compiled engine when numba is installed), without a progress bar."""
    return run(X, opt, steps, references=refs, checkpoints=checkpoints, seed=seed, progress=False)


@functools.lru_cache(maxsize=8)
def dataset(name: str, seed: int = 0) -> tuple[np.ndarray, Limits, str]:
    """(X, predictions (l2, l_inf, Thm 4.8 fixed point), label) of a default dataset of the checks."""
    ctx = Context(seed=seed)
    if name == "gaussian":
        ds, label = gaussian_default(ctx), f"Gaussian N=10, d=50, seed={seed}"
    elif name == "gr":
        ds, label = gr_default(ctx), "GR data N=4, d=6"
    elif name == "shifted":
        ds, label = shifted_default(ctx), "shifted diagonal a=(1,2,3,4), b=1/2"
    else:
        raise ValueError(f"unknown dataset {name!r}")
    X = np.asarray(ds.X, float)
    return X, predictions(X), label


def new_figure(ncols: int = 1, width: float = 5.6, height: float = 4.2):
    """A Figure on an Agg canvas with ``ncols`` axes side by side (returns fig, list of axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, ncols, k + 1) for k in range(ncols)]
    return fig, axes


def save(fig, out_dir: str | Path, name: str) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    fig.savefig(path, format="png")
    return path


def style_log(ax, *, xlabel: str = "iteration t", ylabel: str = "", title: str = "", logy: bool = True,
              legend: bool = True) -> None:
    ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=9.5)
    ax.grid(True, which="major", alpha=0.3)
    if legend:
        ax.legend(fontsize=8)


def ref_line(ax, y: float, label: str, color: str = "gray", style: str = ":") -> None:
    """A horizontal reference level (e.g. 1 - cos between two predicted directions)."""
    ax.axhline(y, color=color, linestyle=style, linewidth=1.2, label=label)


def unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def pos(y) -> np.ndarray:
    """Clip at 1e-16 so that distances that are 0 to rounding stay on a log axis."""
    return np.maximum(np.asarray(y, float), 1e-16)


def rel_gap(gamma: float, margins: np.ndarray) -> np.ndarray:
    """(gamma - margin) / gamma: relative gap of a normalised margin to its optimum gamma."""
    return (gamma - np.asarray(margins, float)) / gamma
