"""The paper's figures (1-6, 8-10) as PNG files, drawn with matplotlib's Agg canvas (no display needed).

>>> from proofs_check.figures import draw_all
>>> paths = draw_all("figs", quick=True)        # doctest: +SKIP

Each ``figN(out_dir, quick=False, seed=0, *, progress=False) -> Path`` runs its own experiments
(numba engine when installed) and writes ``out_dir/figN.png``; ``seed`` sets the Gaussian draw and
the samplers.  The figures not in ``OWN_DATA`` also take ``data=`` (a :class:`FigureData`, e.g.
``user_data(numerics.datasets.resolve("my.npz"))``) and then draw on it, with step sizes scaled to
it and batch sizes among the divisors of its N.  Horizons (``_common.horizon``): 5e4 updates with
``quick`` and 1e6 otherwise with the numba engine, 1e4 / 5e4 with the plain numpy loop.  The
paper's numeric settings were lost (docs/math.md §9); the ones used here are stated in each figure's
title and docstring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from ._common import FigureData, default_data, output_dir, user_data
from .adam import fig1, fig2, fig3, fig4, fig6
from .signum import fig5, fig10
from .sweeps import fig8, fig9

__all__ = ["FIGURES", "OWN_DATA", "DEFAULT_DATA", "FigureData", "user_data", "output_dir", "draw_all", "iter_draw",
           "fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig8", "fig9", "fig10"]

#: name -> drawing function, in the paper's order (there is no Fig. 7 to reproduce).
FIGURES: dict[str, Callable[..., Path]] = {
    "fig1": fig1, "fig2": fig2, "fig3": fig3, "fig4": fig4, "fig5": fig5, "fig6": fig6,
    "fig8": fig8, "fig9": fig9, "fig10": fig10,
}
#: the paper's example each figure draws on by default
DEFAULT_DATA = {"fig1": "gaussian", "fig2": "gr", "fig3": "gaussian", "fig4": "shifted", "fig5": "gaussian",
                "fig6": "gaussian", "fig8": "gaussian", "fig9": "gr", "fig10": "gaussian"}
#: figures about one kind of data, which keep it whatever data is given (and why)
OWN_DATA = {"fig2": "GR data: Thm 3.3 is about generalized-Rademacher data",
            "fig4": "the shifted-diagonal data of Ex. 4.11",
            "fig9": "GR data: Thm 3.3 is about generalized-Rademacher data"}


def iter_draw(out_dir, *, quick: bool = False, seed: int = 0, data: FigureData | None = None,
              progress: bool | None = False) -> Iterator[Path]:
    """Draw every figure into ``out_dir`` (created if missing), yielding each PNG path as it is written.

    ``data``: draw the figures not in OWN_DATA on it.  ConfigError (one line) when ``out_dir`` is a
    file or cannot be created.
    """
    out = output_dir(out_dir)
    defaults: dict[str, FigureData] = {}  # each example's predictions computed once per call
    for name, draw in FIGURES.items():
        if name in OWN_DATA:
            yield draw(out, quick, seed, progress=progress)
            continue
        kind = DEFAULT_DATA[name]
        if data is None and kind not in defaults:
            defaults[kind] = default_data(kind, seed)
        yield draw(out, quick, seed, data=data if data is not None else defaults[kind], progress=progress)


def draw_all(out_dir, *, quick: bool = False, seed: int = 0, data: FigureData | None = None,
             progress: bool | None = False) -> list[Path]:
    """:func:`iter_draw` as a list of the PNG paths, in the paper's order."""
    return list(iter_draw(out_dir, quick=quick, seed=seed, data=data, progress=progress))
