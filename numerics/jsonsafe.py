"""Strict JSON out of results that may hold numpy scalars or non-finite floats (CLI, reports, sweeps).

JSON has no NaN or Infinity; a non-finite float becomes null (e.g. ``min_slack`` when every point
is a support vector), so every file the toolkit writes parses with any JSON reader.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

__all__ = ["dumps", "sanitize"]


def sanitize(obj: Any) -> Any:
    """Plain Python containers with finite floats or None."""
    if isinstance(obj, dict):
        return {str(k): sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [sanitize(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return sanitize(obj.tolist())
    if isinstance(obj, (np.floating, np.integer, np.bool_)):
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, (str, int, bool)) or obj is None:
        return obj
    return str(obj)


def dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(sanitize(obj), indent=indent, allow_nan=False)
