"""``proofs-check sweep CONFIG.toml``: a parameter grid in parallel (numerics.sweeps).

Wiring (proofs_check/cli.py): add :func:`add_parser` to ``COMMANDS``; it registers the
subcommand and calls :func:`sweep_main`.  Errors in the configuration or the data are
ToolkitErrors (the CLI prints one line, exit code 2); failed runs are recorded in the output
and make the exit code 1.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
from pathlib import Path

__all__ = ["sweep_main", "add_parser"]


def sweep_main(config_path: str | Path, out_dir: str | Path | None = None, executor: cf.Executor | None = None, *,
               workers: int | None = None, progress: bool | None = None) -> int:
    """Run the sweep described by ``config_path`` into ``out_dir`` (default: ``sweep-NAME`` next to the
    current directory); print where the results are.  0: every run succeeded, 1: some run failed.

    ``executor``: any concurrent.futures.Executor (default: a process pool of ``workers`` or the
    configuration's ``workers``, else all CPUs).  Raises ToolkitError for a bad configuration.
    """
    from numerics.sweeps import load_config, run_sweep

    cfg = load_config(config_path)
    out = Path(out_dir) if out_dir is not None else Path(f"sweep-{cfg.name}")
    own = None
    if executor is None and workers is not None:
        executor = own = cf.ProcessPoolExecutor(max_workers=workers)
    try:
        res = run_sweep(cfg, out, executor, progress=progress)
    finally:
        if own is not None:
            own.shutdown(wait=True)
    n = len(res.runs)
    print(f"{cfg.name}: {n - res.failed}/{n} runs ok; results in {out}/ (summary.json, summary.csv, runs/)")
    for r in res.runs:
        if r["status"] != "ok":
            print(f"  {r['id']} {r['optimizer']} on {r['dataset']}: {r.get('error', 'failed')}", file=sys.stderr)
    for name, msg in res.prediction_errors.items():
        print(f"  predictions for {name} failed (no cosines): {msg}", file=sys.stderr)
    return 0 if res.ok else 1


def add_parser(sub) -> None:
    """Register ``sweep`` on an argparse subparsers object (proofs_check.cli COMMANDS entry)."""
    p = sub.add_parser(
        "sweep", help="run a parameter grid (TOML) in parallel and summarise it",
        description="Run the grid of optimizers x hyperparameters x seeds x datasets described in CONFIG "
                    "(TOML; format: numerics.sweeps.config) in parallel, writing one JSON per run, the predictions "
                    "of each dataset and a summary (JSON and CSV). Exit code 0 if every run succeeded, 1 if some "
                    "failed (recorded in the summary), 2 for a bad configuration.",
        epilog="Examples: numerics/sweeps/examples/{quick,fig6_batch,fig8_betas}.toml.")
    p.add_argument("config", metavar="CONFIG", help="sweep configuration (.toml)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: sweep-NAME)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: the configuration's, else all CPUs)")
    p.set_defaults(func=lambda args: sweep_main(args.config, args.out, workers=args.workers,
                                                progress=sys.stderr.isatty()))
