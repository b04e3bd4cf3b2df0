"""Update transforms, optax style: ``init(bk, d) -> state`` and ``update(bk, grads, state, params=None) ->
(direction, state, lost)``; the step is w_{t+1} = w_t - eta_t * direction, and ``lost`` (a boolean per
coordinate) says which coordinates' updates lost precision (numerics.arith; counted in ``Trajectory.lost``).
``params`` is the current w (only GD's underflow test needs it).

Adam, Signum and GD differ only in this transform; the incremental (per-sample) variants are the
same transform fed one sample at a time by a sampler.  Each transform is a frozen dataclass whose
fields are its whole specification (``Adam(beta1, beta2)``, ...): the compiled engine dispatches on
its type and reads its fields, and the arithmetic of every engine is :mod:`numerics.arith`, each
coordinate at its own log-scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np

from ..backend import FLOAT64, Backend
from ..errors import HyperparameterError
from ..ops import log_or_neg_inf
from .. import arith
from .grads import SampleGrads

__all__ = ["Transform", "ScaledMoments", "Adam", "Signum", "SGD", "AdamProxy", "EpochMap", "adam", "signum", "sgd",
           "adam_proxy", "epoch_map", "c_inc"]


class Transform(Protocol):
    """What the driver needs of a transform (every class below is one)."""

    def init(self, bk: Backend, d: int) -> Any: ...

    def update(self, bk: Backend, grads: SampleGrads, state: Any, params: Any = None
               ) -> tuple[np.ndarray, Any, np.ndarray]: ...


class ScaledMoments(NamedTuple):
    """EMA state, coordinate by coordinate: m_j = e^{s_j} m_hat_j, v_j = e^{2 s_j} v_hat_j (v unused by Signum);
    ``log_scale`` is the vector s (-inf where a coordinate has not been fed yet)."""

    m: np.ndarray
    v: np.ndarray
    log_scale: Any


def _check_momentum(name: str, beta: float) -> float:
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)) or not 0 <= beta < 1:
        raise HyperparameterError(f"{name} must lie in [0, 1), got {beta!r}")
    return float(beta)


def _zero_moments(bk: Backend, d: int) -> ScaledMoments:
    return ScaledMoments(bk.zeros(d), bk.zeros(d), bk.asarray(np.full(d, -math.inf)))


@dataclass(frozen=True)
class Adam:
    """Adam without epsilon and without bias correction (Alg. 1/2; Sec. 2 conventions).

    m_t = beta1 m_{t-1} + (1-beta1) g_t,  v_t = beta2 v_{t-1} + (1-beta2) g_t^2,  direction m_t / sqrt(v_t)
    entrywise (0/0 := 0).  Needs beta1 <= beta2 (Props. 2.4, 2.5, Thm 3.3; implies Lemma D.1's beta1^2 < beta2).
    """

    beta1: float = 0.9
    beta2: float = 0.999

    def __post_init__(self) -> None:
        b1, b2 = _check_momentum("beta1", self.beta1), _check_momentum("beta2", self.beta2)
        if b1 > b2:
            raise HyperparameterError(f"the paper's results need beta1 <= beta2, got beta1={b1} > beta2={b2}")
        object.__setattr__(self, "beta1", b1)
        object.__setattr__(self, "beta2", b2)

    @property
    def decay(self) -> float:
        """log-scale decay log(beta2)/2 of the moments (arith module docstring)."""
        return 0.5 * log_or_neg_inf(self.beta2)

    def init(self, bk: Backend, d: int) -> ScaledMoments:
        return _zero_moments(bk, d)

    def update(self, bk: Backend, grads: SampleGrads, st: ScaledMoments, params=None):
        gamma, g = grads.coordinate_mean(bk)
        s, old, new = arith.rescale(st.log_scale, gamma, self.decay)
        m, v = arith.adam_moments(st.m, st.v, g, self.beta1, self.beta2, old, new)
        return arith.adam_direction(m, v), ScaledMoments(m, v, s), arith.lost_moment(v, g)


@dataclass(frozen=True)
class Signum:
    """Signum (Alg. 4): m_t = beta m_{t-1} + (1-beta) g_t, direction sign(m_t); beta = 0 is SignSGD."""

    beta: float = 0.99

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta", _check_momentum("beta", self.beta))

    @property
    def decay(self) -> float:
        return log_or_neg_inf(self.beta)

    def init(self, bk: Backend, d: int) -> ScaledMoments:
        return _zero_moments(bk, d)

    def update(self, bk: Backend, grads: SampleGrads, st: ScaledMoments, params=None):
        gamma, g = grads.coordinate_mean(bk)
        s, old, new = arith.rescale(st.log_scale, gamma, self.decay)
        m = arith.ema(st.m, g, self.beta, old, new)
        return arith.signum_direction(m), ScaledMoments(m, st.v, s), arith.lost_sign(m)


@dataclass(frozen=True)
class SGD:
    """Plain gradient step: direction = grad L_B at its true scale (GD when fed the full batch).

    The scale e^{gamma_j} col_rel_j is applied here because GD is not scale-invariant; a step that
    underflows where it could still have moved w is reported as lost (arith.lost_step).
    """

    def init(self, bk: Backend, d: int) -> None:
        return None

    def update(self, bk: Backend, grads: SampleGrads, st: None, params=None):
        gamma, g = grads.coordinate_mean(bk)
        step = arith.exp(gamma) * grads.col_rel * g
        lost = np.zeros(len(g), dtype=bool) if params is None else arith.lost_step(step, g, params)
        return step, st, lost


@dataclass(frozen=True)
class AdamProxy:
    """AdamProxy (Def. 4.2, Eq. (4)): direction grad L / sqrt(sum_i (grad L_i)^2), entrywise.

    Fed the full batch.  L = (1/N) sum_i L_i; the constant sqrt(N) (or N) of Prop. 4.1 is absorbed
    into the learning rate, as in Def. 4.2.
    """

    def init(self, bk: Backend, d: int) -> None:
        return None

    def update(self, bk: Backend, grads: SampleGrads, st: None, params=None):
        num, sq, lost = grads.proxy_sums(bk)
        return arith.proxy_direction(num, sq, len(grads.log_weight)), st, lost


@dataclass(frozen=True)
class EpochMap:
    """One epoch of Inc-Adam as the deterministic recurrence of Prop. 2.5, Eq. (2), with eps_r = 0:

    direction = C_inc sum_i [sum_j beta1^((i-j) mod N) grad L_j] / sqrt(sum_j beta2^((i-j) mod N) (grad L_j)^2).
    Fed the full batch once per epoch, with learning rate eta_{rN}.
    """

    beta1: float = 0.9
    beta2: float = 0.999

    def __post_init__(self) -> None:
        a = Adam(self.beta1, self.beta2)  # same admissible range as Adam
        object.__setattr__(self, "beta1", a.beta1)
        object.__setattr__(self, "beta2", a.beta2)

    def init(self, bk: Backend, d: int) -> None:
        return None

    def update(self, bk: Backend, grads: SampleGrads, st: None, params=None):
        b1, b2 = bk.scalar(self.beta1), bk.scalar(self.beta2)
        acc, lost = grads.epoch_sums(bk, b1, b2)
        return arith.c_inc(b1, b2, len(grads.log_weight)) * acc, st, lost


def c_inc(beta1: float, beta2: float, N: int, bk: Backend = FLOAT64) -> Any:
    """C_inc(beta1, beta2) = (1-beta1)/(1-beta1^N) * sqrt((1-beta2^N)/(1-beta2))  (Prop. 2.5), in ``bk``'s numbers."""
    return arith.c_inc(bk.scalar(beta1), bk.scalar(beta2), N)


# optax-style constructors
def adam(beta1: float = 0.9, beta2: float = 0.999) -> Adam:
    return Adam(beta1, beta2)


def signum(beta: float = 0.99) -> Signum:
    return Signum(beta)


def sgd() -> SGD:
    return SGD()


def adam_proxy() -> AdamProxy:
    return AdamProxy()


def epoch_map(beta1: float = 0.9, beta2: float = 0.999) -> EpochMap:
    return EpochMap(beta1, beta2)
