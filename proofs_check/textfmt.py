"""Plain-text tables for people (the JSON forms are for machines)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["prediction_table", "support_cell"]


SUPPORT_WIDTH = 24


def support_cell(indices, N: int, width: int = SUPPORT_WIDTH) -> str:
    """The support as a set of 0-based sample indices and its size, e.g. "{0,3,7} (3 of 10)" or
    "{0..9} (10 of 10)", shortened with "..." to ``width``; "-" when there is none (SignSGD)."""
    if not indices:
        return "-"
    idx = _runs(sorted(int(i) for i in indices))
    tail = f" ({len(indices)} of {N})"
    text = "{" + ",".join(idx) + "}"
    while len(text) + len(tail) > width and len(idx) > 1:
        idx.pop()
        text = "{" + ",".join(idx) + ",...}"
    return text + tail


def _runs(indices: list[int]) -> list[str]:
    """Consecutive indices as "a..b" (three or more), the others one by one."""
    out, start = [], 0
    for k in range(1, len(indices) + 1):
        if k == len(indices) or indices[k] != indices[k - 1] + 1:
            a, b = indices[start], indices[k - 1]
            out += [f"{a}..{b}"] if b - a >= 2 else [str(i) for i in range(a, b + 1)]
            start = k
    return out


def _licq(value) -> str:
    """LICQ as the JSON says it: true, false or null (not checked)."""
    return {True: "LICQ holds", False: "LICQ FAILS"}.get(value, "LICQ not checked")


def _head(vec, k: int = 4) -> str:
    v = [float(x) for x in vec]
    s = ", ".join(f"{x:+.4f}" for x in v[:k])
    return f"[{s}{', ...' if len(v) > k else ''}]"


def _short(text: str, width: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def prediction_table(p: dict[str, Any]) -> str:
    """Readable form of `predict` output: margins, supports, fixed-point diagnostics, cosines."""
    ds = p["dataset"]
    lines = [f"dataset {ds['name']}  (N = {ds['N']}, d = {ds['d']})  source: {ds['source']}"]
    failed = [k for k, v in ds["assumptions"].items() if v is False]
    if failed:
        lines.append(f"assumptions that fail: {', '.join(failed)}")
    lines.append("")
    lines.append(f"{'prediction':<12} {'margin':>12}  {'norm of margin':<16} {'support (indices i)':<{SUPPORT_WIDTH}} "
                 "direction")
    rows = [("l2", "l2"), ("linf", "l_inf"), ("adam_proxy", "Mahalanobis"), ("signsgd", "l2")]
    rows += [(k, "l2") for k in ("inc_adam", "degenerate") if k in p]
    for key, norm in rows:
        e = p[key]
        if "error" in e:
            why = "does not apply" if e.get("not_applicable") else "could not be computed"
            lines.append(f"{key:<12} {'-':>12}  {why}: {_short(e['error'])}")
            continue
        if e["direction"] is None:
            lines.append(f"{key:<12} {'-':>12}  sum_i sign(x_i) = 0")
            continue
        sup = support_cell(e.get("support"), ds["N"])
        lines.append(f"{key:<12} {e['margin']:>12.6g}  {norm:<16} {sup:<{SUPPORT_WIDTH}} {_head(e['direction'])}")
    ap = p["adam_proxy"]
    if "error" in ap:
        lines += ["", f"fixed point (Thm 4.8): {'does not apply' if ap.get('not_applicable') else 'not computed'}: "
                      f"{ap['error']}"]
    else:
        where = f"at {ap['precision']} digits" if ap.get("refined") and ap.get("precision") else "in float64"
        lines += ["", f"fixed point (Thm 4.8): {ap['iterations']} Algorithm 3 iterations, Newton residual "
                  f"{ap['kkt_residual']:.1e} {where}, {_licq(ap.get('licq'))}, "
                  f"min multiplier {ap['min_multiplier']:.3g}, min slack "
                  f"{'- (all points are support vectors)' if ap['min_slack'] is None else format(ap['min_slack'], '.3g')}"]
    if "certificate" in ap:
        cert = ap["certificate"]
        lines.append(f"certificate ({cert['method']}): {'PROVED' if cert['proved'] else 'not proved'}, direction "
                     f"radius {cert['radius']:.1e}" if cert["radius"] is not None else
                     f"certificate ({cert['method']}): not proved: {'; '.join(cert['notes'])}")
    if "inc_adam" in p and "error" not in p["inc_adam"]:
        ia = p["inc_adam"]
        lines.append(f"inc_adam (finite beta2, conjecture): beta1 = {ia['beta1']}, beta2 = {ia['beta2']}, "
                     f"b = {ia['batch_size']}, support {support_cell(ia['support'], ds['N'])}, "
                     f"residual {ia['residual']:.1e}")
    if "degenerate" in p and "error" not in p["degenerate"]:
        dg = p["degenerate"]
        lines.append(f"degenerate (D(c*) singular, by levels): {len(dg['levels'])} levels, "
                     f"{len(dg['singular_coordinates'])} coordinates no support vector feeds, "
                     f"{len(dg['never_fed_coordinates'])} all-zero columns (stay at w0), residual {dg['residual']:.1e}, "
                     f"min slack {dg['min_slack']:.3g}")
    dirs = {k: np.asarray([float(x) for x in p[k]["direction"]]) for k, _ in rows if p[k]["direction"] is not None}
    names = list(dirs)
    lines += ["", "cosine between predictions:", " " * 12 + "".join(f"{n:>12}" for n in names)]
    for a in names:
        lines.append(f"{a:<12}" + "".join(f"{dirs[a] @ dirs[b]:>12.6f}" for b in names))
    return "\n".join(lines)
