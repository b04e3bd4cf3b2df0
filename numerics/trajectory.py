"""Trajectories: what a run leaves behind, at log-spaced checkpoints.

Directional convergence is slow (1 - cos falls like a power of 1/t or 1/log t),
so a run is summarised at log-spaced steps: the iterate, the loss (as log L, which
never underflows), the normalised l2 / l_inf / Mahalanobis margins and the cosine
to given reference directions.  Memory is O(checkpoints), never O(steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from .errors import PrecisionLossError, RangeError

__all__ = ["log_checkpoints", "Trajectory", "TrajectoryRecorder", "normalised_margins", "robust_norm"]


def log_checkpoints(steps: int, count: int = 60) -> tuple[int, ...]:
    """About ``count`` log-spaced step numbers in [1, steps], always including ``steps``."""
    if steps < 1:
        return ()
    pts = np.unique(np.round(np.logspace(0, np.log10(steps), max(count, 2))).astype(np.int64))
    return tuple(int(p) for p in pts if 1 <= p <= steps) + (() if pts[-1] == steps else (steps,))


def normalised_margins(X: np.ndarray, w: np.ndarray, metric: np.ndarray | None = None) -> dict[str, float]:
    """min_i <w, x_i> / ||w|| in the l2, l_inf and (if ``metric`` = diag D is given) Mahalanobis norms.

    Ratios are 0-homogeneous in w, so float64 is enough however large w grows.
    """
    u = np.asarray(w, float) / float(np.max(np.abs(w)))  # ratios are 0-homogeneous; u avoids under/overflow
    zmin = float(np.min(X @ u))
    out = {"l2": zmin / float(np.linalg.norm(u)), "linf": zmin}
    if metric is not None:
        with np.errstate(divide="ignore", invalid="ignore"):  # D(c) = 0 on u's support (Assumption 2.2 fails): nan
            out["mahalanobis"] = float(np.float64(zmin) / np.sqrt(u @ (metric * u)))
    return out


def robust_norm(w: np.ndarray) -> float:
    """||w||_2 without underflow or overflow of the squares (scaled by max|w| first)."""
    m = float(np.max(np.abs(w))) if np.size(w) else 0.0
    return m * float(np.linalg.norm(np.asarray(w, float) / m)) if m > 0 and np.isfinite(m) else m


@dataclass(frozen=True)
class Trajectory:
    """Checkpointed record of one run (float64 summaries; ``final_w`` in the run's backend)."""

    optimizer: str
    hyper: Mapping[str, Any]
    loss: str
    backend: str
    seed: int | None
    steps: np.ndarray  # (K,) number of updates done at each checkpoint
    w: np.ndarray  # (K, d)
    log_loss: np.ndarray  # (K,) log L(w)
    norm: np.ndarray  # (K,) ||w||_2
    margins: Mapping[str, np.ndarray]  # "l2", "linf", optional "mahalanobis": (K,)
    cos: Mapping[str, np.ndarray]  # reference name -> (K,)
    final_w: Any = field(repr=False)
    engine: str = "reference"  # which engine ran it: "reference" or "compiled" (numerics.optimizers.run)
    #: (d,) how many updates of each coordinate lost precision to underflow (numerics.arith): 0 everywhere
    #: means every coordinate's update carried its own relative precision
    lost: np.ndarray | None = field(default=None, repr=False)

    @property
    def exact(self) -> bool:
        """No coordinate lost an update to the arithmetic (``lost`` is 0 everywhere)."""
        return self.lost is None or not np.any(self.lost)

    @property
    def lost_coordinates(self) -> list[int]:
        """The coordinates (0-based) whose updates lost precision at least once."""
        return [] if self.lost is None else np.flatnonzero(self.lost).tolist()

    def lost_summary(self) -> str:
        """One line naming the lossy coordinates and their counts ("" for an exact run)."""
        if self.exact:
            return ""
        cols = self.lost_coordinates
        shown = ", ".join(f"{j} ({int(self.lost[j])}x)" for j in cols[:8]) + (", ..." if len(cols) > 8 else "")
        return f"{len(cols)} coordinate(s) lost precision to underflow in some updates: {shown}"

    def require_exact(self) -> "Trajectory":
        """self, or PrecisionLossError naming the coordinates whose updates lost precision (arith.lost_*)."""
        if not self.exact:
            raise PrecisionLossError(f"{self.optimizer} run of {int(self.steps[-1])} steps is not exact: "
                                     f"{self.lost_summary()}; rerun in mpmath (more than 62 digits), whose exponents are unbounded")
        return self

    @property
    def direction(self) -> np.ndarray:
        """Final iterate as a unit l2 vector (float64)."""
        return self.w[-1] / robust_norm(self.w[-1])

    def one_minus_cos(self, name: str) -> np.ndarray:
        return 1.0 - self.cos[name]


class TrajectoryRecorder:
    """Accumulates checkpoints during a run (the only mutable piece; private to one run)."""

    def __init__(self, X: np.ndarray, references: Mapping[str, np.ndarray] | None, metric: np.ndarray | None):
        self.X, self.metric = X, metric
        self.refs = {k: np.asarray(v, float) / np.linalg.norm(v) for k, v in (references or {}).items()}
        self.rows: list[tuple] = []

    def record(self, step: int, w: np.ndarray, log_loss: float) -> None:
        """Store checkpoint ``step``.  A non-finite w or log L (L = 0 or inf exactly) is a float64
        range failure, never a result: RangeError (shared by the plain and the compiled engine)."""
        if not (np.all(np.isfinite(w)) and np.isfinite(log_loss)):
            raise RangeError(f"a quantity left float64's range (|w| or margins beyond 1e308) by step {step}; "
                             "rescale the data or use the mpmath backend (--precision DIGITS)")
        n = robust_norm(w)
        margins = normalised_margins(self.X, w, self.metric) if n > 0 else {}
        u = w / n if n > 0 else w
        cos = {k: float(u @ r) if n > 0 else 0.0 for k, r in self.refs.items()}
        self.rows.append((step, w.copy(), log_loss, n, margins, cos))

    def finish(self, *, optimizer, hyper, loss, backend, seed, final_w, engine="reference", lost=None) -> Trajectory:
        steps, ws, ll, norms, margins, cos = zip(*self.rows) if self.rows else ((),) * 6
        keys = ["l2", "linf"] + (["mahalanobis"] if self.metric is not None else [])
        nan = float("nan")
        return Trajectory(
            optimizer=optimizer, hyper=hyper, loss=loss, backend=backend, seed=seed,
            steps=np.asarray(steps, dtype=np.int64), w=np.asarray(ws, float).reshape(len(steps), self.X.shape[1]),
            log_loss=np.asarray(ll, float), norm=np.asarray(norms, float),
            margins=MappingProxyType({k: np.array([m.get(k, nan) for m in margins]) for k in keys}),
            cos=MappingProxyType({k: np.array([c[k] for c in cos]) for k in self.refs}),
            final_w=final_w, engine=engine, lost=None if lost is None else np.asarray(lost, dtype=np.int64),
        )
