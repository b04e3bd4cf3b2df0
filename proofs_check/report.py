"""Render a claims report as a terminal table, JSON (schema below) or Markdown."""

from __future__ import annotations

import math
import shutil
import textwrap
from typing import Any

from numerics import jsonsafe

from .claims.base import VERDICTS, CheckResult
from .runner import Report

__all__ = ["REPORT_SCHEMA", "as_table", "as_markdown", "as_json", "summary_line"]

# JSON Schema (draft 2020-12) of `proofs-check run --json PATH`; tests validate reports against it.
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "proofs-check report",
    "type": "object",
    "required": ["claims", "environment"],
    "properties": {
        "claims": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "statement", "method", "prediction", "measured", "tolerance", "verdict", "resolution",
                         "unit", "rivals", "rival_ratio", "nearest_rival", "reason", "details"],
            "properties": {
                "id": {"type": "string"}, "statement": {"type": "string"},
                "method": {"enum": ["symbolic", "numeric", "both"]},
                "prediction": {"type": "string"}, "measured": {"type": "string"}, "tolerance": {"type": "string"},
                "verdict": {"enum": list(VERDICTS)},
                "resolution": {"type": ["number", "null"]}, "unit": {"type": "string"},
                "rivals": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                "rival_ratio": {"type": ["number", "null"]},
                "nearest_rival": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["name", "distance"],
                    "properties": {"name": {"type": "string"}, "distance": {"type": ["number", "null"]}}}]},
                "reason": {"type": "string"}, "details": {"type": "object"}}}},
        "environment": {"type": "object", "required": ["versions", "seed", "precision", "solver"],
                        "properties": {"versions": {"type": "object"}, "seed": {"type": "integer"},
                                       "precision": {"type": "object"}, "solver": {"type": "string"}}},
    },
}

_MARK = {"pass": "PASS", "fail": "FAIL", "inconclusive": "inconcl.", "skip": "skip", "error": "ERROR"}


def as_json(report: Report) -> str:
    """The report as JSON (validates against REPORT_SCHEMA)."""
    return jsonsafe.dumps(report.as_dict())


def _num(x) -> str:
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.1e}"


def _rival(r: CheckResult) -> str:
    near = r.nearest_rival
    if near is None:
        return "-"
    ratio = f" ({r.rival_ratio:.0e}x)" if r.rival_ratio is not None and math.isfinite(r.rival_ratio) else ""
    return f"{near[0]} {near[1]:.1e}{ratio}"


def summary_line(report: Report) -> str:
    """e.g. "18 claims: 15 pass, 1 inconclusive, 2 skip"."""
    counts = {v: sum(r.verdict == v for r in report.results) for v in _MARK}
    n = len(report.results)
    return f"{n} claim{'s' if n != 1 else ''}: " + ", ".join(f"{k} {v}" for v, k in counts.items() if k)


def as_table(report: Report, width: int | None = None) -> str:
    """The terminal table, fitted to ``width`` (default: the terminal's): per claim the verdict, time,
    resolution (the error bar, in the claim's unit) and the nearest rival with its ratio to the resolution,
    then the statement, the measurement and the reason of a non-pass verdict, wrapped."""
    width = max(60, width or shutil.get_terminal_size((100, 24)).columns)
    head = f"{'claim':<14} {'verdict':<9} {'time':>6}  {'resolution':<18} nearest rival (x resolution)"
    lines = [head[:width], "-" * min(width, len(head) + 10)]
    indent = " " * 4
    for r in report.results:
        secs = report.seconds.get(r.id, 0.0)
        res = _num(r.resolution) + (f" {r.unit}" if r.resolution is not None and r.unit != "1-cos" else "")
        lines.append(f"{r.id:<14} {_MARK[r.verdict]:<9} {secs:>5.1f}s  {res:<18} {_rival(r)}"[:width])
        body = f"{r.statement}. Measured: {r.measured}"
        if r.verdict in ("error", "skip", "inconclusive", "fail"):
            body += f". Why: {r.reason or r.details.get('error', '')}"
        lines += textwrap.wrap(body, width - len(indent), initial_indent=indent, subsequent_indent=indent)
    lines += ["", summary_line(report)]
    return "\n".join(lines)


def as_markdown(report: Report) -> str:
    """The report as a Markdown table with the environment below it."""
    env = report.environment
    out = ["# proofs-check report", "",
           f"Seed {env.get('seed')}, quick = {env.get('quick')}, solver: {env.get('solver')}.", "",
           "| id | verdict | resolution | nearest rival (x resolution) | statement | measured | reason |",
           "|---|---|---|---|---|---|---|"]
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    for r in report.results:
        res = _num(r.resolution) + (f" ({r.unit})" if r.resolution is not None else "")
        out.append("| " + " | ".join(esc(x) for x in (r.id, f"**{r.verdict}**", res, _rival(r), r.statement,
                                                       r.measured, r.reason or "")) + " |")
    out += ["", summary_line(report), "",
            "Versions: " + ", ".join(f"{k} {v}" for k, v in env.get("versions", {}).items() if v)]
    return "\n".join(out) + "\n"
