"""`run --budget`: the horizon an undecided case needs, and longer runs within the budget (claims/horizon.py).

Behaviour, not seconds: each budget below is either far above the runs it allows (AdamProxy on iris, ~1e4 steps,
well under a second) or zero.
"""

import math
import warnings

import numpy as np
import pytest

from numerics.datasets import resolve
from numerics.estimate import LimitEstimate
from numerics.optimizers import adam_proxy
from proofs_check import claims as claims_pkg
from proofs_check.claims._common import eta0, fixed_point
from proofs_check.claims._limits import direction_case, outcome
from proofs_check.claims.base import Context, claim
from proofs_check.claims.decide import ACCURACY, RIVAL_FACTOR, Decision, decide, perturbed
from proofs_check.claims.horizon import FIT, GROWTH, affordable_steps, needed_steps, next_steps
from proofs_check.cli import main
from proofs_check.runner import run_claims


def _estimate(error: float, rate: float | None) -> LimitEstimate:
    return LimitEstimate(np.array([1.0, 0.0]), error, "difference", rate, 0.0, (1, 2), ())


def _undecided(near: float, distance: float = 0.0, weak: bool = False) -> Decision:
    return Decision("inconclusive", distance, 1e-5, {"rival": near}, "too close", (), weak)


def test_needed_steps_is_the_horizon_at_which_decide_passes():
    # error 1e-2 contracting by 1/2 per octave; the rival at 1 - cos 1e-4 needs an error bar <= sqrt(2e-6) = 1.41e-3
    est, dec = _estimate(1e-2, 0.5), _undecided(1e-4)
    need = needed_steps(est, dec, 1000)
    assert need == 1000 * 2**3  # 1e-2 / 8 = 1.25e-3 <= 1.41e-3 < 1e-2 / 4
    for octaves, verdict in ((3, "pass"), (2, "inconclusive")):  # the same rule as decide(): one octave less fails
        later = _estimate(1e-2 * 0.5**octaves, 0.5)
        rival = perturbed(later.direction, 1e-4, seed=1)
        assert decide(later, later.direction, {"rival": rival}).verdict == verdict


def test_needed_steps_is_none_without_a_rate_or_a_reachable_error_bar():
    assert needed_steps(_estimate(1e-2, None), _undecided(1e-4), 1000) is None  # not settled: no rate
    assert needed_steps(_estimate(1e-2, 1.02), _undecided(1e-4), 1000) is None  # not contracting
    assert needed_steps(_estimate(math.inf, 0.5), _undecided(1e-4), 1000) is None  # not resolved
    # the prediction's own accuracy (2e-3 > sqrt(2e-6)) already hides the rival: no horizon helps
    assert needed_steps(_estimate(1e-2, 0.5), _undecided(1e-4), 1000, accuracy=2e-3) is None
    # the weaker nearest-prediction decision: a prediction 1e-5 away cannot become 100x closer than a rival at 1e-4
    assert needed_steps(_estimate(1e-2, 0.5), _undecided(1e-4, distance=1e-5, weak=True), 1000) is None
    assert needed_steps(_estimate(1e-2, 0.5), Decision("pass", 0.0, 1e-9, {"rival": 1.0}), 1000) is None


def test_next_steps_jumps_to_the_extrapolated_horizon_or_grows_by_growth():
    assert next_steps(None, 1000) == GROWTH * 1000
    assert next_steps(64_000, 1000) == 64_000
    assert next_steps(1500, 1000) == 2000  # never less than twice: each run restarts from w0 = 0


def test_affordable_steps_cuts_the_run_to_the_budget_or_stops():
    assert affordable_steps(None, 1000, 1e-3, 100.0) == 4000  # 4 s fit in 100
    assert affordable_steps(64_000, 1000, 1e-3, 100.0) == 64_000
    # 1000 s do not fit: the longest run that does
    assert affordable_steps(10**6, 1000, 1e-3, 100.0) == int(FIT * 100.0 / 1e-3)
    assert affordable_steps(10**6, 1000, 1e-3, 1.0) is None  # 800 steps would not even double the horizon
    assert affordable_steps(None, 1000, 0.0, 100.0) is None  # no timed run: no expected time


def _iris():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return resolve("iris_setosa_versicolor")


def _short_thm_4_8(monkeypatch, steps: int, wrong: bool = False, cid: str = "thm-4.8"):
    """thm-4.8's decision on iris at a horizon far too short to decide (the same direction_case), registered as
    claim ``cid``; ``wrong``: the prediction moved by 1e-8 in 1 - cos (a negative control)."""
    @claim(cid, "AdamProxy -> w*(c*), from a short horizon", "numeric")
    def short(ctx, prediction=None):
        X = ctx.data.X
        if wrong:
            prediction = perturbed(fixed_point(ctx, X).direction, 1e-8)
        fp = fixed_point(ctx, X)
        l2 = claims_pkg._common.predictions(ctx, X).l2.direction
        case = direction_case(ctx, X, adam_proxy(eta0(X, "adam-proxy"), 0.2), steps, prediction, "adam-proxy",
                              fp.direction, {"l2": l2}, accuracy=ACCURACY["fixed_point"])
        return outcome({"adam-proxy": case}, "w*(c*)", "within the resolution")

    monkeypatch.setitem(claims_pkg.BY_ID, cid, short)


def test_without_a_budget_an_undecided_case_names_the_horizon_and_the_budget(monkeypatch):
    _short_thm_4_8(monkeypatch, 1000)
    r = run_claims(["thm-4.8"], Context(data=_iris()), progress=False).results[0]
    case = r.details["cases"]["adam-proxy"]
    assert r.verdict == "inconclusive" and len(case["runs"]) == 1
    assert "--budget SECONDS" in r.reason and case["schedule"].startswith("eta_t = ") and "^-0.2" in case["schedule"]


@pytest.mark.parametrize("wrong", [False, True])
def test_a_budget_grows_the_run_until_it_decides_both_ways(monkeypatch, wrong):
    _short_thm_4_8(monkeypatch, 1000, wrong)
    r = run_claims(["thm-4.8"], Context(data=_iris(), budget=600.0), progress=False).results[0]
    runs = r.details["cases"]["adam-proxy"]["runs"]
    assert r.verdict == ("fail" if wrong else "pass"), r.reason
    assert len(runs) >= 2 and runs[0]["steps"] == 1000 and runs[0]["verdict"] == "inconclusive"
    assert all(b["steps"] >= 2 * a["steps"] for a, b in zip(runs, runs[1:]))  # restarts: each at least twice
    if wrong:  # failing needs an error bar that excludes it: the paper's prediction, a rival 1e-8 away, is then 100x
        assert r.resolution < 1e-8 / RIVAL_FACTOR


def test_the_budget_is_spent_in_rounds_on_every_undecided_claim(monkeypatch):
    # two undecided claims (different horizons, so different runs): each grows until decided, in turn
    _short_thm_4_8(monkeypatch, 1000)
    _short_thm_4_8(monkeypatch, 1500, cid="gd-l2")
    report = run_claims(["thm-4.8", "gd-l2"], Context(data=_iris(), budget=600.0), progress=False)
    for r in report.results:
        runs = r.details["cases"]["adam-proxy"]["runs"]
        assert r.verdict == "pass" and len(runs) >= 2 and len({a["steps"] for a in runs}) == len(runs), r.id


def test_a_budget_too_small_for_a_longer_run_leaves_the_verdict_and_says_why(monkeypatch):
    _short_thm_4_8(monkeypatch, 1000)
    r = run_claims(["thm-4.8"], Context(data=_iris(), budget=1e-9), progress=False).results[0]
    assert r.verdict == "inconclusive" and len(r.details["cases"]["adam-proxy"]["runs"]) == 1
    assert "of the budget left" in r.reason


def test_run_budget_on_the_command_line(capsys):
    try:
        code = main(["run", "thm-4.8", "--budget", "-5"])
    except SystemExit as exc:  # argparse-level errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and "seconds >= 0" in err and len(err.strip().splitlines()) == 1
