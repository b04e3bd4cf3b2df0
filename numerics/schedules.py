"""Learning-rate schedules (Assumption 2.3, Lemma I.6).

The paper's experiments use eta_t = eta0 * (t + 2)^(-a) with a in (0, 1], which
satisfies Assumption 2.3 (Lemma I.6 = Zhang et al. 2024, Lemma C.1); a = 0 is the
constant rate used for GD (Soudry et al. 2018).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import HyperparameterError
from .arith import eta

__all__ = ["PolynomialDecay", "polynomial_decay", "constant"]


@dataclass(frozen=True)
class PolynomialDecay:
    """eta_t = eta0 * (t + 2)^(-a)  (Sec. 2, experiments of App. C)."""

    eta0: float = 0.1
    a: float = 0.5

    def __post_init__(self) -> None:
        if not (math.isfinite(self.eta0) and self.eta0 > 0):
            raise HyperparameterError(f"eta0 must be a positive finite number, got {self.eta0!r}")
        if not (0 <= self.a <= 1):
            # a > 1 makes sum eta_t finite, violating Assumption 2.3(a).
            raise HyperparameterError(f"decay exponent a must lie in [0, 1] (Assumption 2.3), got {self.a!r}")

    def __call__(self, t: int) -> float:
        return eta(t, self.eta0, self.a)

    def __str__(self) -> str:
        return f"eta_t = {self.eta0:.4g} (t + 2)^-{self.a:g}"


def polynomial_decay(eta0: float = 0.1, a: float = 0.5) -> PolynomialDecay:
    """eta_t = eta0 (t+2)^(-a), the experiments' schedule (App. C; Assumption 2.3 for a in (0, 1])."""
    return PolynomialDecay(float(eta0), float(a))


def constant(eta: float = 0.1) -> PolynomialDecay:
    """Constant learning rate (a = 0), as for GD."""
    return PolynomialDecay(float(eta), 0.0)


#: margin change per step at t = 0 that a data-scaled eta0 allows (times N for the full-batch averages below).
#: Updates with moments (Adam, Signum and their variants) must change little within the moments' memory
#: (Lemma D.2, Assumption 2.3(b)); the epoch map is N such steps; AdamProxy has no memory and a larger step only
#: sets its pace: measured on Gaussian/Laplace data with N = 25-40, 1e6 steps reach a resolution (1 - cos) of
#: 3e-7 to 6e-5 with 0.5 N / max||x_i||_1 and 4e-19 to 3e-14 with 8 N / max||x_i||_1.
STEP_SCALE = {"moments": 0.5, "epoch-map": 0.5, "adam-proxy": 8.0}
MEMORYLESS = ("adam-proxy", "epoch-map")


def eta0_for_data(X, optimizer: str) -> float:
    """eta0 that fits the data's scale (what ``simulate`` and ``run --data`` use when none is given).

    The normalised updates move each coordinate by O(eta_t) per step, so a step changes any margin by at
    most eta_t max_i ||x_i||_1: eta0 = STEP_SCALE / max_i ||x_i||_1 makes the dynamics the same for data
    scaled by any factor.  AdamProxy and the epoch map average the N per-sample gradients in their numerator
    (|update_k| ~ 1/N for gradients of mixed signs), so their eta0 is N times larger.  For the updates with moments, Props. 2.4/2.5 (Assumption 2.3(b)) then hold once
    eta_t max_i ||x_i||_1 << 1 - beta2, i.e. after ~ (0.5 / (0.1 (1 - beta2)))^2 steps (2.5e7 at beta2 = 0.999).
    GD's step is the gradient itself, whose smoothness constant is at most max_i ||x_i||_2^2 L(w) <= max_i
    ||x_i||_2^2 once L <= 1: eta = 1 / max_i ||x_i||_2^2.
    """
    import numpy as np

    X = np.asarray(X, float)
    if optimizer == "gd":
        s, c = float(np.max(np.sum(X * X, axis=1))), 1.0
    else:
        s = float(np.max(np.sum(np.abs(X), axis=1)))
        c = STEP_SCALE["moments"] if optimizer not in MEMORYLESS else STEP_SCALE[optimizer] * X.shape[0]
    if not (s > 0 and math.isfinite(s)):
        raise HyperparameterError("cannot scale the step size to data with no nonzero finite entry")
    return c / s
