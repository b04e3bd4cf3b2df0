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

from .backend import Backend
from .errors import HyperparameterError

__all__ = ["Loss", "EXPONENTIAL", "LOGISTIC", "get_loss", "log_loss"]


def _softplus(bk: Backend, z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) for any z: max(z, 0) + log1p(e^{-|z|})."""
    return np.maximum(z, 0) + bk.log1p(bk.exp(-np.abs(z)))


def _log_logistic(bk: Backend, z: np.ndarray) -> np.ndarray:
    """log(log(1 + e^{-z})), stable for large positive z.

    For z > 0 write u = e^{-z}: log l(z) = -z + log(log1p(u)/u).  When u is
    below sqrt(eps) the two-term series log1p(u)/u = 1 - u/2 + O(u^2) is exact
    to the working precision (the dropped term u^2/3 < eps), so no 0/0 arises
    even when u underflows to 0 in float64.
    """
    pos = z > 0
    zp = np.where(pos, z, 0)
    u = bk.exp(-zp)
    tiny = u < bk.eps**0.5
    ratio = np.where(tiny, 1 - u / 2, bk.log1p(u) / np.where(tiny, 1, u))
    big = -zp + bk.log(ratio)
    small = bk.log(_softplus(bk, -np.where(pos, 0, z)))
    return np.where(pos, big, small)


@dataclass(frozen=True)
class Loss:
    """A margin loss l with l' < 0, given by log|l'(z)| and log l(z) (Sec. 1.2)."""

    name: str
    log_neg_derivative: Callable[[Backend, np.ndarray], np.ndarray]
    log_value: Callable[[Backend, np.ndarray], np.ndarray]


#: l(z) = e^{-z}: log|l'| = log l = -z exactly.
EXPONENTIAL = Loss("exp", lambda bk, z: -z, lambda bk, z: -z)

#: l(z) = log(1 + e^{-z}): |l'(z)| = 1/(1 + e^{z}), so log|l'| = -softplus(z).
LOGISTIC = Loss("logistic", lambda bk, z: -_softplus(bk, z), _log_logistic)

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
