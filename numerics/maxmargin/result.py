"""Results of the max-margin solves: the solution, its duals, and the KKT residuals that vouch for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .norms import Mahalanobis, Norm

__all__ = ["KKTResiduals", "MaxMarginResult"]


@dataclass(frozen=True)
class KKTResiduals:
    """Scale-free KKT residuals of  min ||w|| s.t. <w, x_i> >= 1  (Def. 4.6 for the Mahalanobis norm).

    primal_feasibility  max_i max(0, 1 - <w, x_i>)
    dual_sign           max_i max(0, -lambda_i) / max_i |lambda_i|
    complementarity     max_i |lambda_i (<w, x_i> - 1)| / max_i |lambda_i|
    stationarity        norm-specific, relative (:meth:`numerics.maxmargin.norms.Norm.stationarity`)
    """

    primal_feasibility: float
    dual_sign: float
    complementarity: float
    stationarity: float

    def max(self) -> float:
        return max(self.primal_feasibility, self.dual_sign, self.complementarity, self.stationarity)

    def as_dict(self) -> dict[str, float]:
        return {"primal_feasibility": self.primal_feasibility, "dual_sign": self.dual_sign,
                "complementarity": self.complementarity, "stationarity": self.stationarity}


@dataclass(frozen=True)
class MaxMarginResult:
    """Solution of  min ||w||  s.t.  <w, x_i> >= 1  for one norm.

    ``w`` is the minimiser (so ``margin = 1/||w||`` is the max normalised margin
    gamma = max_{||u|| <= 1} min_i <u, x_i>), ``direction = w/||w||_2``, ``dual`` the
    multipliers lambda of the margin constraints, ``support`` the indices with
    lambda_i > 0 (numerically: above SUPPORT_THRESHOLD * max lambda), ``slack``
    min_{i not in support} (<w, x_i> - 1) (strict inactivity of the other
    constraints; +inf if all are support), ``licq`` whether the active constraints (the points on
    the margin, S(w) of Assumption 4.7, indices ``active``) are linearly independent -- computed on first
    use, since its SVD costs more than the solve at large N.  ``unique`` is False for the l_inf and
    l1 problems, whose minimiser may not be unique (compare margins, not cosines).
    ``solver`` names the method that produced it ("active-set", "interior point", "CLARABEL", "cvxpy/CLARABEL").
    """

    norm: Norm
    w: np.ndarray
    direction: np.ndarray
    margin: float
    dual: np.ndarray
    support: tuple[int, ...]
    slack: float
    active: tuple[int, ...]
    status: str
    solver: str
    kkt: KKTResiduals
    X: np.ndarray = field(repr=False, compare=False, default=None)

    @cached_property
    def licq(self) -> bool:
        from .kkt import licq_holds

        return licq_holds(self.X[list(self.active)])

    @property
    def unique(self) -> bool:
        return self.norm.unique

    @property
    def metric(self) -> np.ndarray | None:
        """diag D(c) for the Mahalanobis problem (Def. 4.6), else None."""
        return self.norm.metric if isinstance(self.norm, Mahalanobis) else None

    def normalised_margin(self, w: np.ndarray, X: np.ndarray) -> float:
        """min_i <w, x_i> / ||w|| in this result's norm, for any w (used to compare limits)."""
        return float(np.min(X @ w)) / self.norm.value(np.asarray(w, float))
