"""`proofs-check predict`: the predictions of :func:`numerics.limits.predict_limits`, formatted for output.

JSON contract: keys ``dataset``, ``l2``, ``linf``, ``adam_proxy``, ``signsgd`` (and ``inc_adam``, the
finite-beta2 predictor, when asked; ``degenerate``, the limit by levels, when the Thm 4.8 prediction fails on
data with zero entries).  Each entry has a unit float ``direction`` (None when the
prediction could not be computed, with the reason in ``error``; ``not_applicable`` true when its theorem
does not apply to the data, and the top-level ``not_applicable`` names them) and its normalised ``margin``;
high-precision values are decimal strings in separate keys (``direction_digits``, ``c_digits``), so
a key always holds one type.  ``predicts`` and ``margin_norm`` say what each entry is about.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from numerics.errors import ToolkitError
from numerics.limits import Limits, predict_limits

__all__ = ["predict", "format_limits", "predicted_directions", "CAPTIONS"]

#: what each prediction predicts, and in which norm its margin is
CAPTIONS = {
    "l2": {"predicts": "GD; Inc-Adam on GR data (Thm 3.3)", "margin_norm": "l2"},
    "linf": {"predicts": "Det-Adam (Zhang et al. 2024); Inc-Signum with beta near 1 (Thm 5.1)",
             "margin_norm": "l_inf"},
    "adam_proxy": {"predicts": "AdamProxy; Inc-Adam as beta2 -> 1 (Thm 4.8, Prop. 4.1)",
                   "margin_norm": "Mahalanobis ||w||_{D(c*)} (Def. 4.6)"},
    "signsgd": {"predicts": "SignSGD (App. G remark)",
                "margin_norm": "l2 (may be negative: sum_i sign(x_i) need not separate the data)"},
    "inc_adam": {"predicts": "Inc-Adam / cyclic mini-batch Adam at finite beta2 (Eq. (8) closure; conjecture)",
                 "margin_norm": "l2"},
    "degenerate": {"predicts": "AdamProxy (and Inc-Adam as beta2 -> 1) where D(c*) is singular: the limit by levels "
                               "(beyond the paper, docs/math.md §13.8)", "margin_norm": "l2"},
}


def predict(dataset, precision: int | None = None, *, certify: bool = False, beta1: float | None = None,
            beta2: float | None = None, batch_size: int | None = None,
            certificate_out: str | None = None) -> dict[str, Any]:
    """JSON-ready predictions for ``dataset`` (a numerics.datasets.Dataset); see the module docstring.

    ``precision``: digits of the fixed point (default 50); ``certify``: a Krawczyk certificate of it
    (``adam_proxy.certificate``); ``beta1``/``beta2``/``batch_size``: add ``inc_adam``, the
    finite-beta2 (and mini-batch) predictor, a conjecture-level closure of Eq. (8).
    ``certificate_out``: also write every proved object to this JSON file (implies ``certify``; format:
    numerics.certificates.CERTIFICATE_SCHEMA; `proofs-check verify-certificate` re-checks it); a part
    that could not be proved is reported under ``failed["certificate"]``, the file keeps the others.
    """
    if certificate_out is not None and not Path(dataset.source).is_file():
        raise ToolkitError(f"--certificate-out needs data from a file (the certificate names it), got "
                           f"{dataset.source!r}")
    limits = predict_limits(dataset.X, precision=50 if precision is None else int(precision),
                            certify=certify or certificate_out is not None, beta1=beta1, beta2=beta2,
                            batch_size=batch_size)
    out = format_limits(limits, dataset)
    if certificate_out is not None:
        from numerics.certificates import build_certificate, write_certificate

        cert, missing = build_certificate(dataset.X, limits, dataset.source)
        write_certificate(cert, certificate_out)
        out["certificate_file"] = {"path": certificate_out,
                                   "contains": [k for k in ("l2", "linf", "fixed_point") if k in cert],
                                   "missing": missing}
        if missing:
            out.setdefault("failed", {})["certificate"] = "; ".join(f"{k}: {v}" for k, v in missing.items())
    return out


def format_limits(limits: Limits, dataset) -> dict[str, Any]:
    """The JSON contract of `predict` from a :class:`numerics.limits.Limits`."""
    raw = limits.as_dict()
    out: dict[str, Any] = {"dataset": {"name": dataset.name, "source": dataset.source, "N": limits.N, "d": limits.d,
                                       "assumptions": asdict(dataset.assumptions)}}
    for key, entry in raw.items():
        name = "inc_adam" if key == "finite_beta2" else key
        if key in ("finite_beta2", "degenerate") and "error" not in entry:
            d = np.asarray(entry["direction"], float)
            entry["margin"] = float(np.min(dataset.X @ d))
        out[name] = {**entry, **CAPTIONS[name]}
    if limits.failures:
        out["failed"] = {("inc_adam" if k == "finite_beta2" else k): v for k, v in limits.failures.items()}
    if limits.not_applicable:
        out["not_applicable"] = dict(limits.not_applicable)
    return out


def predicted_directions(prediction: dict[str, Any]) -> dict[str, np.ndarray]:
    """Unit float64 directions from a :func:`predict` result (for cosines); failed predictions are left out."""
    return {k: np.asarray(prediction[k]["direction"], float) for k in ("l2", "linf", "adam_proxy", "signsgd", "degenerate")
            if prediction.get(k, {}).get("direction") is not None}
