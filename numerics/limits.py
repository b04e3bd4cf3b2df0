"""Every predicted limit direction of a dataset, in one typed result (the numerical core of ``predict``).

| field          | optimizer it predicts                               | source                            |
|----------------|-----------------------------------------------------|-----------------------------------|
| ``l2``         | GD; Inc-Adam and AdamProxy on GR data               | Soudry et al. 2018; Thm 3.3; Ex. 4.9 |
| ``linf``       | Det-Adam; Inc-Signum with beta near 1               | Zhang et al. 2024; Thm 5.1        |
| ``adam_proxy`` | AdamProxy, and Inc-Adam as beta2 -> 1               | Thm 4.8 (Algorithm 3 + Newton)    |
| ``signsgd``    | SignSGD (beta = 0, b = 1)                           | App. G remark                     |
| ``finite_beta2`` | Inc-Adam / cyclic mini-batch Adam at finite beta2 | Eq. (8) closure, a conjecture (docs/math.md §13.1) |

A prediction that cannot be computed is a :class:`Failure` with its reason, in its own field; the
others stand.  Directions, c and supports are scale invariant and normalised margins are
1-homogeneous, so everything is solved on X / 2^k ~ X / max|X| (exact in binary, so a certificate
is about the given data) and margins are scaled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import ConvergenceError, RangeError, SolverError
from .optimizers.grads import row_scale

__all__ = ["Failure", "MaxMarginLimit", "AdamProxyLimit", "SignSGDLimit", "Limits", "predict_limits", "LARGE_N",
           "PREDICTION_KEYS"]

#: above this many samples the dense mpmath Newton refinement (minutes at N = 100) is replaced by Newton on
#: T(c) = c in float64 plus the Krawczyk certificate's own ball-arithmetic polish
LARGE_N = 60
PREDICTION_KEYS = ("l2", "linf", "adam_proxy", "signsgd", "finite_beta2")


@dataclass(frozen=True)
class Failure:
    """A prediction that could not be computed, and why (one line)."""

    reason: str

    @property
    def direction(self) -> None:
        return None

    def as_dict(self) -> dict:
        return {"direction": None, "error": self.reason}


@dataclass(frozen=True)
class MaxMarginLimit:
    """An l2 or l_inf max-margin direction; ``margin`` in the data's own scale; ``solve`` the solver's result."""

    direction: np.ndarray
    margin: float
    support: tuple[int, ...]
    kkt_residual: float
    unique: bool
    solve: Any = field(repr=False, default=None)

    def as_dict(self) -> dict:
        out = {"direction": self.direction.tolist(), "margin": self.margin, "support": list(self.support),
               "kkt_residual": self.kkt_residual}
        if not self.unique:
            out.update(unique=False, note="the l_inf minimiser may be non-unique: compare normalised l_inf margins, "
                                          "not cosines")
        return out


@dataclass(frozen=True)
class AdamProxyLimit:
    """The Thm 4.8 fixed point c* and the AdamProxy limit direction w*(c*)/||w*(c*)||.

    ``direction`` and ``c`` are float64; ``digits`` holds them (keys "direction", "c") as decimal strings
    at ``precision`` digits when a refinement or a certificate gave more than float64.  ``solution`` is
    the solver's own result (numerics.fixed_point), ``certificate`` the Krawczyk proof when asked for.
    """

    direction: np.ndarray
    c: np.ndarray
    support: tuple[int, ...]
    margin: float
    iterations: int
    kkt_residual: float
    algorithm3_residual: float | None
    min_multiplier: float
    min_slack: float
    licq: bool
    refined: bool
    precision: int | None
    method: str
    notes: tuple[str, ...] = ()
    digits: dict = field(default_factory=dict)
    certificate: Any = None
    solution: Any = field(repr=False, default=None)

    def as_dict(self) -> dict:
        out = {"direction": self.direction.tolist(), "margin": self.margin, "c": self.c.tolist(),
               "support": list(self.support), "iterations": self.iterations, "kkt_residual": self.kkt_residual,
               "algorithm3_residual": self.algorithm3_residual, "min_multiplier": self.min_multiplier,
               "min_slack": self.min_slack if np.isfinite(self.min_slack) else None, "licq": self.licq,
               "refined": self.refined, "precision": self.precision, "method": self.method, "notes": list(self.notes)}
        out.update({f"{k}_digits": list(v) for k, v in self.digits.items()})
        if self.certificate is not None:
            out["certificate"] = self.certificate.as_dict()
        return out


@dataclass(frozen=True)
class SignSGDLimit:
    """sum_i sign(x_i) / ||.||_2 (App. G); ``direction`` None when the sum is 0 (no limit direction)."""

    direction: np.ndarray | None
    margin: float | None  # l2-normalised; may be negative: the sum need not separate the data

    def as_dict(self) -> dict:
        return {"direction": None if self.direction is None else self.direction.tolist(), "margin": self.margin}


@dataclass(frozen=True)
class Limits:
    """The predictions for one dataset (module table): each a result, a :class:`Failure` or None (not asked)."""

    N: int
    d: int
    l2: MaxMarginLimit | Failure
    linf: MaxMarginLimit | Failure
    adam_proxy: AdamProxyLimit | Failure
    signsgd: SignSGDLimit
    finite_beta2: Any = None  # numerics.fixed_point.finite_beta2.FiniteBeta2Prediction | Failure | None
    metric: np.ndarray | None = field(repr=False, default=None)  # diag D(c*) on the data (Def. 4.6)

    def directions(self) -> dict[str, np.ndarray]:
        """Unit float64 directions of every prediction that was computed (for cosines)."""
        out = {}
        for key in PREDICTION_KEYS:
            value = getattr(self, key)
            if value is not None and value.direction is not None:
                out[key] = np.asarray(value.direction, float)
        return out

    @property
    def failures(self) -> dict[str, str]:
        """key -> reason for every prediction that could not be computed."""
        return {k: v.reason for k in PREDICTION_KEYS if isinstance(v := getattr(self, k), Failure)}

    def as_dict(self) -> dict:
        """JSON-ready numbers, one entry per prediction (failures as {"direction": None, "error": reason})."""
        return {k: getattr(self, k).as_dict() for k in PREDICTION_KEYS if getattr(self, k) is not None}


def _guard(fn: Callable[[], Any]) -> Any:
    """fn() or a Failure with the one-line reason of a numerical failure (a solver or an iteration that did not
    succeed on these data); bad input (DatasetError, HyperparameterError) still raises."""
    try:
        return fn()
    except (SolverError, ConvergenceError, RangeError) as exc:
        text = str(exc).strip().splitlines()
        return Failure(text[0] if text else type(exc).__name__)


def _max_margin(solver, Xs: np.ndarray, scale: float) -> MaxMarginLimit:
    r = solver(Xs)
    return MaxMarginLimit(np.asarray(r.direction, float), r.margin * scale, tuple(r.support), r.kkt.max(), r.unique, r)


def _signsgd(Xs: np.ndarray, scale: float) -> SignSGDLimit:
    s = np.sign(Xs).sum(axis=0)
    if not s.any():
        return SignSGDLimit(None, None)
    u = s / np.linalg.norm(s)
    return SignSGDLimit(u, float(np.min(Xs @ u)) * scale)


def predict_limits(X: np.ndarray, *, precision: int | None = 50, certify: bool = False, beta1: float | None = None,
                   beta2: float | None = None, batch_size: int | None = None) -> Limits:
    """All predictions for data X (rows y_i x_i); see the module table.

    ``precision``: digits of the fixed point (Newton in mpmath, or the certificate's polish above
    LARGE_N samples); None keeps everything in float64 (Algorithm 3 to 1e-9, no refinement: enough
    for cosines, and fast).  ``certify``: add a Krawczyk certificate of the fixed point.
    ``beta1``/``beta2``/``batch_size``: add the finite-beta2 (and mini-batch) predictor
    (defaults 0.9, 0.999, 1 for the ones not given).
    """
    from .fixed_point.limit import adam_proxy_limit
    from .maxmargin import l2_max_margin, linf_max_margin, preconditioner_diag

    X = np.asarray(X, float)
    scale, _ = row_scale(X)
    Xs = X / scale
    ap = _guard(lambda: adam_proxy_limit(Xs, precision=precision, certify=certify, scale=scale))
    finite = None
    if beta1 is not None or beta2 is not None or batch_size is not None:
        from .fixed_point.finite_beta2 import finite_beta2_fixed_point

        b1, b2 = 0.9 if beta1 is None else beta1, 0.999 if beta2 is None else beta2
        finite = _guard(lambda: finite_beta2_fixed_point(Xs, b1, b2, batch_size=batch_size or 1))
    metric = None if isinstance(ap, Failure) else preconditioner_diag(X, ap.c)
    return Limits(N=X.shape[0], d=X.shape[1], l2=_guard(lambda: _max_margin(l2_max_margin, Xs, scale)),
                  linf=_guard(lambda: _max_margin(linf_max_margin, Xs, scale)), adam_proxy=ap,
                  signsgd=_signsgd(Xs, scale), finite_beta2=finite, metric=metric)
