"""Predicted limit directions of the paper's optimizers on a dataset.

| key          | optimizer it predicts                          | source                          |
|--------------|------------------------------------------------|---------------------------------|
| ``l2``       | GD; Inc-Adam and AdamProxy on GR data           | Soudry et al. 2018; Thm 3.3; Ex. 4.9 |
| ``linf``     | Det-Adam; Inc-Signum with beta near 1           | Zhang et al. 2024; Thm 5.1      |
| ``adam_proxy`` | AdamProxy, and Inc-Adam as beta2 -> 1        | Thm 4.8 (Algorithm 3 + Newton)  |
| ``signsgd``  | SignSGD (beta = 0, b = 1)                       | App. G remark                   |
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import mpmath
import numpy as np

from numerics.fixed_point import adam_proxy_fixed_point, certify_fixed_point, newton_fixed_point
from numerics.optimizers.grads import row_scale
from numerics.maxmargin import l2_max_margin, linf_max_margin, preconditioner_diag

__all__ = ["predict", "predicted_directions"]


def _floats(a) -> list[float]:
    return [float(v) for v in a]


def _finite_or_none(x: float) -> float | None:
    return x if np.isfinite(x) else None


# Above this many samples the dense 50-digit mpmath Newton (minutes at N = 100) is replaced by
# Newton on T(c) = c in float64 plus the Krawczyk certificate's own 199-bit polish (issue 5, item 5).
LARGE_N = 60


def _adam_proxy(X, dps, scale, as_out) -> dict[str, Any]:
    """Thm 4.8 fixed point by Algorithm 3 + the 50-digit Newton refinement."""
    fp = adam_proxy_fixed_point(X, dps=dps)
    metric = preconditioner_diag(X, fp.c_float)
    d_fp = fp.direction_float
    return {"direction": as_out(fp.direction), "margin": float(np.min(X @ d_fp) / np.sqrt(d_fp @ (metric * d_fp))) * scale,
            "c": as_out(fp.c), "support": list(fp.support), "iterations": fp.iterations,
            "kkt_residual": float(fp.residual), "algorithm3_residual": fp.algorithm3.residual,
            "min_multiplier": float(fp.min_multiplier),
            "min_slack": _finite_or_none(float(fp.min_slack)),  # None: every point is a support vector
            "licq": fp.licq, "refined": fp.refined, "precision": dps, "notes": list(fp.notes),
            "predicts": "AdamProxy; Inc-Adam as beta2 -> 1 (Thm 4.8, Prop. 4.1)",
            "margin_norm": "Mahalanobis ||w||_{D(c*)} (Def. 4.6)", "_fp": fp}


def _adam_proxy_large(X, dps, scale, strings: bool) -> dict[str, Any]:
    """Large N: Newton on T(c) = c (robust.newton_fixed_point), then certify_fixed_point; the
    certified box centre is the prediction when the proof goes through."""
    sol = newton_fixed_point(X)
    cert = certify_fixed_point(X, sol, dps=dps)
    if cert.proved:
        d_str, c_str = list(cert.centre["direction"]), list(cert.centre["c"])
        d_vec, c_vec = np.array([float(v) for v in d_str]), np.array([float(v) for v in c_str])
    else:
        d_vec, c_vec = sol.direction, sol.c
        d_str, c_str = _floats(d_vec), _floats(c_vec)
    metric = preconditioner_diag(X, c_vec)
    z = X @ (d_vec / np.sqrt(d_vec @ (metric * d_vec)))
    rest = [i for i in range(len(z)) if i not in set(sol.support)]
    return {"direction": d_str if strings and cert.proved else _floats(d_vec), "margin": float(np.min(z)) * scale,
            "c": c_str if strings and cert.proved else _floats(c_vec), "support": list(sol.support),
            "iterations": sol.iterations, "kkt_residual": sol.residual, "algorithm3_residual": None,
            "min_multiplier": float(np.min(c_vec[list(sol.support)]) / np.max(c_vec)),
            "min_slack": _finite_or_none(float(np.min(z[rest] / np.min(z) - 1)) if rest else float("inf")),
            "licq": cert.checks["licq"].passed if "licq" in cert.checks else None, "refined": cert.proved,
            "precision": dps, "notes": [f"N > {LARGE_N}: Newton on T(c) = c ({sol.method}) and a Krawczyk "
                                        "certificate instead of the dense mpmath refinement"] + list(cert.notes),
            "predicts": "AdamProxy; Inc-Adam as beta2 -> 1 (Thm 4.8, Prop. 4.1)",
            "margin_norm": "Mahalanobis ||w||_{D(c*)} (Def. 4.6)", "certificate": cert.as_dict()}


def predict(dataset, precision: int | None = None, *, certify: bool = False, beta1: float | None = None,
            beta2: float | None = None, batch_size: int | None = None) -> dict[str, Any]:
    """JSON-ready predictions for ``dataset`` (a numerics.datasets.Dataset).

    ``precision``: digits of the Newton refinement of the Thm 4.8 fixed point (default
    50); when given, ``adam_proxy`` direction and c are decimal strings at that precision.
    ``certify``: add a Krawczyk certificate of the fixed point (issue 5; ball arithmetic) as
    ``adam_proxy.certificate``; when proved, ``adam_proxy.direction`` is the box's centre as
    decimal strings.  ``beta1``/``beta2``/``batch_size``: add ``inc_adam``, the finite-beta2
    (and mini-batch) predictor of numerics.fixed_point.finite_beta2 (a conjecture-level closure
    of Eq. (8), not a theorem of the paper).
    """
    # Directions, c and supports are scale invariant and normalised margins are 1-homogeneous:
    # solve on X / 2^k ~ X / max|X| (exact in binary, so a certificate is about the given data)
    # to keep QP, LP and Newton inside float range, and scale margins back.
    scale, _ = row_scale(dataset.X)
    X = dataset.X / scale
    dps = 50 if precision is None else int(precision)
    l2 = l2_max_margin(X)
    linf = linf_max_margin(X)
    s = np.sign(X).sum(axis=0)
    as_out = (lambda seq: [mpmath.nstr(v, dps, min_fixed=-np.inf, max_fixed=np.inf) for v in seq]) \
        if precision is not None else _floats
    if X.shape[0] > LARGE_N:
        ap = _adam_proxy_large(X, dps, scale, strings=precision is not None or certify)
    else:
        ap = _adam_proxy(X, dps, scale, as_out)
    out = {
        "dataset": {"name": dataset.name, "source": dataset.source, "N": int(X.shape[0]), "d": int(X.shape[1]),
                    "assumptions": asdict(dataset.assumptions)},
        "l2": {"direction": _floats(l2.direction), "margin": l2.margin * scale, "support": list(l2.support),
               "kkt_residual": l2.kkt.max(), "predicts": "GD; Inc-Adam on GR data (Thm 3.3)"},
        "linf": {"direction": _floats(linf.direction), "margin": linf.margin * scale, "support": list(linf.support),
                 "kkt_residual": linf.kkt.max(), "unique": False,
                 "note": "the l_inf minimiser may be non-unique: compare normalised l_inf margins, not cosines",
                 "predicts": "Det-Adam (Zhang et al. 2024); Inc-Signum with beta near 1 (Thm 5.1)"},
        "adam_proxy": ap,
        "signsgd": {"direction": _floats(s / np.linalg.norm(s)) if s.any() else None,
                    "margin": float(np.min(X @ s) / np.linalg.norm(s)) * scale if s.any() else None,
                    "margin_norm": "l2 (may be negative: sum_i sign(x_i) need not separate the data)",
                    "predicts": "SignSGD (App. G remark)"},
    }
    if certify and "certificate" not in ap:
        cert = certify_fixed_point(X, ap.pop("_fp"), dps=dps)
        out["adam_proxy"]["certificate"] = cert.as_dict()
        if cert.proved:
            out["adam_proxy"]["direction"] = list(cert.centre["direction"])
            out["adam_proxy"]["c"] = list(cert.centre["c"])
    ap.pop("_fp", None)
    if beta1 is not None or beta2 is not None or batch_size is not None:
        from numerics.fixed_point.finite_beta2 import finite_beta2_fixed_point

        b1 = 0.9 if beta1 is None else beta1
        b2 = 0.999 if beta2 is None else beta2
        pred = finite_beta2_fixed_point(X, b1, b2, batch_size=batch_size or 1).as_dict()
        pred["predicts"] = "Inc-Adam / cyclic mini-batch Adam at finite beta2 (Eq. (8) closure; conjecture)"
        dvec = np.asarray(pred["direction"])
        pred["margin"], pred["margin_norm"] = float(np.min(X @ dvec)) * scale, "l2"
        out["inc_adam"] = pred
    return out


def predicted_directions(prediction: dict[str, Any]) -> dict[str, np.ndarray]:
    """Unit float64 directions from a :func:`predict` result (for cosines)."""
    return {k: np.asarray([float(v) for v in prediction[k]["direction"]])
            for k in ("l2", "linf", "adam_proxy", "signsgd") if prediction[k]["direction"] is not None}
