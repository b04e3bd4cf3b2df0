"""Parameter sweeps: a grid described in TOML, run in parallel through any ``concurrent.futures.Executor``.

>>> from numerics.sweeps import load_config, run_sweep
>>> # run_sweep(load_config("numerics/sweeps/examples/fig8_betas.toml"), "out/")   # process pool
>>> # run_sweep(cfg, "out/", distributed.Client("tcp://host:8786").get_executor())  # Dask
>>> # or: scheduler = "tcp://host:8786" in [sweep] (numerics.sweeps.executors)

The format is documented in :mod:`numerics.sweeps.config`; the output in :mod:`numerics.sweeps.runner`.
"""

from pathlib import Path as _Path

from ..errors import ConfigError
from .config import DatasetSpec, RunSpec, SweepConfig, load_config, parse_config
from .executors import dask_executor, open_executor
from .output import CSV_COLUMNS
from .runner import RunTask, SweepResult, execute_run, predict_dataset, run_sweep

__all__ = ["ConfigError", "DatasetSpec", "RunSpec", "SweepConfig", "load_config", "parse_config", "CSV_COLUMNS",
           "RunTask", "SweepResult", "execute_run", "predict_dataset", "run_sweep", "open_executor", "dask_executor",
           "EXAMPLES_DIR"]

#: directory of the example configurations (fig6_batch.toml, fig8_betas.toml, quick.toml)
EXAMPLES_DIR = _Path(__file__).resolve().parent / "examples"
