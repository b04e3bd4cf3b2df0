"""Render a claims report as a terminal table, JSON (schema below) or Markdown."""

from __future__ import annotations

import textwrap
from typing import Any

from numerics import jsonsafe

from .runner import Report

__all__ = ["REPORT_SCHEMA", "as_table", "as_markdown", "as_json"]

# JSON Schema (draft 2020-12) of `proofs-check run --json PATH`; tests validate reports against it.
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "proofs-check report",
    "type": "object",
    "required": ["claims", "environment"],
    "properties": {
        "claims": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "statement", "method", "prediction", "measured", "tolerance", "verdict", "details"],
            "properties": {
                "id": {"type": "string"}, "statement": {"type": "string"},
                "method": {"enum": ["symbolic", "numeric", "both"]},
                "prediction": {"type": "string"}, "measured": {"type": "string"}, "tolerance": {"type": "string"},
                "verdict": {"enum": ["pass", "fail", "skip", "error"]}, "details": {"type": "object"}}}},
        "environment": {"type": "object", "required": ["versions", "seed", "precision", "solver"],
                        "properties": {"versions": {"type": "object"}, "seed": {"type": "integer"},
                                       "precision": {"type": "object"}, "solver": {"type": "string"}}},
    },
}

_MARK = {"pass": "PASS", "fail": "FAIL", "skip": "skip", "error": "ERROR"}


def as_json(report: Report) -> str:
    """The report as JSON (validates against REPORT_SCHEMA)."""
    return jsonsafe.dumps(report.as_dict())


def as_table(report: Report, width: int = 150) -> str:
    """The terminal table: one block per claim with verdict, statement, prediction, measurement, tolerance."""
    head = f"{'claim':<14} {'verdict':<7} {'method':<8} {'time':>6}  measured  [tolerance]"
    lines = [head, "-" * min(width, len(head) + 60)]
    for r in report.results:
        secs = report.seconds.get(r.id, 0.0)
        lines.append(f"{r.id:<14} {_MARK[r.verdict]:<7} {r.method:<8} {secs:>5.1f}s  {r.statement}")
        body = f"predicted: {r.prediction}; measured: {r.measured} [{r.tolerance}]"
        if r.verdict in ("error", "skip"):
            body = r.details.get("error") or r.details.get("skipped") or body
        lines += textwrap.wrap(body, width - 16, initial_indent=" " * 16, subsequent_indent=" " * 16)
    counts = {v: sum(r.verdict == v for r in report.results) for v in _MARK}
    lines.append("")
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items() if n) + f" of {len(report.results)} claims")
    return "\n".join(lines)


def as_markdown(report: Report) -> str:
    """The report as a Markdown table with the environment below it."""
    env = report.environment
    out = ["# proofs-check report", "",
           f"Seed {env.get('seed')}, quick = {env.get('quick')}, solver: {env.get('solver')}.", "",
           "| id | statement | method | prediction | measured | tolerance | verdict |", "|---|---|---|---|---|---|---|"]
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    for r in report.results:
        out.append("| " + " | ".join(esc(x) for x in (r.id, r.statement, r.method, r.prediction, r.measured,
                                                       r.tolerance, f"**{r.verdict}**")) + " |")
    out += ["", "Versions: " + ", ".join(f"{k} {v}" for k, v in env.get("versions", {}).items() if v)]
    return "\n".join(out) + "\n"
