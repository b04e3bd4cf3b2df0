"""Sweep configuration: a TOML file -> datasets and the list of runs of a grid.

Format (every key optional unless marked; see ``examples/*.toml``)::

    [sweep]
    name = "fig8-beta2"        # label of the sweep (default: the file name)
    engine = "auto"            # "auto", "compiled" or "reference" (numerics.optimizers.run; "fast" and "plain"
                               #   are accepted as the old names of "auto" and "reference")
    precision = "float64"      # "float64" or a number of digits (mpmath backend: the reference engine)
    checkpoints = 30           # log-spaced checkpoints kept in each run's trajectory
    predict = true             # compute the predicted directions of each dataset (cosines in the results)
    workers = 2                # size of the default process pool (default: all CPUs)
    scheduler = "tcp://host:8786"  # run on this Dask scheduler instead (pip install 'dask[distributed]')
    loss = "exp"               # default loss ("exp" or "logistic"); the grid may vary it

    [datasets.gauss]           # at least one dataset (marked); the table name is the dataset's name
    generator = "gaussian"     # gaussian | generalized_rademacher | gr_example | shifted_diagonal
    N = 10                     #   ... with that generator's keyword arguments
    d = 50
    seed = 0

    [datasets.gr]
    data = "gr_n4_d6"          # or: a bundled example name or a .npz/.csv path (relative to this file)

    [[grid]]                   # one or more grids (marked); their runs are concatenated
    dataset = ["gauss", "gr"]  # default: every dataset
    optimizer = ["inc-adam", "adam"]   # (marked) names of numerics.optimizers.make_optimizer
    beta1 = [0.9]              # beta1, beta2, beta, batch_size, sampling, eta0, a, loss, seed, steps:
    beta2 = [0.99, 0.999]      #   a value or a list of values; the grid is their Cartesian product
    seed = [0, 1]
    steps = 20000

A setting an optimizer does not take (e.g. ``beta`` for Adam) is dropped for that optimizer, and
so is the seed of an optimizer whose batch order is deterministic (cyclic or full batch); the
duplicate runs this creates are merged, so one grid can mix optimizers.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, HyperparameterError
from .grid import SETTINGS, RunSpec, check_type, expand_grids, grid_tables

# ConfigError lives in numerics.errors; importing it from here still works
__all__ = ["SweepConfig", "RunSpec", "DatasetSpec", "ConfigError", "load_config", "parse_config", "SETTINGS",
           "GENERATORS"]

_SWEEP_KEYS = ("name", "engine", "precision", "checkpoints", "predict", "workers", "scheduler", "loss")
GENERATORS = ("gaussian", "generalized_rademacher", "gr_example", "shifted_diagonal")
_ENGINES = ("auto", "compiled", "reference")
_ENGINE_ALIASES = {"fast": "auto", "plain": "reference"}  # the names of version 0.1


@dataclass(frozen=True)
class DatasetSpec:
    """How to build one dataset: a generator with keyword arguments, or a file / bundled example."""

    name: str
    generator: str | None = None
    kwargs: dict = field(default_factory=dict)
    data: str | None = None

    def build(self):
        """The numerics.datasets.Dataset (raises DatasetError with a one-line message)."""
        from .. import datasets

        if self.data is not None:
            return datasets.resolve(self.data)
        fn = getattr(datasets, self.generator)
        try:
            return fn(**self.kwargs)
        except TypeError as exc:  # a keyword the generator does not take
            raise ConfigError(f"dataset {self.name!r}: {exc}") from None


@dataclass(frozen=True)
class SweepConfig:
    name: str
    engine: str
    precision: str
    checkpoints: int
    predict: bool
    workers: int | None
    datasets: dict  # name -> DatasetSpec
    runs: tuple  # RunSpec, in grid order
    source: str = "<string>"
    scheduler: str | None = None  # address of a running Dask scheduler; None: a local process pool


def load_config(path: str | Path) -> SweepConfig:
    """Read and validate a sweep TOML file (ConfigError: one line naming the problem)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no such sweep configuration: {p}") from None
    except IsADirectoryError:
        raise ConfigError(f"{p} is a directory, not a sweep configuration (.toml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {p}: {type(exc).__name__}") from None
    return parse_config(text, base_dir=p.resolve().parent, name=p.stem, source=str(p))


def parse_config(text: str, *, base_dir: Path | None = None, name: str = "sweep", source: str = "<string>"
                 ) -> SweepConfig:
    """Parse TOML text (see the module docstring) into a SweepConfig with every run expanded."""
    doc = _read_toml(text, source)
    options = _sweep_options(doc.get("sweep", {}), name)
    datasets = _datasets(doc.get("datasets"), base_dir)
    runs = expand_grids(grid_tables(doc.get("grid")), datasets, options["loss"])
    return SweepConfig(options["name"], options["engine"], options["precision"], options["checkpoints"],
                       options["predict"], options["workers"], datasets, runs, source, options["scheduler"])


# --------------------------------------------------------------------------- phase 1: the document and [sweep]
def _read_toml(text: str, source: str) -> dict:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    unknown = set(doc) - {"sweep", "datasets", "grid"}
    if unknown:
        raise ConfigError(f"unknown top-level table(s) {', '.join(sorted(unknown))}; expected [sweep], "
                          "[datasets.NAME], [[grid]]")
    return doc


def _sweep_options(sweep: Any, default_name: str) -> dict[str, Any]:
    """The [sweep] table, validated, with defaults filled in."""
    if not isinstance(sweep, dict):
        raise ConfigError("[sweep] must be a table")
    bad = set(sweep) - set(_SWEEP_KEYS)
    if bad:
        raise ConfigError(f"unknown [sweep] key(s) {', '.join(sorted(bad))}; allowed: {', '.join(_SWEEP_KEYS)}")
    engine = _engine(sweep.get("engine", "auto"))
    workers = sweep.get("workers")
    return {"name": check_type("sweep.name", sweep.get("name", default_name), (str,), "a string"),
            "engine": engine,
            "precision": _precision(str(sweep.get("precision", "float64")), engine),
            "checkpoints": _positive("sweep.checkpoints", sweep.get("checkpoints", 30)),
            "predict": check_type("sweep.predict", sweep.get("predict", True), (bool,), "true or false"),
            "workers": None if workers is None else _positive("sweep.workers", workers),
            "scheduler": _scheduler(sweep.get("scheduler")),
            "loss": sweep.get("loss", "exp")}


def _engine(engine: Any) -> str:
    engine = _ENGINE_ALIASES.get(engine, engine) if isinstance(engine, str) else engine
    if engine not in _ENGINES:
        raise ConfigError(f"sweep.engine must be one of {', '.join(_ENGINES)}, got {engine!r}")
    return engine


def _precision(precision: str, engine: str) -> str:
    if precision == "float64":
        return precision
    if engine == "compiled":
        raise ConfigError("sweep.precision other than float64 needs the reference engine (the compiled one is "
                          "float64 only): engine = \"reference\" or \"auto\"")
    from ..backend import backend_from_precision
    try:
        backend_from_precision(precision)
    except HyperparameterError as exc:
        raise ConfigError(f"sweep.precision: {exc}") from None
    return precision


def _positive(key: str, value: Any) -> int:
    if check_type(key, value, (int,), "a positive integer") < 1:
        raise ConfigError(f"{key} must be a positive integer, got {value}")
    return value


def _scheduler(address: Any) -> str | None:
    """A Dask scheduler address (e.g. "tcp://host:8786"); checked for form only, reached when the sweep runs."""
    if address is None:
        return None
    if not isinstance(address, str) or not address.strip():
        raise ConfigError(f"sweep.scheduler must be an address such as \"tcp://host:8786\", got {address!r}")
    return address.strip()


# --------------------------------------------------------------------------- phase 2: datasets
def _datasets(tables: Any, base_dir: Path | None) -> dict[str, DatasetSpec]:
    if not isinstance(tables, dict) or not tables:
        raise ConfigError("define at least one dataset: [datasets.NAME] with 'generator' or 'data'")
    return {n: _dataset_spec(n, t, base_dir) for n, t in tables.items()}


def _dataset_spec(name: str, table: Any, base_dir: Path | None) -> DatasetSpec:
    if not isinstance(table, dict):
        raise ConfigError(f"datasets.{name} must be a table")
    table = dict(table)
    data, generator = table.pop("data", None), table.pop("generator", None)
    if (data is None) == (generator is None):
        raise ConfigError(f"datasets.{name}: give exactly one of 'data' (file or bundled example) or 'generator'")
    if data is not None:
        if table:
            raise ConfigError(f"datasets.{name}: unexpected key(s) {', '.join(sorted(table))} next to 'data'")
        data = check_type(f"datasets.{name}.data", data, (str,), "a string")
        if base_dir is not None and not Path(data).is_absolute() and (base_dir / data).exists():
            data = str(base_dir / data)
        return DatasetSpec(name, data=data)
    if generator not in GENERATORS:
        raise ConfigError(f"datasets.{name}: unknown generator {generator!r}; choose one of {', '.join(GENERATORS)}")
    return DatasetSpec(name, generator=generator, kwargs=table)


def describe(cfg: SweepConfig) -> str:
    """The configuration as JSON (echoed into the summary)."""
    return json.dumps({"name": cfg.name, "engine": cfg.engine, "precision": cfg.precision,
                       "checkpoints": cfg.checkpoints, "predict": cfg.predict, "workers": cfg.workers,
                       "datasets": {n: {"generator": d.generator, "kwargs": d.kwargs, "data": d.data}
                                    for n, d in cfg.datasets.items()},
                       "scheduler": cfg.scheduler, "runs": len(cfg.runs), "source": cfg.source})
