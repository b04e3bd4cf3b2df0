"""Parameter sweeps: a grid described in TOML, run in parallel through any ``concurrent.futures.Executor``.

>>> from numerics.sweeps import load_config, run_sweep
>>> # run_sweep(load_config("numerics/sweeps/examples/fig8_betas.toml"), "out/")   # process pool
>>> # run_sweep(cfg, "out/", distributed.Client().get_executor())                   # Dask

The format is documented in :mod:`numerics.sweeps.config`; the output in :mod:`numerics.sweeps.runner`.
"""

from .config import ConfigError, DatasetSpec, RunSpec, SweepConfig, load_config, parse_config
from .runner import CSV_COLUMNS, RunTask, SweepResult, execute_run, predict_dataset, run_sweep

__all__ = ["ConfigError", "DatasetSpec", "RunSpec", "SweepConfig", "load_config", "parse_config", "CSV_COLUMNS",
           "RunTask", "SweepResult", "execute_run", "predict_dataset", "run_sweep", "EXAMPLES_DIR"]

from pathlib import Path as _Path

#: directory of the example configurations (fig6_batch.toml, fig8_betas.toml, quick.toml)
EXAMPLES_DIR = _Path(__file__).resolve().parent / "examples"
