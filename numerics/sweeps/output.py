"""The output directory of a sweep: refuse or replace an earlier sweep's files, run/prediction JSON, summary.

Layout (see :mod:`numerics.sweeps.runner`): ``runs/ID.json``, ``predictions/NAME.json``,
``summary.json`` and ``summary.csv`` (columns ``CSV_COLUMNS``; the optimizer settings are its
effective hyperparameters, defaults included).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..jsonsafe import sanitize
from .config import SETTINGS, SweepConfig, describe

__all__ = ["CSV_COLUMNS", "PREDICTION_KEYS", "prepare_output", "write_json", "write_summary"]

PREDICTION_KEYS = ("l2", "linf", "adam_proxy", "signsgd")
CSV_COLUMNS = (("id", "dataset", "optimizer") + SETTINGS + ("loss", "seed", "steps", "engine", "status", "seconds",
               "log_loss", "norm", "margin_l2", "margin_linf", "margin_mahalanobis")
               + tuple(f"cos_{k}" for k in PREDICTION_KEYS) + ("limit_resolution",)
               + tuple(f"limit_one_minus_cos_{k}" for k in PREDICTION_KEYS) + ("error",))


def prepare_output(out: Path, overwrite: bool) -> None:
    """Create OUT/runs and OUT/predictions; refuse (or with ``overwrite`` delete) an earlier sweep's files."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output directory {out} is a file")
    old = [p for p in (out / "summary.json", out / "summary.csv") if p.is_file()]
    old += sorted((out / "runs").glob("*.json")) + sorted((out / "predictions").glob("*.json"))
    if old and not overwrite:
        # mixing two sweeps' run files under one summary would be silently wrong
        raise ConfigError(f"{out} already holds the results of a sweep ({len(old)} files); choose another output "
                          "directory or pass --overwrite (overwrite=True) to replace them")
    try:
        for path in old:
            path.unlink()
        (out / "runs").mkdir(parents=True, exist_ok=True)
        (out / "predictions").mkdir(exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot prepare output directory {out}: {exc.strerror or exc}") from None


def write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(sanitize(obj), indent=1, allow_nan=False) + "\n", encoding="utf-8")


def write_summary(out: Path, cfg: SweepConfig, results: list[dict], notes: dict, pred_errors: dict) -> int:
    """OUT/summary.json and OUT/summary.csv; returns the number of failed runs."""
    failed = sum(r["status"] != "ok" for r in results)
    write_json(out / "summary.json", {"sweep": json.loads(describe(cfg)), "failed": failed,
                                       "dataset_notes": notes, "prediction_errors": pred_errors, "runs": results})
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerow(_csv_row(r))
    return failed


def _csv_row(r: dict) -> dict:
    row = {k: r.get(k, "") for k in ("id", "dataset", "optimizer", "loss", "seed", "steps", "engine", "status",
                                     "seconds", "log_loss", "norm", "error")}
    hyper = {**r.get("settings", {}), **r.get("hyper", {})}
    if "eta" in hyper:  # GD's constant step is the sweep's eta0
        hyper.setdefault("eta0", hyper.pop("eta"))
    row.update({k: hyper.get(k, "") for k in SETTINGS})
    for k in ("l2", "linf", "mahalanobis"):
        row[f"margin_{k}"] = r.get("margins", {}).get(k, "")
    limit = r.get("limit", {})
    row["limit_resolution"] = limit.get("resolution", "")
    for k in PREDICTION_KEYS:
        row[f"cos_{k}"] = r.get("cos", {}).get(k, "")
        row[f"limit_one_minus_cos_{k}"] = limit.get("one_minus_cos", {}).get(k, "")
    return {k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS}
