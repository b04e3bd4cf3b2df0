"""Plain-text tables for people (the JSON forms are for machines)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["prediction_table", "simulation_table"]


def _head(vec, k: int = 4) -> str:
    v = [float(x) for x in vec]
    s = ", ".join(f"{x:+.4f}" for x in v[:k])
    return f"[{s}{', ...' if len(v) > k else ''}]"


def prediction_table(p: dict[str, Any]) -> str:
    """Readable form of `predict` output: margins, supports, fixed-point diagnostics, cosines."""
    ds = p["dataset"]
    lines = [f"dataset {ds['name']}  (N = {ds['N']}, d = {ds['d']})  source: {ds['source']}"]
    failed = [k for k, v in ds["assumptions"].items() if v is False]
    if failed:
        lines.append(f"assumptions that fail: {', '.join(failed)}")
    lines.append("")
    lines.append(f"{'prediction':<12} {'margin':>12}  {'norm of margin':<16} {'support':<18} direction")
    rows = [("l2", "l2"), ("linf", "l_inf"), ("adam_proxy", "Mahalanobis"), ("signsgd", "l2")]
    if "inc_adam" in p:
        rows.append(("inc_adam", "l2"))
    for key, norm in rows:
        e = p[key]
        if e["direction"] is None:
            lines.append(f"{key:<12} {'-':>12}  sum_i sign(x_i) = 0")
            continue
        sup = ",".join(map(str, e.get("support", []))) or "-"
        lines.append(f"{key:<12} {e['margin']:>12.6g}  {norm:<16} {sup[:18]:<18} {_head(e['direction'])}")
    ap = p["adam_proxy"]
    lines += ["", f"fixed point (Thm 4.8): {ap['iterations']} Algorithm 3 iterations, Newton residual "
              f"{ap['kkt_residual']:.1e} at {ap['precision']} digits, LICQ {'holds' if ap['licq'] else 'FAILS'}, "
              f"min multiplier {ap['min_multiplier']:.3g}, min slack "
              f"{'- (all points are support vectors)' if ap['min_slack'] is None else format(ap['min_slack'], '.3g')}"]
    if "certificate" in ap:
        cert = ap["certificate"]
        lines.append(f"certificate ({cert['method']}): {'PROVED' if cert['proved'] else 'not proved'}, direction "
                     f"radius {cert['radius']:.1e}" if cert["radius"] is not None else
                     f"certificate ({cert['method']}): not proved: {'; '.join(cert['notes'])}")
    if "inc_adam" in p:
        ia = p["inc_adam"]
        lines.append(f"inc_adam (finite beta2, conjecture): beta1 = {ia['beta1']}, beta2 = {ia['beta2']}, "
                     f"b = {ia['batch_size']}, support {ia['support']}, residual {ia['residual']:.1e}")
    dirs = {k: np.asarray([float(x) for x in p[k]["direction"]]) for k, _ in rows if p[k]["direction"] is not None}
    names = list(dirs)
    lines += ["", "cosine between predictions:", " " * 12 + "".join(f"{n:>12}" for n in names)]
    for a in names:
        lines.append(f"{a:<12}" + "".join(f"{dirs[a] @ dirs[b]:>12.6f}" for b in names))
    return "\n".join(lines)


def simulation_table(s: dict[str, Any]) -> str:
    """Readable form of `simulate` output."""
    hyper = ", ".join(f"{k}={v}" for k, v in s["hyper"].items())
    lines = [f"{s['optimizer']} ({hyper}) on {s['dataset']}, {s['loss']} loss, {s['precision']}, "
             f"{s['steps']} steps, seed {s['seed']}",
             f"||w|| = {s['norm']:.6g}   log L(w) = {s['log_loss']:.6g}",
             "normalised margins: " + ", ".join(f"{k} {v:.6g}" for k, v in s["margins"].items()),
             "", f"{'prediction':<12} {'cos':>14} {'1 - cos':>12}"]
    for k, c in s["cos"].items():
        lines.append(f"{k:<12} {c:>14.10f} {1 - c:>12.3e}")
    lines.append(f"direction: {_head(s['direction'], 6)}")
    return "\n".join(lines)
