"""Shared pieces of the figures: horizons, their data (the paper's examples or a user's) with its predictions,
the run driver, plotting.

Plots use matplotlib's object API with the Agg canvas (``matplotlib.figure.Figure`` +
``FigureCanvasAgg``), never pyplot: no display, no global backend switch, no figure left open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from numerics.errors import ConfigError, SolverError
from numerics.fast import HAVE_NUMBA
from numerics.limits import Limits, predict_limits
from numerics.optimizers import Optimizer, run
from numerics.schedules import eta0_for_data

__all__ = ["horizon", "simulate", "FigureData", "default_data", "user_data", "prediction_refs", "step_size",
           "batch_sizes", "new_figure", "output_dir", "save", "style_log", "ref_line", "unit", "pos", "rel_gap",
           "COLORS", "ADAM"]

#: (beta1, beta2) used for every Adam curve unless a sweep says otherwise (docs/math.md §12 defaults).
ADAM = (0.9, 0.999)
COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive")


@dataclass(frozen=True)
class FigureData:
    """The data of a figure: X (rows y_i x_i), its predictions, a label for titles; ``bundled`` for the
    paper's examples (drawn with the step sizes stated in each figure), False for a user's data (step
    sizes scaled to the data, numerics.schedules.eta0_for_data)."""

    X: np.ndarray
    limits: Limits
    label: str
    bundled: bool = True


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
             seed: int = 0, checkpoints: int | tuple[int, ...] = 40, progress: bool | None = False):
    """numerics.optimizers.run (the compiled engine when numba is installed); ``progress`` as in
    numerics.progress (the CLI passes True: a line every few seconds when stderr is piped).  A run that lost
    precision raises PrecisionLossError: a figure never draws numbers that are not the algorithm's."""
    return run(X, opt, steps, references=refs, checkpoints=checkpoints, seed=seed,
               progress=progress).require_exact()


def default_data(name: str, seed: int = 0) -> FigureData:
    """The paper's example behind a figure: "gaussian" (Ex. 4.10), "gr" (Def. 3.1) or "shifted" (Ex. 4.11)."""
    from numerics.datasets import gaussian, gr_example, shifted_diagonal

    if name == "gaussian":
        ds, label = gaussian(10, 50, seed=seed), f"Gaussian N=10, d=50, seed={seed}"
    elif name == "gr":
        ds, label = gr_example(), "GR data N=4, d=6"
    elif name == "shifted":
        ds, label = shifted_diagonal(), "shifted diagonal a=(1,2,3,4), b=1/2"
    else:
        raise ValueError(f"unknown dataset {name!r}")
    X = np.asarray(ds.X, float)
    return FigureData(X, predict_limits(X, precision=None), label)


def user_data(dataset) -> FigureData:
    """A numerics.datasets.Dataset (e.g. from ``figures --data``) as figure data, predictions included."""
    X = np.asarray(dataset.X, float)
    N, d = X.shape
    return FigureData(X, predict_limits(X, precision=None), f"{dataset.name} (N={N}, d={d})", bundled=False)


def prediction_refs(P: Limits, keys: tuple[str, ...] = ("l2", "linf", "fp")) -> dict[str, np.ndarray]:
    """The l2, l_inf and fixed-point ("fp") directions a figure compares with; SolverError (one line) when
    one of them could not be computed for the data."""
    source = {"l2": P.l2, "linf": P.linf, "fp": P.adam_proxy}
    out = {}
    for key in keys:
        if source[key].direction is None:
            raise SolverError(f"the {key} prediction could not be computed for this data: {source[key].reason}")
        out[key] = np.asarray(source[key].direction, float)
    return out


def step_size(data: FigureData, optimizer: str, paper: float) -> float:
    """eta0: the figure's own value on the paper's data, scaled to the data otherwise."""
    return paper if data.bundled else eta0_for_data(data.X, optimizer)


def batch_sizes(N: int, most: int = 4) -> tuple[int, ...]:
    """Up to ``most`` divisors of N from 1 to N, spread evenly (1, 2, 5, 10 for N = 10)."""
    divisors = [b for b in range(1, N + 1) if N % b == 0]
    picks = np.unique(np.round(np.linspace(0, len(divisors) - 1, min(most, len(divisors)))).astype(int))
    return tuple(divisors[k] for k in picks)


def new_figure(ncols: int = 1, width: float = 5.6, height: float = 4.2):
    """A Figure on an Agg canvas with ``ncols`` axes side by side (returns fig, list of axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, ncols, k + 1) for k in range(ncols)]
    return fig, axes


def output_dir(out_dir: str | Path) -> Path:
    """``out_dir``, created if missing; ConfigError (one line) when it is a file or cannot be created."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} is a file; --out needs a directory for the PNG files")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create output directory {out}: {exc.strerror or exc}") from None
    return out


def save(fig, out_dir: str | Path, name: str) -> Path:
    path = output_dir(out_dir) / f"{name}.png"
    try:
        fig.savefig(path, format="png")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
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
