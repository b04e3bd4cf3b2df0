"""Per-sample gradients in the log domain (Sec. 1.2), each coordinate at its own scale.

With labels absorbed, grad L_i(w) = l'(<w, x_i>) x_i and l' < 0, so grad L_i(w) = -exp(u_i) x_i with
u_i = log|l'(<w, x_i>)|.  A batch of gradients is carried as (u, rows): the weights exp(u_i) are never
formed unscaled.  The batch's quantities are formed relative to max_i u_i, and a coordinate whose result
there is too small to exclude lost contributors is formed again relative to its own largest contributor
(numerics.arith module docstring, docs/math.md §13.5); this module is that step on whole vectors (the
reference engine), the compiled kernels do the same coordinate by coordinate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import arith
from ..arith import batch_weights
from ..backend import Backend
from ..losses import Loss

__all__ = ["SampleGrads", "sample_grads", "row_scale", "column_scale"]


@dataclass(frozen=True)
class SampleGrads:
    """Gradients grad L_i = -exp(log_weight[i]) * col_rel * rows[i] of a batch of samples (``col_rel`` = 1
    when the rows are the data themselves)."""

    log_weight: np.ndarray  # (b,)
    rows: np.ndarray  # (b, d)
    col_rel: np.ndarray | float = 1.0  # (d,): the columns' scales c_j / sigma (numerics.optimizers.plan)

    def log_scale(self, bk: Backend) -> object:
        """s = max_i u_i: the batch's quantities are first formed relative to e^s."""
        return bk.max(self.log_weight)

    def relative_weights(self, bk: Backend, s: object) -> np.ndarray:
        """exp(u_i - s) <= 1 (entries far below e^s underflow to 0 in float64)."""
        return batch_weights(self.log_weight, s)

    def mean(self, bk: Backend) -> tuple[object, np.ndarray]:
        """(s, g) with grad L_B = (1/b) sum_i grad L_i = e^s col_rel g, all coordinates at the batch's scale
        (for reports; the optimizers use :meth:`coordinate_mean`)."""
        s = self.log_scale(bk)
        p = self.relative_weights(bk, s)
        return s, -(p @ self.rows) / len(p)

    def per_sample(self, bk: Backend) -> tuple[object, np.ndarray]:
        """(s, G) with grad L_i = e^s col_rel G[i] for each sample of the batch, at the batch's scale."""
        s = self.log_scale(bk)
        return s, -self.relative_weights(bk, s)[:, None] * self.rows

    def own_weights(self, bk: Backend, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(gamma, P) for the coordinates ``cols``: gamma_j = max{u_i : rows[i, j] != 0} (-inf if none) and
        P[i, k] = exp(u_i - gamma_k) where rows[i, k] != 0, else 0 (a zero entry contributes nothing, and its
        weight, which may be e^(+700), is never formed)."""
        R = self.rows[:, cols]
        nz = R != 0
        u = self.log_weight[:, None]
        gamma = np.max(np.where(nz, u, -math.inf), axis=0)
        P = bk.zeros(R.shape)
        rows, ks = np.nonzero(nz)
        if rows.size:
            P[rows, ks] = arith.batch_weights(self.log_weight[rows], gamma[ks])
        return gamma, P

    def coordinate_mean(self, bk: Backend) -> tuple[np.ndarray, np.ndarray]:
        """(gamma, g) with (grad L_B)_j = e^{gamma_j} col_rel_j g_j: at the batch's scale gamma_j = s, formed
        again at the coordinate's own scale where that is below TINY (arith.needs_own_scale); a coordinate
        with no contributor has gamma_j = -inf and g_j = 0."""
        s, g = self.mean(bk)
        gamma = np.full(g.shape, s, dtype=float if bk.is_float else object)
        cols = np.flatnonzero(arith.needs_own_scale(g))
        if cols.size:
            own, P = self.own_weights(bk, cols)
            g_own = -np.sum(P * self.rows[:, cols], axis=0) / len(self.log_weight)
            g[cols] = g_own
            gamma[cols] = np.where(g_own == 0, -math.inf, own)
        return gamma, g

    def proxy_sums(self, bk: Backend) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(num, sq, lost): sum_i G_ij and sum_i G_ij^2 of each coordinate at its scale (Def. 4.2's numerator
        and squared denominator, 0-homogeneous per coordinate), and where the ratio lost precision."""
        s, G = self.per_sample(bk)
        num, sq = np.sum(G, axis=0), np.sum(G * G, axis=0)
        lost = np.zeros(G.shape[1], dtype=bool)
        cols = np.flatnonzero(arith.needs_own_scale(sq, arith.TINY**2))
        if cols.size:
            own, P = self.own_weights(bk, cols)
            Gs = -P * self.rows[:, cols]
            num[cols], sq[cols] = np.sum(Gs, axis=0), np.sum(Gs * Gs, axis=0)
            lost[cols] = arith.lost_ratio(sq[cols]) & (own > -math.inf)
        return num, sq, lost

    def epoch_sums(self, bk: Backend, beta1, beta2) -> tuple[np.ndarray, np.ndarray]:
        """(sum_i S1_i / sqrt(S2_i), lost) of Eq. (2) (arith.epoch_map_sum), each coordinate at its scale."""
        p = self.relative_weights(bk, self.log_scale(bk))
        acc, low = arith.epoch_map_sum(p, self.rows, beta1, beta2)
        lost = np.zeros(self.rows.shape[1], dtype=bool)
        cols = np.flatnonzero(arith.needs_own_scale(low, arith.TINY**2))
        if cols.size:
            own, P = self.own_weights(bk, cols)
            acc[cols], low_own = arith.epoch_map_sum(P, self.rows[:, cols], beta1, beta2)
            lost[cols] = arith.lost_ratio(low_own) & (own > -math.inf)
        return acc, lost


def sample_grads(bk: Backend, loss: Loss, X: np.ndarray, w: np.ndarray, idx: np.ndarray | None, *,
                 unit_rows: np.ndarray | None = None, log_row_scale: float = 0.0,
                 col_rel: np.ndarray | float = 1.0) -> SampleGrads:
    """Gradients of the samples ``idx`` (all samples if None) at w.

    ``unit_rows`` = X / c, ``log_row_scale`` = log(sigma) and ``col_rel`` = c / sigma (a
    :class:`~numerics.optimizers.plan.RunPlan`'s ``unit``, ``log_sigma``, ``col_rel``) move the data's
    magnitude into the log weights and the column factors, so squares of gradient rows never overflow or
    underflow however large, small or unevenly scaled the data are.
    """
    rows = X if idx is None else X[idx]
    u = loss.log_neg_derivative(bk, rows @ w)
    if unit_rows is None:
        return SampleGrads(u, rows, col_rel)
    return SampleGrads(u + log_row_scale, unit_rows if idx is None else unit_rows[idx], col_rel)


def _power_below(m: float) -> tuple[float, int]:
    """(2^e, e) with e = floor(log2 m), m > 0 finite: frexp is exact, unlike log2 (which rounds up near 2^1024),
    and flooring keeps 2^e representable even for m near 1.8e308."""
    e = math.frexp(m)[1] - 1
    return math.ldexp(1.0, e), e


def row_scale(X: np.ndarray) -> tuple[float, float]:
    """(sigma, log sigma), sigma = 2^floor(log2 max|X|) so that max|X / sigma| lies in [1, 2): dividing by
    a power of two is exact in float64."""
    m = float(np.max(np.abs(np.asarray(X, float)))) if np.size(X) else 0.0
    if not (m > 0 and np.isfinite(m)):
        return 1.0, 0.0
    sigma, e = _power_below(m)
    return sigma, e * math.log(2.0)


def column_scale(X: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(c, sigma, log sigma): c_j = 2^floor(log2 max_i |X_ij|) for each column (sigma for an all-zero column),
    so that X[:, j] / c_j is exact with its largest entry in [1, 2); sigma = max_j c_j (:func:`row_scale`).
    One pass over X (the column maxima give sigma too) and no |X| temporary: run's setup is part of every
    short run's time."""
    X = np.asarray(X, float)
    if X.size == 0:
        return np.ones(X.shape[1]), 1.0, 0.0
    top = np.maximum(X.max(axis=0), -X.min(axis=0))
    m = float(top.max())
    sigma, e = _power_below(m) if m > 0 and np.isfinite(m) else (1.0, 0)
    fed = (top > 0) & np.isfinite(top)
    mant, ex = np.frexp(np.where(fed, top, 1.0))  # exact: top = mant 2^ex with mant in [1/2, 1)
    c = np.where(fed, np.ldexp(1.0, ex - 1), sigma)
    return c, sigma, e * math.log(2.0)
