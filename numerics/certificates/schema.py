"""JSON Schema of a certificate file (version 1); ``proofs-check verify-certificate`` re-checks one.

Numbers that must be exact are stored so that no decimal rounding enters: max-margin vectors as JSON
floats (binary64 values, which JSON round-trips exactly), the fixed point's centre and half-width as
integers times a power of two (``{"m": ..., "e": ...}`` means m 2^e), the preconditioner Y as 32-bit
little-endian integers in hex with one power of two per row.  Everything is about the data file with
the given SHA-256, rows multiplied by their labels (docs/math.md §13.3).
"""

from __future__ import annotations

__all__ = ["CERTIFICATE_SCHEMA", "FORMAT", "VERSION"]

FORMAT = "per-sample-adam-certificate"
VERSION = 1

_floats = {"type": "array", "items": {"type": "number"}}
_max_margin = {
    "type": "object", "required": ["w", "multipliers"],
    "properties": {"w": {**_floats, "description": "a separating w (d floats); the checker rescales it to min Xw = 1"},
                   "multipliers": {**_floats, "description": "dual multipliers lambda >= 0 (N floats)"},
                   "gap": {"type": "number", "description": "relative duality gap the writer measured (informative)"}},
}
_dyadic = {"type": "object", "required": ["m", "e"],
           "properties": {"m": {"type": "string", "pattern": "^-?[0-9]+$"}, "e": {"type": "integer"}}}

CERTIFICATE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "per-sample-adam-toolkit certificate",
    "type": "object",
    "required": ["format", "version", "data"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "data": {"type": "object", "required": ["file", "sha256", "N", "d"],
                 "properties": {"file": {"type": "string"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                "N": {"type": "integer", "minimum": 1}, "d": {"type": "integer", "minimum": 1}}},
        "l2": {**_max_margin, "description": "l2 max margin (hard-margin SVM): KKT point, weak duality"},
        "linf": {**_max_margin, "description": "l_inf max margin (an LP): primal and dual"},
        "fixed_point": {
            "type": "object", "description": "Thm 4.8 fixed point: Krawczyk box of F_S (docs/math.md §13.3)",
            "required": ["support", "lambda", "radius", "preconditioner", "claimed"],
            "properties": {
                "support": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                "lambda": {"type": "object", "required": ["m", "e"], "description": "centre lambda~ = m 2^e",
                           "properties": {"m": {"type": "array", "items": {"type": "string", "pattern": "^-?[0-9]+$"}},
                                          "e": {"type": "integer"}}},
                "radius": {**_dyadic, "description": "half-width r of the box lambda~ +- r"},
                "preconditioner": {"type": "object", "required": ["row_exponents", "int32_hex"],
                                   "description": "Krawczyk's Y = diag(2^row_exponents) Y_int (any Y is valid)",
                                   "properties": {"row_exponents": {"type": "array", "items": {"type": "integer"}},
                                                  "int32_hex": {"type": "string", "pattern": "^[0-9a-f]*$"}}},
                "jacobian": {"enum": ["rounded", "enclosure"],
                             "description": "how the checker bounds |I - Y J| on the box: 'rounded' (default) "
                                            "through a 24-bit integer J_1 plus proved error bounds, 'enclosure' as a "
                                            "ball matrix (small supports whose columns are many binades apart)"},
                "licq": {"type": "object", "description": "ignored: LICQ follows from the Krawczyk test (older files "
                                                          "carried a determinant modulo a prime here)"},
                "claimed": {"type": "object", "required": ["c", "direction", "radius"],
                            "description": "decimal c (N) and AdamProxy direction (d), each within radius of the truth",
                            "properties": {"c": {"type": "array", "items": {"type": "string"}},
                                           "direction": {"type": "array", "items": {"type": "string"}},
                                           "radius": {"type": "string"}}},
                "dps": {"type": "integer"},
            },
        },
    },
}
