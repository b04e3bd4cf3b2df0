"""Losses of Section 1.2 in the log domain: nothing underflows or overflows.

For a margin z = <w, x_i> the algorithms need |l'(z)| and l(z); both decay like
e^{-z}, which underflows in float64 beyond z ~ 745.  Every optimizer in this
package is written against the *logarithms* ``log|l'(z)|`` and ``log l(z)``,
which stay of size O(z).  Nothing is clamped: where float64 cannot hold a
quantity we carry its logarithm instead, and the mpmath backend carries it
exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import ops
from .backend import Backend
from .errors import HyperparameterError
from .arith import EXP_LOSS, LOGISTIC_LOSS, log_neg_derivative

__all__ = ["Loss", "EXPONENTIAL", "LOGISTIC", "get_loss", "log_loss"]


def _softplus(bk: Backend, z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) for any z (= -log|l'(z)| of the logistic loss)."""
    return -log_neg_derivative(z, LOGISTIC_LOSS)


def _log_logistic(bk: Backend, z: np.ndarray) -> np.ndarray:
    """log(log(1 + e^{-z})), stable for large positive z.

    For z > 0 write u = e^{-z}: log l(z) = -z + log(log1p(u)/u).  When u is
    below sqrt(eps) the two-term series log1p(u)/u = 1 - u/2 + O(u^2) is exact
    to the working precision (the dropped term u^2/3 < eps), so no 0/0 arises
    even when u underflows to 0 in float64.
    """
    pos = z > 0
    zp = np.where(pos, z, 0)
    u = ops.exp(-zp)
    tiny = u < bk.eps**0.5
    ratio = np.where(tiny, 1 - u / 2, ops.log1p(u) / np.where(tiny, 1, u))
    big = -zp + ops.log(ratio)
    small = ops.log(_softplus(bk, -np.where(pos, 0, z)))
    return np.where(pos, big, small)


@dataclass(frozen=True)
class Loss:
    """A margin loss l with l' < 0 (Sec. 1.2), given by log|l'(z)| (``code`` selects it in
    :func:`numerics.optimizers.arith.log_neg_derivative`, shared with the compiled engine) and log l(z)."""

    name: str
    code: int
    log_value: Callable[[Backend, np.ndarray], np.ndarray]

    def log_neg_derivative(self, bk: Backend, z: np.ndarray) -> np.ndarray:
        """log|l'(z)| elementwise."""
        return log_neg_derivative(z, self.code)


#: l(z) = e^{-z}: log|l'| = log l = -z exactly.
EXPONENTIAL = Loss("exp", EXP_LOSS, lambda bk, z: -z)

#: l(z) = log(1 + e^{-z}): |l'(z)| = 1/(1 + e^{z}), so log|l'| = -softplus(z).
LOGISTIC = Loss("logistic", LOGISTIC_LOSS, _log_logistic)

_LOSSES = {"exp": EXPONENTIAL, "exponential": EXPONENTIAL, "logistic": LOGISTIC}


def get_loss(name: str) -> Loss:
    """Look up a loss by name (``exp`` or ``logistic``)."""
    try:
        return _LOSSES[name]
    except KeyError:
        raise HyperparameterError(f"unknown loss {name!r}; choose 'exp' or 'logistic'") from None


def log_loss(bk: Backend, loss: Loss, margins: np.ndarray) -> object:
    """log L(w) = log((1/N) sum_i l(<w, x_i>)) from the margins, in the log domain."""
    return bk.logsumexp(loss.log_value(bk, margins)) - bk.log(bk.scalar(len(margins)))
