"""The [[grid]] tables of a sweep configuration -> the list of runs (format: :mod:`numerics.sweeps.config`).

A setting an optimizer does not take is dropped for that optimizer, and so is the seed of an
optimizer whose batch order is deterministic; the duplicate runs this creates are merged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, HyperparameterError
from ..optimizers import OPTIMIZER_NAMES, make_optimizer

__all__ = ["RunSpec", "SETTINGS", "GRID_KEYS", "grid_tables", "expand_grids", "check_type"]

#: optimizer settings a grid may vary (make_optimizer keywords)
SETTINGS = ("beta1", "beta2", "beta", "batch_size", "sampling", "eta0", "a")
GRID_KEYS = ("dataset", "optimizer", "seed", "steps", "loss") + SETTINGS
# admissible values with which to ask make_optimizer whether it takes a setting at all
_PROBE = {"beta1": 0.5, "beta2": 0.9, "beta": 0.5, "batch_size": 1, "sampling": "cyclic", "eta0": 0.1, "a": 0.5}


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


def grid_tables(grids: Any) -> list[dict]:
    if isinstance(grids, dict):
        grids = [grids]
    if not isinstance(grids, list) or not grids or not all(isinstance(g, dict) for g in grids):
        raise ConfigError("define at least one grid: [[grid]] with optimizer = [...]")
    return grids


def expand_grids(grids: list[dict], datasets: dict, default_loss: Any) -> tuple[RunSpec, ...]:
    """Every run of every grid, in grid order, duplicates merged, ids r0000, r0001, ..."""
    accepted: dict[str, frozenset] = {}  # optimizer -> the settings it takes (asked once per parse)
    seen: set = set()
    runs: list[RunSpec] = []
    for gi, grid in enumerate(grids):
        axes = _grid_axes(gi, grid, datasets, default_loss)
        for point in _grid_points(axes):
            opt = point["optimizer"]
            if opt not in accepted:
                accepted[opt] = _accepted(opt)
            key = _run_key(gi, point, accepted[opt], axes["seed"][0])
            if key not in seen:
                seen.add(key)
                runs.append(RunSpec(f"r{len(runs):04d}", key[0], key[1], key[2], key[3], key[4], key[5]))
    return tuple(runs)


def _grid_axes(gi: int, grid: dict, datasets: dict, default_loss: Any) -> dict[str, list]:
    """One [[grid]] table as key -> list of values, defaults filled in and every value checked."""
    bad = set(grid) - set(GRID_KEYS)
    if bad:
        raise ConfigError(f"grid {gi}: unknown key(s) {', '.join(sorted(bad))}; allowed: {', '.join(GRID_KEYS)}")
    if "optimizer" not in grid:
        raise ConfigError(f"grid {gi}: 'optimizer' is required")
    axes = {k: _as_list(k, v) for k, v in grid.items()}
    axes.setdefault("dataset", list(datasets))
    axes.setdefault("seed", [0])
    axes.setdefault("steps", [10_000])
    axes.setdefault("loss", [default_loss])
    _check_axes(gi, axes, datasets)
    return axes


def _check_axes(gi: int, axes: dict[str, list], datasets: dict) -> None:
    for ds in axes["dataset"]:
        if ds not in datasets:
            raise ConfigError(f"grid {gi}: unknown dataset {ds!r}; defined: {', '.join(datasets)}")
    for opt in axes["optimizer"]:
        if opt not in OPTIMIZER_NAMES:
            raise ConfigError(f"grid {gi}: unknown optimizer {opt!r}; choose one of {', '.join(OPTIMIZER_NAMES)}")
    for s in axes["seed"]:
        check_type(f"grid {gi}: seed", s, (int,), "an integer")
    for s in axes["steps"]:
        if check_type(f"grid {gi}: steps", s, (int,), "a positive integer") < 1:
            raise ConfigError(f"grid {gi}: steps must be positive, got {s}")
    for loss in axes["loss"]:
        if loss not in ("exp", "logistic"):
            raise ConfigError(f"grid {gi}: loss must be 'exp' or 'logistic', got {loss!r}")


def _grid_points(axes: dict[str, list]):
    keys = list(axes)
    for combo in itertools.product(*(axes[k] for k in keys)):
        yield dict(zip(keys, combo))


def _run_key(gi: int, point: dict, accepted: frozenset, first_seed: int) -> tuple:
    """(dataset, optimizer, settings, seed, steps, loss) of one grid point, reduced to what the optimizer uses."""
    opt = point["optimizer"]
    settings = tuple(sorted((k, point[k]) for k in SETTINGS if k in point and k in accepted))
    try:
        built = make_optimizer(opt, **dict(settings))
    except HyperparameterError as exc:
        raise ConfigError(f"grid {gi}: {opt} with {dict(settings)}: {exc}") from None
    # a deterministic batch order: every seed gives the same run
    seed = point["seed"] if built.sampler.mode in ("replacement", "reshuffle") else first_seed
    return (point["dataset"], opt, settings, int(seed), int(point["steps"]), point["loss"])



def _as_list(key: str, value: Any) -> list:
    values = value if isinstance(value, list) else [value]
    if not values:
        raise ConfigError(f"grid key {key!r} has an empty list")
    return values


def check_type(key: str, value: Any, types: tuple, what: str) -> Any:
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise ConfigError(f"{key} must be {what}, got {value!r}")
    return value


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
