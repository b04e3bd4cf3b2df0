"""Every predicted limit direction of a dataset, in one typed result (the numerical core of ``predict``).

| field          | optimizer it predicts                               | source                            |
|----------------|-----------------------------------------------------|-----------------------------------|
| ``l2``         | GD; Inc-Adam and AdamProxy on GR data               | Soudry et al. 2018; Thm 3.3; Ex. 4.9 |
| ``linf``       | Det-Adam; Inc-Signum with beta near 1               | Zhang et al. 2024; Thm 5.1        |
| ``adam_proxy`` | AdamProxy, and Inc-Adam as beta2 -> 1               | Thm 4.8 (Algorithm 3 + Newton)    |
| ``signsgd``    | SignSGD (beta = 0, b = 1)                           | App. G remark                     |
| ``finite_beta2`` | Inc-Adam / cyclic mini-batch Adam at finite beta2 | Eq. (8) closure, a conjecture (docs/math.md §13.1) |
| ``degenerate`` | AdamProxy where D(c*) is singular (zeros on the support) | levels, beyond the paper (docs/math.md §13.8) |

A prediction that cannot be computed is a :class:`Failure` with its reason, in its own field; the
others stand.  Directions, c and supports are scale invariant and normalised margins are
1-homogeneous, so everything is solved on X / 2^k ~ X / max|X| (exact in binary, so a certificate
is about the given data) and margins are scaled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import ConvergenceError, PrecisionLossError, RangeError, SingularMetricError, SolverError
from .fixed_point.prediction import LARGE_N, AdamProxyLimit
from .optimizers.grads import row_scale

__all__ = ["Failure", "MaxMarginLimit", "AdamProxyLimit", "SignSGDLimit", "Limits", "predict_limits", "LARGE_N",
           "PREDICTION_KEYS"]

PREDICTION_KEYS = ("l2", "linf", "adam_proxy", "signsgd", "finite_beta2", "degenerate")


@dataclass(frozen=True)
class Failure:
    """A prediction that could not be computed, and why (one line).  ``applicable`` False: the theorem behind it
    does not apply to these data (Thm 4.8 where D(c*) is singular: ``degenerate`` predicts instead)."""

    reason: str
    applicable: bool = True

    @property
    def direction(self) -> None:
        return None

    def as_dict(self) -> dict:
        return {"direction": None, "error": self.reason, **({} if self.applicable else {"not_applicable": True})}


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
    degenerate: Any = None  # numerics.fixed_point.degenerate.DegenerateLimit | Failure | None (only if adam_proxy failed)
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
        """key -> reason for every prediction that could not be computed (not those that do not apply)."""
        return {k: v.reason for k in PREDICTION_KEYS if isinstance(v := getattr(self, k), Failure) and v.applicable}

    @property
    def not_applicable(self) -> dict[str, str]:
        """key -> reason for every prediction whose theorem does not apply to these data."""
        return {k: v.reason for k in PREDICTION_KEYS
                if isinstance(v := getattr(self, k), Failure) and not v.applicable}

    def as_dict(self) -> dict:
        """JSON-ready numbers, one entry per prediction (failures as {"direction": None, "error": reason})."""
        return {k: getattr(self, k).as_dict() for k in PREDICTION_KEYS if getattr(self, k) is not None}


def _guard(fn: Callable[[], Any]) -> Any:
    """fn() or a Failure with the one-line reason of a numerical failure (a solver or an iteration that did not
    succeed on these data); bad input (DatasetError, HyperparameterError) still raises."""
    try:
        return fn()
    except (SolverError, ConvergenceError, RangeError, PrecisionLossError) as exc:
        text = str(exc).strip().splitlines()
        return Failure(text[0] if text else type(exc).__name__, applicable=not isinstance(exc, SingularMetricError))


def _max_margin(solver, Xs: np.ndarray, scale: float) -> MaxMarginLimit:
    r = solver(Xs)
    return MaxMarginLimit(np.asarray(r.direction, float), r.margin * scale, tuple(r.support), r.kkt.max(), r.unique, r)


def _rescaled(dl, scale: float):
    """A DegenerateLimit of X / scale as one of X: its level margins scale, everything else is scale free."""
    import dataclasses

    return dataclasses.replace(dl, margins=tuple(m * scale for m in dl.margins))


def _signsgd(Xs: np.ndarray, scale: float) -> SignSGDLimit:
    s = np.sign(Xs).sum(axis=0)
    if not s.any():
        return SignSGDLimit(None, None)
    u = s / np.linalg.norm(s)
    return SignSGDLimit(u, float(np.min(Xs @ u)) * scale)


def predict_limits(X: np.ndarray, *, precision: int | None = 50, certify: bool = False, beta1: float | None = None,
                   beta2: float | None = None, batch_size: int | None = None, progress: bool | None = False) -> Limits:
    """All predictions for data X (rows y_i x_i); see the module table.

    ``precision``: digits of the fixed point (Newton in mpmath, or the certificate's polish above
    LARGE_N samples); None keeps everything in float64 (Algorithm 3 to 1e-9, no refinement: enough
    for cosines, and fast).  ``certify``: add a Krawczyk certificate of the fixed point.
    ``beta1``/``beta2``/``batch_size``: add the finite-beta2 (and mini-batch) predictor
    (defaults 0.9, 0.999, 1 for the ones not given).  When the Thm 4.8 prediction fails on data with zero
    entries (D(c*) singular, or a solve that fails as D(c) nears singularity), ``degenerate`` holds the limit by
    levels (numerics.fixed_point.degenerate; one AdamProxy run proposes its structure, ``progress`` shows it).
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
    degenerate = None
    if isinstance(ap, Failure) and np.any(Xs == 0):  # zeros can leave D(c*) singular: the limit by levels
        # (also after a solve that failed as D(c) neared singularity: the levels include the one-level case)
        from .fixed_point.degenerate_search import degenerate_prediction

        degenerate = _guard(lambda: _rescaled(degenerate_prediction(Xs, progress=progress), scale))
        if ap.applicable and not isinstance(degenerate, Failure) and degenerate.singular:
            ap = Failure(f"D(c*) is singular at coordinates {list(degenerate.singular[:10])} (from the degenerate "
                         f"prediction's support): Thm 4.8 does not apply; on the way: {ap.reason}", applicable=False)
    return Limits(N=X.shape[0], d=X.shape[1], l2=_guard(lambda: _max_margin(l2_max_margin, Xs, scale)),
                  linf=_guard(lambda: _max_margin(linf_max_margin, Xs, scale)), adam_proxy=ap,
                  signsgd=_signsgd(Xs, scale), finite_beta2=finite, degenerate=degenerate, metric=metric)
