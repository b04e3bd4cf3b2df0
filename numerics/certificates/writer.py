"""Write the proved objects of a :class:`numerics.limits.Limits` as a certificate (schema in :mod:`.schema`).

The solvers work on X / 2^k (numerics.limits); a certificate is about the data file as loaded, so every
vector is mapped back by exact powers of two: l2 w/2^k and lambda/4^k, l_inf w/2^k and lambda/2^k, the
fixed point's lambda and r by 2^-k and Y by 2^-k (F_X(l) = F_{X/2^k}(l 2^k)).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np

from ..errors import ToolkitError
from ..optimizers.grads import row_scale
from .schema import FORMAT, VERSION

__all__ = ["build_certificate", "write_certificate"]

# The claimed c and direction are promised within this many times the prover's own radius (the checker's
# enclosure is computed independently and may be a little wider), and never tighter than 10^-(dps-5).
CLAIM_FACTOR = 100


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _max_margin(solve, k: int, power: int) -> dict:
    w = np.ldexp(np.asarray(solve.w, float), -k)
    lam = np.ldexp(np.clip(np.asarray(solve.dual, float), 0.0, None), -power * k)  # duals >= -1e-12 relative
    return {"w": w.tolist(), "multipliers": lam.tolist(), "gap": float(solve.kkt.max())}


def _fixed_point(cert, k: int, N: int) -> dict:
    L, e = cert.hints["lambda"]
    R, _ = cert.hints["radius"]
    Yi, ey = cert.hints["Y"]
    radius = max(CLAIM_FACTOR * cert.radius, 10.0 ** -(cert.dps - 5),
                 CLAIM_FACTOR * max(float(b.rad()) for b in cert.balls["c"]))
    return {"support": list(cert.support), "lambda": {"m": [str(v) for v in L], "e": e - k},
            "radius": {"m": str(R), "e": e - k},
            "preconditioner": {"row_exponents": [int(v) - k for v in ey],
                               "int32_hex": np.ascontiguousarray(Yi, dtype="<i4").tobytes().hex()},
            "jacobian": cert.hints.get("jacobian", ("rounded",))[0],
            "claimed": {"c": list(cert.centre["c"]), "direction": list(cert.centre["direction"]),
                        "radius": f"{radius:.3e}"},
            "dps": cert.dps}


def build_certificate(X: np.ndarray, limits, data_file: str) -> tuple[dict, dict[str, str]]:
    """(certificate, missing): every proved object of ``limits`` (from ``predict_limits(X, certify=True)`` on the
    data in ``data_file``); ``missing`` maps a left-out part to the reason (not computed, not proved)."""
    X = np.asarray(X, float)
    N, d = X.shape
    _, log_scale = row_scale(X)
    k = round(log_scale / math.log(2.0))  # the solvers' data are X / 2^k
    out = {"format": FORMAT, "version": VERSION,
           "data": {"file": str(Path(data_file).resolve()), "sha256": _sha256(data_file), "N": N, "d": d}}
    missing = {}
    for key, power in (("l2", 2), ("linf", 1)):
        value = getattr(limits, key)
        if getattr(value, "solve", None) is None:
            missing[key] = getattr(value, "reason", "not computed")
        else:
            out[key] = _max_margin(value.solve, k, power)
    cert = getattr(limits.adam_proxy, "certificate", None)
    if cert is None or not cert.proved or not cert.hints:
        reason = getattr(limits.adam_proxy, "reason", None) or (
            "; ".join(cert.notes) if cert is not None else "no certificate was asked for")
        missing["fixed_point"] = f"not proved: {reason}"
    else:
        out["fixed_point"] = _fixed_point(cert, k, N)
    return out, missing


def write_certificate(certificate: dict, path: str) -> Path:
    """Write ``certificate`` as JSON; a path that cannot be written is a one-line ToolkitError."""
    p = Path(path)
    try:
        with open(p, "w", encoding="utf-8") as fh:
            json.dump(certificate, fh, allow_nan=False)
    except OSError as exc:
        raise ToolkitError(f"cannot write certificate {p}: {exc.strerror}") from None
    return p
