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


def polynomial_decay(eta0: float = 0.1, a: float = 0.5) -> PolynomialDecay:
    """eta_t = eta0 (t+2)^(-a), the experiments' schedule (App. C; Assumption 2.3 for a in (0, 1])."""
    return PolynomialDecay(float(eta0), float(a))


def constant(eta: float = 0.1) -> PolynomialDecay:
    """Constant learning rate (a = 0), as for GD."""
    return PolynomialDecay(float(eta), 0.0)
