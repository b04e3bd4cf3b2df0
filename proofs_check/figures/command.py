"""``proofs-check figures --out DIR [--quick] [--data DATA]`` (and ``run --figures DIR``).

Wiring (proofs_check/cli.py): :func:`add_parser` registers the subcommand; :func:`draw_figures`
draws and prints one line per PNG as it is written.
"""

from __future__ import annotations

__all__ = ["add_parser", "draw_figures"]


def draw_figures(out: str, *, quick: bool = False, seed: int = 0, dataset=None, progress: bool | None = True) -> int:
    """Draw every figure into ``out``; with ``dataset`` (a numerics.datasets.Dataset) the figures that can
    use it draw on it and the others say which data they keep.  ``progress``: numerics.progress (True:
    a bar on a terminal, a line every few seconds when stderr is piped)."""
    from . import OWN_DATA, iter_draw, output_dir, user_data

    output_dir(out)  # a bad --out fails before the predictions are computed
    data = None if dataset is None else user_data(dataset)
    for path in iter_draw(out, quick=quick, seed=seed, data=data, progress=progress):
        own = OWN_DATA.get(path.stem) if data is not None else None
        print(f"wrote {path}" + (f" (its own data, not --data: {own})" if own else ""), flush=True)
    return 0


def add_parser(sub, load) -> None:
    """Register ``figures`` on an argparse subparsers object; ``load(spec)`` resolves --data (the CLI's loader)."""
    p = sub.add_parser(
        "figures", help="draw the paper's figures as PNG files",
        description="Reproduce the paper's figures (1-6, 8-10) as PNG files with matplotlib (Agg). With --data, "
                    "Figs. 1, 3, 5, 6, 8 and 10 are drawn on DATA (step sizes scaled to it, batch sizes among the "
                    "divisors of its N); Figs. 2, 4 and 9 are about one kind of data (GR, shifted diagonal) and "
                    "keep it.")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    p.add_argument("--quick", action="store_true", help="shorter runs")
    p.add_argument("--data", metavar="DATA", help="draw the figures that can use other data on this dataset")
    p.add_argument("--seed", type=int, default=0, help="seed for the Gaussian example and random orders (default 0)")
    p.set_defaults(func=lambda args: draw_figures(args.out, quick=args.quick, seed=args.seed,
                                                  dataset=load(args.data) if args.data else None,
                                                  progress=True))
