"""The Thm 4.8 prediction as a result type: what numerics.fixed_point.limit returns and numerics.limits reports.

Here, below both, so that the solvers do not import the aggregate of all predictions (numerics.limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["LARGE_N", "AdamProxyLimit"]

#: above this many samples the dense mpmath Newton refinement (minutes at N = 100) is replaced by Newton on
#: T(c) = c in float64 plus the Krawczyk certificate's own ball-arithmetic polish
LARGE_N = 60


@dataclass(frozen=True)
class AdamProxyLimit:
    """The Thm 4.8 fixed point c* and the AdamProxy limit direction w*(c*)/||w*(c*)||.

    ``direction`` and ``c`` are float64; ``digits`` holds them (keys "direction", "c") as decimal strings
    at ``precision`` digits when a refinement or a certificate gave more than float64.  ``solution`` is
    the solver's own result (numerics.fixed_point), ``certificate`` the Krawczyk proof when asked for.
    """

    direction: np.ndarray
    c: np.ndarray
    support: tuple[int, ...]
    margin: float
    iterations: int
    kkt_residual: float
    algorithm3_residual: float | None
    min_multiplier: float
    min_slack: float
    licq: bool
    refined: bool
    precision: int | None
    method: str
    notes: tuple[str, ...] = ()
    digits: dict = field(default_factory=dict)
    certificate: Any = None
    solution: Any = field(repr=False, default=None)

    def as_dict(self) -> dict:
        out = {"direction": self.direction.tolist(), "margin": self.margin, "c": self.c.tolist(),
               "support": list(self.support), "iterations": self.iterations, "kkt_residual": self.kkt_residual,
               "algorithm3_residual": self.algorithm3_residual, "min_multiplier": self.min_multiplier,
               "min_slack": self.min_slack if np.isfinite(self.min_slack) else None, "licq": self.licq,
               "refined": self.refined, "precision": self.precision, "method": self.method, "notes": list(self.notes)}
        out.update({f"{k}_digits": list(v) for k, v in self.digits.items()})
        if self.certificate is not None:
            out["certificate"] = self.certificate.as_dict()
        return out
