"""``proofs-check sweep CONFIG.toml``: a parameter grid in parallel (numerics.sweeps).

Wiring (proofs_check/cli.py): add :func:`add_parser` to ``COMMANDS``; it registers the
subcommand and calls :func:`sweep_main`.  Errors in the configuration or the data are
ToolkitErrors (the CLI prints one line, exit code 2); failed runs are recorded in the output
and make the exit code 1.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import sys
from pathlib import Path

from numerics.errors import ConfigError

__all__ = ["sweep_main", "add_parser"]


def sweep_main(config_path: str | Path, out_dir: str | Path | None = None, executor: cf.Executor | None = None, *,
               workers: int | None = None, scheduler: str | None = None, overwrite: bool = False,
               progress: bool | None = None) -> int:
    """Run the sweep described by ``config_path`` into ``out_dir`` (default: ``sweep-NAME`` in the
    current directory); print where the results are.  0: every run succeeded, 1: some run failed.

    ``executor``: any concurrent.futures.Executor; default: the Dask scheduler at ``scheduler`` (or the
    configuration's), else a process pool of ``workers`` (or the configuration's, else all CPUs).
    ``workers`` asks for a local pool even when the configuration names a scheduler.  Raises
    ToolkitError for a bad configuration, an unreachable scheduler or an output directory that holds
    an earlier sweep (unless ``overwrite``).
    """
    from numerics.sweeps import load_config, run_sweep

    cfg = _where_to_run(load_config(config_path), workers, scheduler)
    out = Path(out_dir) if out_dir is not None else Path(f"sweep-{cfg.name}")
    res = run_sweep(cfg, out, executor, progress=progress, overwrite=overwrite)
    n = len(res.runs)
    where = f" on the Dask scheduler at {cfg.scheduler}" if executor is None and cfg.scheduler else ""
    print(f"{cfg.name}: {n - res.failed}/{n} runs ok{where}; results in {out}/ (summary.json, summary.csv, runs/)")
    for r in res.runs:
        if r["status"] != "ok":
            print(f"  {r['id']} {r['optimizer']} on {r['dataset']}: {r.get('error', 'failed')}", file=sys.stderr)
    for name, msg in res.prediction_errors.items():
        print(f"  predictions for {name} failed (no cosines): {msg}", file=sys.stderr)
    return 0 if res.ok else 1


def _where_to_run(cfg, workers: int | None, scheduler: str | None):
    """The configuration with the command line's choice of executor (it overrides the file's)."""
    if workers is not None and scheduler is not None:
        raise ConfigError("--workers sizes a local process pool and --scheduler runs on a Dask cluster: give one")
    if workers is not None:
        if workers < 1:
            raise ConfigError(f"--workers must be a positive integer, got {workers}")
        return dataclasses.replace(cfg, workers=workers, scheduler=None)
    if scheduler is not None:
        if not scheduler.strip():
            raise ConfigError("--scheduler needs an address such as tcp://host:8786")
        return dataclasses.replace(cfg, scheduler=scheduler.strip())
    return cfg


def add_parser(sub) -> None:
    """Register ``sweep`` on an argparse subparsers object (proofs_check.cli COMMANDS entry)."""
    p = sub.add_parser(
        "sweep", help="run a parameter grid (TOML) in parallel and summarise it",
        description="Run the grid of optimizers x hyperparameters x seeds x datasets described in CONFIG "
                    "(TOML; format: numerics.sweeps.config) in parallel, writing one JSON per run, the predictions "
                    "of each dataset and a summary (JSON and CSV). Exit code 0 if every run succeeded, 1 if some "
                    "failed (recorded in the summary), 2 for a bad configuration.",
        epilog="Examples: numerics/sweeps/examples/{quick,fig6_batch,fig8_betas}.toml. On a Dask cluster: start "
               "`dask scheduler` and `dask worker tcp://HOST:8786` (each with this package installed), then "
               "`proofs-check sweep CONFIG --scheduler tcp://HOST:8786` (or scheduler = \"tcp://HOST:8786\" in "
               "[sweep]).")
    p.add_argument("config", metavar="CONFIG", help="sweep configuration (.toml)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: sweep-NAME)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the results of an earlier sweep in DIR (default: refuse to mix them)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="local worker processes (default: the configuration's, else all CPUs)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 (default: the configuration's "
                        "sweep.scheduler, else a local process pool); needs dask[distributed]")
    p.set_defaults(func=lambda args: sweep_main(args.config, args.out, workers=args.workers,
                                                scheduler=args.scheduler, overwrite=args.overwrite, progress=True))
