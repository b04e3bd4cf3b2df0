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

import itertools
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import HyperparameterError, ToolkitError
from ..optimizers import OPTIMIZER_NAMES, make_optimizer

__all__ = ["SweepConfig", "RunSpec", "DatasetSpec", "load_config", "parse_config", "SETTINGS", "GENERATORS"]

#: optimizer settings a grid may vary (make_optimizer keywords)
SETTINGS = ("beta1", "beta2", "beta", "batch_size", "sampling", "eta0", "a")
_GRID_KEYS = ("dataset", "optimizer", "seed", "steps", "loss") + SETTINGS
_SWEEP_KEYS = ("name", "engine", "precision", "checkpoints", "predict", "workers", "loss")
GENERATORS = ("gaussian", "generalized_rademacher", "gr_example", "shifted_diagonal")
_ENGINES = ("auto", "compiled", "reference")
_ENGINE_ALIASES = {"fast": "auto", "plain": "reference"}  # the names of version 0.1
_PROBE = {"beta1": 0.5, "beta2": 0.9, "beta": 0.5, "batch_size": 1, "sampling": "cyclic", "eta0": 0.1, "a": 0.5}


class ConfigError(ToolkitError, ValueError):
    """A sweep configuration that cannot be run (one line, names the key)."""


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
class RunSpec:
    """One run of the grid (JSON-ready: ``as_dict``)."""

    id: str
    dataset: str
    optimizer: str
    settings: tuple  # sorted (key, value) pairs accepted by the optimizer
    seed: int
    steps: int
    loss: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "dataset": self.dataset, "optimizer": self.optimizer, "settings": dict(self.settings),
                "seed": self.seed, "steps": self.steps, "loss": self.loss}


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


def load_config(path: str | Path) -> SweepConfig:
    """Read and validate a sweep TOML file (ConfigError: one line naming the problem)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no such sweep configuration: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {p}: {type(exc).__name__}") from None
    return parse_config(text, base_dir=p.resolve().parent, name=p.stem, source=str(p))


def _as_list(key: str, value: Any) -> list:
    values = value if isinstance(value, list) else [value]
    if not values:
        raise ConfigError(f"grid key {key!r} has an empty list")
    return values


def _check_type(key: str, value: Any, types: tuple, what: str) -> Any:
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise ConfigError(f"{key} must be {what}, got {value!r}")
    return value


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
        data = _check_type(f"datasets.{name}.data", data, (str,), "a string")
        if base_dir is not None and not Path(data).is_absolute() and (base_dir / data).exists():
            data = str(base_dir / data)
        return DatasetSpec(name, data=data)
    if generator not in GENERATORS:
        raise ConfigError(f"datasets.{name}: unknown generator {generator!r}; choose one of {', '.join(GENERATORS)}")
    return DatasetSpec(name, generator=generator, kwargs=table)


def _accepted(optimizer: str) -> frozenset:
    """The settings ``optimizer`` takes (asked of make_optimizer with admissible values)."""
    out = set()
    for key, value in _PROBE.items():
        try:
            make_optimizer(optimizer, **{key: value})
        except HyperparameterError as exc:
            if "does not take" in str(exc):
                continue
            raise
        out.add(key)
    return frozenset(out)


def parse_config(text: str, *, base_dir: Path | None = None, name: str = "sweep", source: str = "<string>"
                 ) -> SweepConfig:
    """Parse TOML text (see the module docstring) into a SweepConfig with every run expanded."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    unknown = set(doc) - {"sweep", "datasets", "grid"}
    if unknown:
        raise ConfigError(f"unknown top-level table(s) {', '.join(sorted(unknown))}; expected [sweep], "
                          "[datasets.NAME], [[grid]]")
    sweep = doc.get("sweep", {})
    if not isinstance(sweep, dict):
        raise ConfigError("[sweep] must be a table")
    bad = set(sweep) - set(_SWEEP_KEYS)
    if bad:
        raise ConfigError(f"unknown [sweep] key(s) {', '.join(sorted(bad))}; allowed: {', '.join(_SWEEP_KEYS)}")
    sname = _check_type("sweep.name", sweep.get("name", name), (str,), "a string")
    engine = sweep.get("engine", "auto")
    engine = _ENGINE_ALIASES.get(engine, engine) if isinstance(engine, str) else engine
    if engine not in _ENGINES:
        raise ConfigError(f"sweep.engine must be one of {', '.join(_ENGINES)}, got {engine!r}")
    precision = str(sweep.get("precision", "float64"))
    if precision != "float64":
        if engine == "compiled":
            raise ConfigError("sweep.precision other than float64 needs the reference engine (the compiled one is "
                              "float64 only): engine = \"reference\" or \"auto\"")
        from ..backend import backend_from_precision
        try:
            backend_from_precision(precision)
        except HyperparameterError as exc:
            raise ConfigError(f"sweep.precision: {exc}") from None
    checkpoints = _check_type("sweep.checkpoints", sweep.get("checkpoints", 30), (int,), "a positive integer")
    if checkpoints < 1:
        raise ConfigError(f"sweep.checkpoints must be a positive integer, got {checkpoints}")
    predict = _check_type("sweep.predict", sweep.get("predict", True), (bool,), "true or false")
    workers = sweep.get("workers")
    if workers is not None and (_check_type("sweep.workers", workers, (int,), "a positive integer") < 1):
        raise ConfigError(f"sweep.workers must be a positive integer, got {workers}")
    default_loss = sweep.get("loss", "exp")

    tables = doc.get("datasets")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError("define at least one dataset: [datasets.NAME] with 'generator' or 'data'")
    datasets = {n: _dataset_spec(n, t, base_dir) for n, t in tables.items()}

    grids = doc.get("grid")
    if isinstance(grids, dict):
        grids = [grids]
    if not isinstance(grids, list) or not grids or not all(isinstance(g, dict) for g in grids):
        raise ConfigError("define at least one grid: [[grid]] with optimizer = [...]")

    accepted: dict[str, frozenset] = {}
    seen: set = set()
    runs: list[RunSpec] = []
    for gi, grid in enumerate(grids):
        bad = set(grid) - set(_GRID_KEYS)
        if bad:
            raise ConfigError(f"grid {gi}: unknown key(s) {', '.join(sorted(bad))}; allowed: {', '.join(_GRID_KEYS)}")
        if "optimizer" not in grid:
            raise ConfigError(f"grid {gi}: 'optimizer' is required")
        axes = {k: _as_list(k, v) for k, v in grid.items()}
        axes.setdefault("dataset", list(datasets))
        axes.setdefault("seed", [0])
        axes.setdefault("steps", [10_000])
        axes.setdefault("loss", [default_loss])
        for ds in axes["dataset"]:
            if ds not in datasets:
                raise ConfigError(f"grid {gi}: unknown dataset {ds!r}; defined: {', '.join(datasets)}")
        for opt in axes["optimizer"]:
            if opt not in OPTIMIZER_NAMES:
                raise ConfigError(f"grid {gi}: unknown optimizer {opt!r}; choose one of {', '.join(OPTIMIZER_NAMES)}")
        for s in axes["seed"]:
            _check_type(f"grid {gi}: seed", s, (int,), "an integer")
        for s in axes["steps"]:
            if _check_type(f"grid {gi}: steps", s, (int,), "a positive integer") < 1:
                raise ConfigError(f"grid {gi}: steps must be positive, got {s}")
        for loss in axes["loss"]:
            if loss not in ("exp", "logistic"):
                raise ConfigError(f"grid {gi}: loss must be 'exp' or 'logistic', got {loss!r}")
        keys = list(axes)
        for combo in itertools.product(*(axes[k] for k in keys)):
            point = dict(zip(keys, combo))
            opt = point["optimizer"]
            if opt not in accepted:
                accepted[opt] = _accepted(opt)
            settings = tuple(sorted((k, point[k]) for k in SETTINGS if k in point and k in accepted[opt]))
            try:
                built = make_optimizer(opt, **dict(settings))
            except HyperparameterError as exc:
                raise ConfigError(f"grid {gi}: {opt} with {dict(settings)}: {exc}") from None
            if built.sampler.mode not in ("replacement", "reshuffle"):
                point["seed"] = axes["seed"][0]  # a deterministic order: every seed gives the same run
            key = (point["dataset"], opt, settings, point["seed"], point["steps"], point["loss"])
            if key in seen:
                continue
            seen.add(key)
            runs.append(RunSpec(f"r{len(runs):04d}", point["dataset"], opt, settings, int(point["seed"]),
                                int(point["steps"]), point["loss"]))
    return SweepConfig(sname, engine, precision, checkpoints, predict, workers, datasets, tuple(runs), source)


def describe(cfg: SweepConfig) -> str:
    """The configuration as JSON (echoed into the summary)."""
    return json.dumps({"name": cfg.name, "engine": cfg.engine, "precision": cfg.precision,
                       "checkpoints": cfg.checkpoints, "predict": cfg.predict, "workers": cfg.workers,
                       "datasets": {n: {"generator": d.generator, "kwargs": d.kwargs, "data": d.data}
                                    for n, d in cfg.datasets.items()},
                       "runs": len(cfg.runs), "source": cfg.source})
