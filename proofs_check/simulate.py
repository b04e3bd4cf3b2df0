"""One optimizer run on a dataset, summarised for people and machines (``proofs-check simulate``).

Besides the last iterate, the run's limit direction is estimated with its error bar (numerics.estimate) and
each prediction is decided against it as in the checks of ``proofs-check run``: "limit" (within the
resolution, every other prediction 100x farther), "excluded" (outside the error bar), or "undecided".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numerics.backend import backend_from_precision
from numerics.estimate import estimate_limit, limit_checkpoints
from numerics.losses import get_loss
from numerics.optimizers import make_optimizer, run
from numerics.schedules import eta0_for_data

from .claims.horizon import affordable_steps, needed_steps

__all__ = ["simulate", "simulation_table", "warning"]

#: accuracy of the float64 predictions in direction (Algorithm 3 stops at |c^(k+1) - c^(k)|_1 < 1e-9, ~6e-10 in
#: direction on the bundled data; the QP and the finite-beta2 Newton are far more accurate): 1e-8 covers them all
PREDICTION_ERROR = 1e-8
#: optimizers whose limit the finite-beta2 / mini-batch predictor is about (cyclic orders)
_FINITE_BETA2 = ("inc-adam", "adam", "epoch-map")


def _settings_with_step(X: np.ndarray, optimizer: str, settings: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The settings with eta0 scaled to the data when none is given (numerics.schedules.eta0_for_data)."""
    settings = dict(settings)
    if settings.get("eta0") is None:
        settings["eta0"] = eta0_for_data(X, optimizer)
        return settings, "scaled to the data (numerics.schedules.eta0_for_data)"
    return settings, "given"


def _predictions(X, opt, settings: dict[str, Any]):
    from numerics.limits import predict_limits

    hyper = dict(opt.hyper)
    kw = {}
    cyclic = hyper.get("sampling", "cyclic") == "cyclic"
    if opt.name in _FINITE_BETA2 and cyclic and (hyper.get("beta2", 1.0) < 1 or hyper.get("batch_size", 1) > 1):
        kw = {"beta1": hyper["beta1"], "beta2": hyper["beta2"], "batch_size": hyper.get("batch_size", 1)}
    limits = predict_limits(X, precision=None, **kw)
    return limits.directions(), limits.metric, limits.failures


def simulate(dataset, optimizer: str, *, steps: int = 10_000, settings: dict[str, Any] | None = None,
             loss: str = "exp", precision: str | int | None = "float64", seed: int = 0,
             references: dict[str, np.ndarray] | None = None, metric: np.ndarray | None = None,
             progress: bool | None = None, engine: str = "auto", budget: float | None = None) -> dict[str, Any]:
    """Run ``optimizer`` (a CLI name, see numerics.optimizers.make_optimizer) for ``steps`` updates from w0 = 0.

    Returns the final unit direction, ||w||, log L(w), the normalised margins, the cosine to each reference
    direction (default: the float64 predictions of numerics.limits, with the finite-beta2 / mini-batch one
    when beta2 < 1 or b > 1 on a cyclic order), the estimated limit with its error bar and, per prediction,
    its distance to the estimate and its status.  eta0 is scaled to the data unless given.

    ``budget`` (seconds): ``steps`` is then the first horizon; while no prediction is the limit, the run is
    repeated from w0 = 0 at the horizon the estimate's per-octave rate asks for (4x when it has not settled),
    or the longest run that fits in what is left of the budget (proofs_check/claims/horizon.py), while that is
    at least twice the last.  ``horizon`` reports each run; ``needed_steps``, when undecided, the steps a decision
    of the nearest prediction would need (None when the estimate has not settled: no rate to extrapolate).
    """
    import time

    settings, step_source = _settings_with_step(dataset.X, optimizer, settings or {})
    opt = make_optimizer(optimizer, **settings)  # bad settings fail before any solve
    bk = backend_from_precision(precision)
    failures: dict[str, str] = {}
    if references is None:
        references, found_metric, failures = _predictions(dataset.X, opt, settings)
        metric = found_metric if metric is None else metric
    start, runs = time.perf_counter(), []
    while True:
        t0 = time.perf_counter()
        out = _one_run(dataset, opt, steps, loss, bk, seed, references, metric, progress, engine)
        seconds = time.perf_counter() - t0
        runs.append({"steps": steps, "seconds": seconds, "resolution": out["estimate"]["resolution"],
                     "decided": out["converged_to"]})
        if budget is None or out["converged_to"] is not None or not out["exact"]:
            break
        left = budget - (time.perf_counter() - start)
        nxt = affordable_steps(out["needed_steps"], steps, seconds / steps, left)
        if nxt is None:
            break
        steps = nxt
    out.update(step_size=step_source, prediction_failures=failures)
    if budget is not None:
        out["horizon"] = {"budget": budget, "runs": runs, "needed": out["needed_steps"]}
    return out


def _one_run(dataset, opt, steps, loss, bk, seed, references, metric, progress, engine) -> dict[str, Any]:
    from .claims.decide import decide

    tr = run(dataset.X, opt, steps, loss=get_loss(loss), backend=bk, seed=seed, references=references,
             metric=metric, progress=progress, engine=engine, checkpoints=limit_checkpoints(steps))
    random_order = opt.sampler.mode in ("replacement", "reshuffle")  # their weights keep fluctuating
    est = estimate_limit(tr.steps, tr.w, X=None if random_order else dataset.X)
    status, decisions = {}, {}
    for name, direction in references.items():
        others = {k: v for k, v in references.items() if k != name}
        d = decisions[name] = decide(est, direction, others, prediction_error=PREDICTION_ERROR)
        verdict, reason = {"pass": "limit", "fail": "excluded"}.get(d.verdict, "undecided"), d.reason
        if not tr.exact:  # the numbers are not the algorithm's: no prediction is decided on them
            verdict, reason = "undecided", tr.lost_summary()
        status[name] = {"one_minus_cos": d.distance, "status": verdict, "reason": reason}
    converged = [k for k, v in status.items() if v["status"] == "limit"]
    near = min(decisions, key=lambda k: decisions[k].distance) if decisions else None
    needed = None if converged or near is None or not tr.exact else needed_steps(est, decisions[near], steps,
                                                                                   PREDICTION_ERROR)
    return {
        "dataset": dataset.name, "optimizer": opt.name, "hyper": dict(opt.hyper),
        "loss": tr.loss, "precision": bk.name, "engine": tr.engine, "seed": seed, "steps": int(tr.steps[-1]),
        "direction": tr.direction.tolist(), "norm": float(tr.norm[-1]), "log_loss": float(tr.log_loss[-1]),
        "margins": {k: float(v[-1]) for k, v in tr.margins.items()},
        "cos": {k: float(v[-1]) for k, v in tr.cos.items()},
        "estimate": est.as_dict(), "predictions": status, "converged_to": converged[0] if converged else None,
        "needed_steps": needed,
        "exact": tr.exact, "lost": [] if tr.lost is None else tr.lost.tolist(), "lost_summary": tr.lost_summary(),
        "trajectory": {"steps": tr.steps.tolist(), "log_loss": tr.log_loss.tolist(),
                       "cos": {k: v.tolist() for k, v in tr.cos.items()}},
    }


def warning(s: dict[str, Any]) -> str | None:
    """A one-line warning when the run lost precision or has not converged to any prediction, else None."""
    if not s.get("exact", True):
        return f"{s['lost_summary']}: the run's numbers are not the algorithm's, no prediction is decided"
    if s["converged_to"] is not None:
        return None
    est = s["estimate"]
    if est["resolution"] is None:
        return f"the limit is not resolved after {s['steps']} steps ({est['reason']}); run longer"
    return (f"no prediction is the limit at resolution {est['resolution']:.2g} after {s['steps']} steps "
            "(see the status column); run longer or check the settings")


def simulation_table(s: dict[str, Any]) -> str:
    """Readable form of :func:`simulate` output."""
    hyper = ", ".join(f"{k}={v}" for k, v in s["hyper"].items())
    est = s["estimate"]
    res = "not resolved" if est["resolution"] is None else f"{est['resolution']:.2g} (1 - cos, {est['method']})"
    lines = [f"{s['optimizer']} ({hyper}) on {s['dataset']}, {s['loss']} loss, {s['precision']} "
             f"({s['engine']} engine), {s['steps']} steps, seed {s['seed']}; step size {s['step_size']}",
             f"||w|| = {s['norm']:.6g}   log L(w) = {s['log_loss']:.6g}",
             "normalised margins: " + ", ".join(f"{k} {v:.6g}" for k, v in s["margins"].items()),
             f"estimated limit: resolution {res}",
             "arithmetic: " + ("exact (no update lost precision to underflow)" if s.get("exact", True)
                               else s["lost_summary"]),
             "", f"{'prediction':<14} {'1-cos (w_T)':>12} {'1-cos (limit)':>14}  status"]
    for k, c in s["cos"].items():
        p = s["predictions"].get(k, {})
        lines.append(f"{k:<14} {1 - c:>12.3e} {p.get('one_minus_cos', float('nan')):>14.3e}  {p.get('status', '-')}")
    for k, why in s.get("prediction_failures", {}).items():
        lines.append(f"{k:<14} could not be computed: {why}")
    if "horizon" in s:
        h = s["horizon"]
        done = ", ".join(f"{r['steps']} ({r['seconds']:.1f} s)" for r in h["runs"])
        lines.append(f"budget {h['budget']:g} s: runs of {done}"
                     + ("" if h["needed"] is None else f"; a decision needs about {h['needed']:.2g} steps "
                        "(the estimate's per-octave rate, extrapolated)"))
    lines.append(f"direction: {', '.join(f'{x:+.4f}' for x in s['direction'][:6])}{', ...' if len(s['direction']) > 6 else ''}")
    return "\n".join(lines)
