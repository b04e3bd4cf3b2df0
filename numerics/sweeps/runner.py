"""Run a sweep through any ``concurrent.futures.Executor`` and write one JSON per run plus a summary.

Two phases: (1) the predicted directions of each dataset (``numerics.limits``: l2 and l_inf
max margin, the Thm 4.8 fixed point, SignSGD), one task per dataset; (2) the runs, one task each,
whose cosines are taken against those predictions.  Tasks are plain functions of picklable
arguments, so a ``ProcessPoolExecutor`` (the default) or a Dask ``Client.get_executor()`` both
work.  A failing run is recorded (status "error" and a one-line message) and the sweep goes on.

Output directory::

    OUT/runs/r0000.json ...        one per run: settings, final direction, norm, log-loss, margins,
                                   cosines to the predictions, checkpointed trajectory
    OUT/predictions/NAME.json      numerics.limits.predict_limits(X).as_dict() for each dataset
    OUT/summary.json               configuration, every run without its trajectory and direction
    OUT/summary.csv                one line per run, flat columns
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
import time
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ..errors import ToolkitError
from ..jsonsafe import sanitize
from .config import DatasetSpec, RunSpec, SweepConfig, load_config
from .executors import open_executor
from .output import CSV_COLUMNS, PREDICTION_KEYS, prepare_output, write_json, write_summary

__all__ = ["run_sweep", "SweepResult", "RunTask", "execute_run", "predict_dataset", "CSV_COLUMNS"]

#: seconds without a finished run after which a progress line says the sweep is still going
HEARTBEAT = 10.0


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run (picklable)."""

    spec: RunSpec
    X: np.ndarray
    references: dict
    metric: np.ndarray | None
    engine: str
    precision: str
    checkpoints: int


@dataclass(frozen=True)
class SweepResult:
    out_dir: Path
    runs: tuple  # result dicts (without trajectory), sorted by id
    failed: int
    prediction_errors: dict  # dataset -> message

    @property
    def ok(self) -> bool:
        return self.failed == 0


_clean = sanitize  # JSON-ready: numpy to Python, NaN/inf to None (numerics.jsonsafe)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def predict_dataset(spec: DatasetSpec) -> dict[str, Any]:
    """Worker: {"dataset": name, "prediction": numerics.limits.predict_limits(X).as_dict(), "metric": diag D(c*)}
    or {"dataset", "error"}; predictions that fail are recorded in theirs ({"error": reason})."""
    try:
        from ..limits import predict_limits

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            limits = predict_limits(spec.build().X, precision=None)
        return {"dataset": spec.name, "prediction": _clean(limits.as_dict()), "metric": limits.metric}
    except ToolkitError as exc:  # bad data: reported in the summary, the runs go on without cosines
        return {"dataset": spec.name, "error": _one_line(exc)}


def execute_run(task: RunTask) -> dict[str, Any]:
    """Worker: one run -> JSON-ready result (status "ok" or "error" with a one-line message)."""
    from ..backend import backend_from_precision
    from ..estimate import estimate_limit, limit_checkpoints
    from ..losses import get_loss
    from ..optimizers import make_optimizer, run
    from ..trajectory import log_checkpoints

    spec = task.spec
    out: dict[str, Any] = {**spec.as_dict(), "hyper": _hyper(spec), "engine": task.engine,
                           "precision": task.precision}
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt = make_optimizer(spec.optimizer, **dict(spec.settings))
            # the log-spaced checkpoints of the configuration plus the octaves the limit estimate needs
            marks = tuple(sorted(set(log_checkpoints(spec.steps, task.checkpoints)) | set(limit_checkpoints(spec.steps))))
            tr = run(task.X, opt, spec.steps, loss=get_loss(spec.loss), backend=backend_from_precision(task.precision),
                     seed=spec.seed, checkpoints=marks, references=task.references, metric=task.metric,
                     progress=False, engine=task.engine)
            random_order = opt.sampler.mode in ("replacement", "reshuffle")  # their weights keep fluctuating
            est = estimate_limit(tr.steps, tr.w, X=None if random_order else task.X)
        out.update({
            "status": "ok", "seconds": time.perf_counter() - t0, "engine": tr.engine,
            "direction": tr.direction, "norm": tr.norm[-1], "log_loss": tr.log_loss[-1],
            "margins": {k: v[-1] for k, v in tr.margins.items()},
            "cos": {k: v[-1] for k, v in tr.cos.items()},
            "limit": {**{k: v for k, v in est.as_dict().items() if k != "direction"},
                      "one_minus_cos": {k: est.distance(v) for k, v in task.references.items()}},
            # a lossy run is kept (its numbers flagged, not its verdicts trusted): exact says which
            "exact": tr.exact, "lost": tr.lost,
            "warnings": sorted({str(w.message) for w in caught} | ({tr.lost_summary()} if not tr.exact else set())),
            "trajectory": {"steps": tr.steps, "log_loss": tr.log_loss, "norm": tr.norm,
                           "margins": dict(tr.margins), "cos": dict(tr.cos)},
        })
    except ToolkitError as exc:
        out.update({"status": "error", "error": _one_line(exc), "seconds": time.perf_counter() - t0})
    except Exception as exc:  # noqa: BLE001 - a bug: keep the sweep going, record where it happened
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        out.update({"status": "error", "error": _one_line(exc) + where, "seconds": time.perf_counter() - t0})
    return _clean(out)


def _hyper(spec: RunSpec) -> dict[str, Any]:
    """The optimizer's effective hyperparameters (its defaults filled in), for the summary and the CSV."""
    from ..optimizers import make_optimizer

    try:
        return dict(make_optimizer(spec.optimizer, **dict(spec.settings)).hyper)
    except ToolkitError:  # reported by the run itself
        return dict(spec.settings)


def run_sweep(config: SweepConfig | str | Path, out_dir: str | Path, executor: cf.Executor | None = None, *,
              progress: bool | Callable[[str], None] | None = None, overwrite: bool = False,
              heartbeat: float = HEARTBEAT) -> SweepResult:
    """Run every run of ``config`` through ``executor`` (default: the configuration's Dask ``scheduler``,
    else a process pool of ``workers``).

    ``progress``: True prints one line per finished task on stderr (and a line every ``heartbeat``
    seconds in which none finished), a callable receives those lines; default: only when stderr is a
    terminal.  An ``out_dir`` that holds the results of an earlier sweep is refused (ConfigError)
    unless ``overwrite``, which deletes them first.  A given executor is not shut down.
    """
    cfg = config if isinstance(config, SweepConfig) else load_config(config)
    out = Path(out_dir)
    data, notes = _load_datasets(cfg)  # bad data fails before an earlier sweep's files are touched
    prepare_output(out, overwrite)
    say = _reporter(progress)
    with _executor(cfg, executor) as ex:
        refs, metrics, pred_errors = _predict_all(cfg, sorted(data), ex, out, say, heartbeat)
        tasks = [RunTask(r, data[r.dataset], refs[r.dataset], metrics[r.dataset], cfg.engine, cfg.precision,
                         cfg.checkpoints) for r in cfg.runs]
        results = _run_all(tasks, ex, out, say, heartbeat)
    failed = write_summary(out, cfg, results, notes, pred_errors)
    return SweepResult(out, tuple(results), failed, pred_errors)


# --------------------------------------------------------------------------- phase 1: data, reporting, executor
def _reporter(progress: bool | Callable[[str], None] | None) -> Callable[[str], None]:
    if callable(progress):
        return progress
    if progress or (progress is None and sys.stderr.isatty()):
        return lambda s: print(s, file=sys.stderr, flush=True)
    return lambda s: None


def _load_datasets(cfg: SweepConfig) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """X of every dataset the runs use, and its warnings; a dataset or a batch size that cannot work fails
    here, before any run."""
    from ..optimizers import make_optimizer

    data: dict[str, np.ndarray] = {}
    notes: dict[str, list[str]] = {}
    for name in sorted({r.dataset for r in cfg.runs}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                ds = cfg.datasets[name].build()
            except ToolkitError as exc:
                raise type(exc)(f"dataset {name!r}: {exc}") from None
        data[name] = np.asarray(ds.X, dtype=float)
        notes[name] = sorted({str(w.message) for w in caught})
        for r in cfg.runs:
            if r.dataset == name:
                try:
                    make_optimizer(r.optimizer, **dict(r.settings)).sampler.check(ds.N)
                except ToolkitError as exc:
                    raise type(exc)(f"run {r.id} ({r.optimizer} on {name}): {exc}") from None
    return data, notes


@contextmanager
def _executor(cfg: SweepConfig, given: cf.Executor | None) -> Iterator[cf.Executor]:
    if given is not None:
        yield given
    else:
        with open_executor(cfg.workers, cfg.scheduler) as ex:
            yield ex


# --------------------------------------------------------------------------- phase 2: predictions
def _predict_all(cfg: SweepConfig, used: list[str], ex: cf.Executor, out: Path, say: Callable[[str], None],
                 heartbeat: float):
    """(references, metric, errors) per dataset; OUT/predictions/NAME.json for each success."""
    refs: dict[str, dict] = {n: {} for n in used}
    metrics: dict[str, np.ndarray | None] = {n: None for n in used}
    errors: dict[str, str] = {}
    if not cfg.predict:
        return refs, metrics, errors
    futures = [ex.submit(predict_dataset, cfg.datasets[n]) for n in used]
    for fut in _as_completed(futures, heartbeat, lambda: say("predictions: still computing")):
        res = fut.result()
        name = res["dataset"]
        if "error" in res:
            errors[name] = res["error"]
            say(f"predictions for {name}: {res['error']}")
            continue
        pred = res["prediction"]
        write_json(out / "predictions" / f"{name}.json", pred)
        refs[name] = {k: np.asarray(pred[k]["direction"], dtype=float) for k in PREDICTION_KEYS
                      if pred.get(k, {}).get("direction") is not None}
        metrics[name] = res["metric"]
        say(f"predictions for {name}: done")
    return refs, metrics, errors


# --------------------------------------------------------------------------- phase 3: the runs
def _run_all(tasks: list[RunTask], ex: cf.Executor, out: Path, say: Callable[[str], None],
             heartbeat: float) -> list[dict]:
    """Submit every task, write OUT/runs/ID.json as each finishes; the results without trajectories, by id."""
    futures = {ex.submit(execute_run, t): t for t in tasks}
    results: list[dict] = []

    def idle() -> None:
        say(f"[{len(results)}/{len(tasks)}] runs done, {len(tasks) - len(results)} running or queued")

    for fut in _as_completed(futures, heartbeat, idle):
        task = futures[fut]
        spec = task.spec
        try:
            res = fut.result()
        except Exception as exc:  # noqa: BLE001 - e.g. a worker process died
            res = _clean({**spec.as_dict(), "hyper": _hyper(spec), "engine": task.engine, "status": "error",
                          "error": _one_line(exc)})
        write_json(out / "runs" / f"{spec.id}.json", res)
        results.append({k: v for k, v in res.items() if k not in ("trajectory", "direction")})
        say(f"[{len(results)}/{len(tasks)}] {spec.id} {spec.optimizer} on {spec.dataset}: {res['status']}"
            + (f" ({res['error']})" if res["status"] != "ok" else f" in {res['seconds']:.1f}s"))
    return sorted(results, key=lambda r: r["id"])


def _as_completed(futures, interval: float, idle: Callable[[], None]) -> Iterator[cf.Future]:
    """cf.as_completed that calls ``idle()`` after every ``interval`` seconds in which nothing finished
    (a long run in a log file stays visibly alive)."""
    pending = set(futures)
    while pending:
        done, pending = cf.wait(pending, timeout=interval, return_when=cf.FIRST_COMPLETED)
        if not done:
            idle()
        yield from done
