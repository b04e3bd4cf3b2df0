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
import csv
import json
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..jsonsafe import sanitize

from ..errors import ToolkitError
from .config import SETTINGS, DatasetSpec, RunSpec, SweepConfig, describe, load_config

__all__ = ["run_sweep", "SweepResult", "RunTask", "execute_run", "predict_dataset", "CSV_COLUMNS"]

PREDICTION_KEYS = ("l2", "linf", "adam_proxy", "signsgd")
CSV_COLUMNS = (("id", "dataset", "optimizer") + SETTINGS + ("loss", "seed", "steps", "engine", "status", "seconds",
               "log_loss", "norm", "margin_l2", "margin_linf", "margin_mahalanobis")
               + tuple(f"cos_{k}" for k in PREDICTION_KEYS) + ("error",))


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
    from ..losses import get_loss
    from ..optimizers import make_optimizer, run

    spec = task.spec
    out: dict[str, Any] = {**spec.as_dict(), "engine": task.engine, "precision": task.precision}
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt = make_optimizer(spec.optimizer, **dict(spec.settings))
            tr = run(task.X, opt, spec.steps, loss=get_loss(spec.loss), backend=backend_from_precision(task.precision),
                     seed=spec.seed, checkpoints=task.checkpoints, references=task.references, metric=task.metric,
                     progress=False, engine=task.engine)
        out.update({
            "status": "ok", "hyper": dict(opt.hyper), "seconds": time.perf_counter() - t0, "engine": tr.engine,
            "direction": tr.direction, "norm": tr.norm[-1], "log_loss": tr.log_loss[-1],
            "margins": {k: v[-1] for k, v in tr.margins.items()},
            "cos": {k: v[-1] for k, v in tr.cos.items()},
            "warnings": sorted({str(w.message) for w in caught}),
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


def _csv_row(r: dict) -> dict:
    row = {k: r.get(k, "") for k in ("id", "dataset", "optimizer", "loss", "seed", "steps", "engine", "status",
                                     "seconds", "log_loss", "norm", "error")}
    row.update({k: r.get("settings", {}).get(k, "") for k in SETTINGS})
    for k in ("l2", "linf", "mahalanobis"):
        row[f"margin_{k}"] = r.get("margins", {}).get(k, "")
    for k in PREDICTION_KEYS:
        row[f"cos_{k}"] = r.get("cos", {}).get(k, "")
    return {k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS}


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(_clean(obj), indent=1, allow_nan=False) + "\n", encoding="utf-8")


def run_sweep(config: SweepConfig | str | Path, out_dir: str | Path, executor: cf.Executor | None = None, *,
              progress: bool | Callable[[str], None] | None = None) -> SweepResult:
    """Run every run of ``config`` through ``executor`` (default: a process pool of ``workers``).

    ``progress``: True prints one line per finished task on stderr, a callable receives those
    lines; default: only when stderr is a terminal.  A given executor is not shut down.
    """
    cfg = config if isinstance(config, SweepConfig) else load_config(config)
    out = Path(out_dir)
    try:
        (out / "runs").mkdir(parents=True, exist_ok=True)
        (out / "predictions").mkdir(exist_ok=True)
    except OSError as exc:
        raise ToolkitError(f"cannot create output directory {out}: {exc.strerror}") from None
    if progress is None:
        progress = sys.stderr.isatty()
    say = progress if callable(progress) else ((lambda s: print(s, file=sys.stderr, flush=True)) if progress
                                               else (lambda s: None))

    used = sorted({r.dataset for r in cfg.runs})
    data: dict[str, np.ndarray] = {}
    notes: dict[str, list[str]] = {}
    for name in used:
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
                from ..optimizers import make_optimizer
                try:
                    make_optimizer(r.optimizer, **dict(r.settings)).sampler.check(ds.N)
                except ToolkitError as exc:
                    raise type(exc)(f"run {r.id} ({r.optimizer} on {name}): {exc}") from None

    own = executor is None
    if own:
        executor = cf.ProcessPoolExecutor(max_workers=cfg.workers)
    try:
        refs: dict[str, dict] = {n: {} for n in used}
        metrics: dict[str, np.ndarray | None] = {n: None for n in used}
        pred_errors: dict[str, str] = {}
        if cfg.predict:
            futures = [executor.submit(predict_dataset, cfg.datasets[n]) for n in used]
            for fut in cf.as_completed(futures):
                res = fut.result()
                name = res["dataset"]
                if "error" in res:
                    pred_errors[name] = res["error"]
                    say(f"predictions for {name}: {res['error']}")
                    continue
                pred = res["prediction"]
                _write_json(out / "predictions" / f"{name}.json", pred)
                refs[name] = {k: np.asarray(pred[k]["direction"], dtype=float) for k in PREDICTION_KEYS
                              if pred.get(k, {}).get("direction") is not None}
                metrics[name] = res["metric"]
                say(f"predictions for {name}: done")

        tasks = [RunTask(r, data[r.dataset], refs[r.dataset], metrics[r.dataset], cfg.engine, cfg.precision,
                         cfg.checkpoints) for r in cfg.runs]
        futures = {executor.submit(execute_run, t): t.spec for t in tasks}
        results = []
        for k, fut in enumerate(cf.as_completed(futures), 1):
            spec = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a worker process died
                res = _clean({**spec.as_dict(), "engine": cfg.engine, "status": "error", "error": _one_line(exc)})
            _write_json(out / "runs" / f"{spec.id}.json", res)
            results.append({k2: v for k2, v in res.items() if k2 not in ("trajectory", "direction")})
            say(f"[{k}/{len(tasks)}] {spec.id} {spec.optimizer} on {spec.dataset}: {res['status']}"
                + (f" ({res['error']})" if res["status"] != "ok" else f" in {res['seconds']:.1f}s"))
    finally:
        if own:
            executor.shutdown(wait=True)

    results.sort(key=lambda r: r["id"])
    failed = sum(r["status"] != "ok" for r in results)
    _write_json(out / "summary.json", {"sweep": json.loads(describe(cfg)), "failed": failed,
                                       "dataset_notes": notes, "prediction_errors": pred_errors, "runs": results})
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerow(_csv_row(r))
    return SweepResult(out, tuple(results), failed, pred_errors)
