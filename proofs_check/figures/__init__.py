"""The paper's figures (1-6, 8-10) as PNG files, drawn with matplotlib's Agg canvas (no display needed).

>>> from proofs_check.figures import draw_all
>>> paths = draw_all("figs", quick=True)        # doctest: +SKIP

Each ``figN(out_dir, quick=False, seed=0) -> Path`` runs its own experiments (numba engine when
installed) and writes ``out_dir/figN.png``; ``seed`` sets the Gaussian draw and the samplers.
Horizons (``_common.horizon``): 5e4 updates with ``quick`` and 1e6 otherwise with the numba engine,
1e4 / 5e4 with the plain numpy loop.  The paper's numeric settings were lost (math.md §9); the
ones used here are stated in each figure's title and docstring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .adam import fig1, fig2, fig3, fig4, fig6
from .signum import fig5, fig10
from .sweeps import fig8, fig9

__all__ = ["FIGURES", "draw_all", "fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig8", "fig9", "fig10"]

#: name -> drawing function, in the paper's order (there is no Fig. 7 to reproduce).
FIGURES: dict[str, Callable[..., Path]] = {
    "fig1": fig1, "fig2": fig2, "fig3": fig3, "fig4": fig4, "fig5": fig5, "fig6": fig6,
    "fig8": fig8, "fig9": fig9, "fig10": fig10,
}


def draw_all(out_dir, *, quick: bool = False, seed: int = 0) -> list[Path]:
    """Draw every figure into ``out_dir`` (created if missing); returns the PNG paths in order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [draw(out, quick, seed) for draw in FIGURES.values()]
