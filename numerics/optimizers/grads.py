"""Per-sample gradients in the log domain (Sec. 1.2).

With labels absorbed, grad L_i(w) = l'(<w, x_i>) x_i and l' < 0, so
grad L_i(w) = -exp(u_i) x_i with u_i = log|l'(<w, x_i>)|.  A batch of
gradients is carried as (u, rows): the weights exp(u_i) are never formed
unscaled, only relative to max_i u_i, so no gradient underflows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..arith import batch_weights
from ..backend import Backend
from ..losses import Loss

__all__ = ["SampleGrads", "sample_grads", "row_scale"]


@dataclass(frozen=True)
class SampleGrads:
    """Gradients grad L_i = -exp(log_weight[i]) * rows[i] of a batch of samples."""

    log_weight: np.ndarray  # (b,)
    rows: np.ndarray  # (b, d)

    def log_scale(self, bk: Backend) -> object:
        """s = max_i u_i: every batch quantity is returned relative to e^s."""
        return bk.max(self.log_weight)

    def relative_weights(self, bk: Backend, s: object) -> np.ndarray:
        """exp(u_i - s) <= 1 (entries far below e^s may underflow to 0: they are negligible)."""
        return batch_weights(self.log_weight, s)

    def mean(self, bk: Backend) -> tuple[object, np.ndarray]:
        """(s, g) with grad L_B = (1/b) sum_i grad L_i = e^s g  (Alg. 4's L_B, Det-Adam's grad L)."""
        s = self.log_scale(bk)
        p = self.relative_weights(bk, s)
        return s, -(p @ self.rows) / len(p)

    def per_sample(self, bk: Backend) -> tuple[object, np.ndarray]:
        """(s, G) with grad L_i = e^s G[i] for each sample of the batch."""
        s = self.log_scale(bk)
        return s, -self.relative_weights(bk, s)[:, None] * self.rows


def sample_grads(bk: Backend, loss: Loss, X: np.ndarray, w: np.ndarray, idx: np.ndarray | None, *,
                 unit_rows: np.ndarray | None = None, log_row_scale: float = 0.0) -> SampleGrads:
    """Gradients of the samples ``idx`` (all samples if None) at w.

    ``unit_rows`` = X / sigma and ``log_row_scale`` = log(sigma) (see :func:`row_scale`) move the
    data's magnitude into the log weights, so squares of gradient rows never overflow or
    underflow however large or small the data are.
    """
    rows = X if idx is None else X[idx]
    u = loss.log_neg_derivative(bk, rows @ w)
    if unit_rows is None:
        return SampleGrads(u, rows)
    return SampleGrads(u + log_row_scale, unit_rows if idx is None else unit_rows[idx])


def row_scale(X: np.ndarray) -> tuple[float, float]:
    """(sigma, log sigma), sigma = 2^floor(log2 max|X|) so that max|X / sigma| lies in [1, 2): dividing by
    a power of two is exact in float64, and flooring keeps sigma representable even for max|X| near 1.8e308."""
    m = float(np.max(np.abs(np.asarray(X, float))))
    if not (m > 0 and np.isfinite(m)):
        return 1.0, 0.0
    e = math.frexp(m)[1] - 1  # m = f 2^(e+1) with f in [1/2, 1): exact, unlike log2 (which rounds up near 2^1024)
    return math.ldexp(1.0, e), e * math.log(2.0)
