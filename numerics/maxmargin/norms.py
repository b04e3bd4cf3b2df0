"""The norms of the max-margin problems, as small objects (one concept each, as cvxpy's atoms).

A norm knows its value, its dual norm, its cvxpy objective and the relative residual of the
stationarity condition of  min ||w|| s.t. <w, x_i> >= 1  at (w, g = X^T lambda).  Quadratic norms
(l2, Mahalanobis) are minimised as 1/2 ||w||^2 and have a unique minimiser; the polyhedral ones
(l_inf, l1) are LPs whose minimiser may not be unique (docs/math.md §12: compare margins, not cosines).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import DatasetError

__all__ = ["Norm", "L2", "LINF", "L1", "Mahalanobis", "preconditioner_diag", "NORMS"]


@dataclass(frozen=True)
class Norm:
    """Base: ``name``, ``unique`` (strictly convex objective), ``quadratic`` (minimised as 1/2 ||w||^2)."""

    name: str
    unique: bool
    quadratic: bool

    def value(self, w: np.ndarray) -> float:
        raise NotImplementedError

    def dual_value(self, g: np.ndarray) -> float:
        raise NotImplementedError

    def objective(self, w):
        """The cvxpy expression minimised (1/2 ||w||^2 for quadratic norms, ||w|| otherwise)."""
        raise NotImplementedError

    def stationarity(self, w: np.ndarray, g: np.ndarray) -> float:
        """Relative residual of stationarity at w with g = X^T lambda (0 at a KKT point).

        Quadratic: grad(1/2 ||w||^2) = g.  Polyhedral: g is a subgradient of ||.|| at w, i.e. its dual
        norm is 1 and <g, w> = ||w||."""
        nv = self.value(w)
        return abs(self.dual_value(g) - 1.0) + abs(float(g @ w) - nv) / nv

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class _L2(Norm):
    def value(self, w):
        return float(np.linalg.norm(w))

    def dual_value(self, g):
        return float(np.linalg.norm(g))

    def objective(self, w):
        import cvxpy as cp

        return 0.5 * cp.sum_squares(w)

    def stationarity(self, w, g):
        return float(np.max(np.abs(w - g)) / np.max(np.abs(w)))


@dataclass(frozen=True)
class _Linf(Norm):
    def value(self, w):
        return float(np.max(np.abs(w)))

    def dual_value(self, g):
        return float(np.sum(np.abs(g)))

    def objective(self, w):
        import cvxpy as cp

        return cp.norm(w, "inf")


@dataclass(frozen=True)
class _L1(Norm):
    def value(self, w):
        return float(np.sum(np.abs(w)))

    def dual_value(self, g):
        return float(np.max(np.abs(g)))

    def objective(self, w):
        import cvxpy as cp

        return cp.norm(w, 1)


@dataclass(frozen=True, eq=False)
class Mahalanobis(Norm):
    """||w||_D = sqrt(w^T D w) with D = diag(``metric``) > 0 (Def. 4.6: D = D(c)); dual ||g||_{D^-1}."""

    name: str = "mahalanobis"
    unique: bool = True
    quadratic: bool = True
    metric: np.ndarray = field(default=None, repr=False)

    def value(self, w):
        return float(np.sqrt(w @ (self.metric * w)))

    def dual_value(self, g):
        return float(np.sqrt(g @ (g / self.metric)))

    def objective(self, w):
        import cvxpy as cp

        return 0.5 * cp.sum_squares(cp.multiply(np.sqrt(self.metric), w))

    def stationarity(self, w, g):
        Dw = self.metric * w
        return float(np.max(np.abs(Dw - g)) / np.max(np.abs(Dw)))

    def scaled(self, factor: float) -> "Mahalanobis":
        """The same norm for data multiplied by ``factor`` (D(c) is 1-homogeneous in X)."""
        return Mahalanobis(metric=self.metric * factor)


L2 = _L2("l2", unique=True, quadratic=True)
LINF = _Linf("linf", unique=False, quadratic=False)
L1 = _L1("l1", unique=False, quadratic=False)
NORMS = {n.name: n for n in (L2, LINF, L1)}


def preconditioner_diag(X: np.ndarray, c: np.ndarray) -> np.ndarray:
    """diag of D(c) = diag(sqrt(sum_j c_j^2 x_j^2)) (Def. 4.6), entrywise squares.

    Computed as s sqrt(sum_j c_j^2 (x_j / s)^2) with s = max|X| (D(c) is 1-homogeneous in X), so the squares
    neither underflow nor overflow for data of any magnitude."""
    X, c = np.asarray(X, float), np.asarray(c, float)
    if c.shape != (X.shape[0],):
        raise DatasetError(f"c must have length N = {X.shape[0]}, got shape {c.shape}")
    if not np.all(np.isfinite(c)) or np.any(c < 0) or not c.any():
        raise DatasetError("c must be a finite, nonnegative, nonzero vector (a point of the simplex up to scale)")
    s = float(np.max(np.abs(X))) or 1.0
    return s * np.sqrt((c**2) @ ((X / s) ** 2))
