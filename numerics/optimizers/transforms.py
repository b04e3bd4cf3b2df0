"""Update transforms, optax style: ``init(bk, d) -> state`` and
``update(bk, grads, state) -> (direction, state)``; the step is
w_{t+1} = w_t - eta_t * direction.

Adam, Signum and GD differ only in this transform; the incremental (per-sample)
variants are the same transform fed one sample at a time by a sampler.

Moment estimates are stored relative to a running log-scale s: the true
moments are m = e^s m_hat and v = e^{2s} v_hat.  Adam's m/sqrt(v) and Signum's
sign(m) are 0-homogeneous in that scale, so it cancels exactly and no moment
ever underflows.  The scale follows the larger of the EMA's own decay and the
newest gradient, s' = max(s + log(beta)/2 [Adam] or s + log(beta) [Signum], s_g),
which keeps m_hat, v_hat bounded (Adam: beta1/sqrt(beta2) < 1 as beta1^2 < beta2).
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import numpy as np

from ..backend import FLOAT64, Backend, log_or_neg_inf
from ..errors import HyperparameterError
from .grads import SampleGrads

__all__ = ["Transform", "ScaledMoments", "adam", "signum", "sgd", "adam_proxy", "epoch_map", "c_inc"]


class Transform(NamedTuple):
    init: Callable[[Backend, int], Any]
    update: Callable[[Backend, SampleGrads, Any], tuple[np.ndarray, Any]]


class ScaledMoments(NamedTuple):
    """EMA state: m = e^s m_hat, v = e^{2s} v_hat (v unused by Signum)."""

    m: np.ndarray
    v: np.ndarray
    log_scale: Any


def _check_momentum(name: str, beta: float) -> float:
    beta = float(beta)
    if not (0 <= beta < 1):
        raise HyperparameterError(f"{name} must lie in [0, 1), got {beta!r}")
    return beta


def _check_adam_betas(beta1: float, beta2: float) -> tuple[float, float]:
    beta1, beta2 = _check_momentum("beta1", beta1), _check_momentum("beta2", beta2)
    if beta1 > beta2:
        # Props. 2.4, 2.5, Thm. 3.3 assume beta1 <= beta2 (also implies Lemma D.1's beta1^2 < beta2).
        raise HyperparameterError(f"the paper's results need beta1 <= beta2, got beta1={beta1} > beta2={beta2}")
    return beta1, beta2


def _zero_moments(bk: Backend, d: int) -> ScaledMoments:
    return ScaledMoments(bk.zeros(d), bk.zeros(d), -math.inf)


def adam(beta1: float = 0.9, beta2: float = 0.999) -> Transform:
    """Adam without epsilon and without bias correction (Alg. 1/2; Sec. 2 conventions).

    m_t = beta1 m_{t-1} + (1-beta1) g_t,  v_t = beta2 v_{t-1} + (1-beta2) g_t^2,
    direction m_t / sqrt(v_t) entrywise (0/0 := 0, see Backend.safe_ratio).
    """
    beta1, beta2 = _check_adam_betas(beta1, beta2)
    decay = 0.5 * log_or_neg_inf(beta2)

    def update(bk: Backend, grads: SampleGrads, st: ScaledMoments):
        s_g, g = grads.mean(bk)
        s = max(st.log_scale + decay, s_g)
        old, new = bk.exp(st.log_scale - s), bk.exp(s_g - s)
        m = beta1 * old * st.m + (1 - beta1) * new * g
        v = beta2 * (old * old) * st.v + (1 - beta2) * (new * new) * (g * g)
        return bk.safe_ratio(m, bk.sqrt(v)), ScaledMoments(m, v, s)

    return Transform(_zero_moments, update)


def signum(beta: float = 0.99) -> Transform:
    """Signum (Alg. 4): m_t = beta m_{t-1} + (1-beta) g_t, direction sign(m_t); beta = 0 is SignSGD."""
    beta = _check_momentum("beta", beta)
    decay = log_or_neg_inf(beta)

    def update(bk: Backend, grads: SampleGrads, st: ScaledMoments):
        s_g, g = grads.mean(bk)
        s = max(st.log_scale + decay, s_g)
        m = beta * bk.exp(st.log_scale - s) * st.m + (1 - beta) * bk.exp(s_g - s) * g
        return bk.sign(m), ScaledMoments(m, st.v, s)

    return Transform(_zero_moments, update)


def sgd() -> Transform:
    """Plain gradient step: direction = grad L_B (true scale; GD when fed the full batch).

    The scale e^s is applied here because GD is not scale-invariant; a step
    below float64's range is genuinely negligible against w (the mpmath
    backend keeps it).
    """

    def update(bk: Backend, grads: SampleGrads, st: None):
        s, g = grads.mean(bk)
        return bk.exp(s) * g, st

    return Transform(lambda bk, d: None, update)


def adam_proxy() -> Transform:
    """AdamProxy (Def. 4.2, Eq. (4)): direction grad L / sqrt(sum_i (grad L_i)^2), entrywise.

    Fed the full batch.  L = (1/N) sum_i L_i; the constant sqrt(N) (or N) of
    Prop. 4.1 is absorbed into the learning rate, as in Def. 4.2.
    """

    def update(bk: Backend, grads: SampleGrads, st: None):
        _, G = grads.per_sample(bk)
        num = np.sum(G, axis=0) / G.shape[0]
        return bk.safe_ratio(num, bk.sqrt(np.sum(G * G, axis=0))), st

    return Transform(lambda bk, d: None, update)


def c_inc(beta1: float, beta2: float, N: int, bk: Backend = FLOAT64) -> Any:
    """C_inc(beta1, beta2) = (1-beta1)/(1-beta1^N) * sqrt((1-beta2^N)/(1-beta2))  (Prop. 2.5)."""
    b1, b2 = bk.scalar(beta1), bk.scalar(beta2)
    return (1 - b1) / (1 - b1**N) * bk.sqrt((1 - b2**N) / (1 - b2))


def _circulant_powers(bk: Backend, beta: float, N: int) -> np.ndarray:
    """B[i, j] = beta^((i - j) mod N), powers taken in the backend's precision (0^0 = 1)."""
    powers = [bk.scalar(beta) ** k for k in range(N)]
    i = np.arange(N)
    return bk.asarray(np.array(powers, dtype=object)[(i[:, None] - i[None, :]) % N])


def epoch_map(beta1: float = 0.9, beta2: float = 0.999) -> Transform:
    """One epoch of Inc-Adam as the deterministic recurrence of Prop. 2.5, Eq. (2), with eps_r = 0.

    direction = C_inc sum_i [sum_j beta1^((i-j) mod N) grad L_j] / sqrt(sum_j beta2^((i-j) mod N) (grad L_j)^2).
    Fed the full batch once per epoch, with learning rate eta_{rN}.
    """
    beta1, beta2 = _check_adam_betas(beta1, beta2)

    def update(bk: Backend, grads: SampleGrads, cache: tuple | None):
        _, G = grads.per_sample(bk)
        if cache is None:  # the circulants depend on N only: build them once per run
            N = G.shape[0]
            cache = (_circulant_powers(bk, beta1, N), _circulant_powers(bk, beta2, N), c_inc(beta1, beta2, N, bk))
        B1, B2, C = cache
        return C * np.sum(bk.safe_ratio(B1 @ G, bk.sqrt(B2 @ (G * G))), axis=0), cache

    return Transform(lambda bk, d: None, update)
