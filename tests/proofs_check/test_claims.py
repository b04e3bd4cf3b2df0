"""Every claim passes on its default data (quick horizons) and fails on a wrong prediction (negative controls)."""

import numpy as np
import pytest

from numerics.datasets import gaussian
from numerics.maxmargin import l2_max_margin, linf_max_margin
from proofs_check.claims import BY_ID, CLAIMS, Context
from proofs_check.claims._common import gaussian_default, gr_default, shifted_default
from proofs_check.claims.base import Outcome, claim

QUICK = Context(quick=True)


FULL_ONLY = {"thm-4.8-n200"}  # skipped by --quick (see its docstring); checked at its full horizon


@pytest.fixture(scope="module")
def quick_results():
    return {c.id: c(Context() if c.id in FULL_ONLY else QUICK) for c in CLAIMS}


def test_ids_are_the_issue_list():
    assert [c.id for c in CLAIMS] == ["lemma-D.1", "prop-2.4", "prop-2.5", "cor-3.2", "thm-3.3", "prop-4.1",
                                      "prop-4.3", "lemma-4.5", "thm-4.8", "ex-4.9", "ex-4.10", "ex-4.11", "thm-5.1",
                                      "signsgd", "gd-l2", "det-adam-linf", "thm-4.8-n200"]
    for c in CLAIMS:  # PEPit-style docstrings: statement, algorithm, tolerance and its reason, negative control
        assert "Tolerance" in c.doc and "prediction" in c.doc, c.id


@pytest.mark.parametrize("cid", [c.id for c in CLAIMS])
def test_claim_passes_on_default_data(quick_results, cid):
    r = quick_results[cid]
    assert r.verdict == "pass", (r.measured, r.tolerance, dict(r.details).get("error"))


def _gauss():
    return gaussian_default(QUICK).X


def _gr():
    return gr_default(QUICK).X


# Negative controls: (claim id, wrong prediction). Each wrong prediction is a plausible mistake.
NEGATIVE = [
    ("thm-3.3", lambda: linf_max_margin(_gr()).direction),  # l_inf predicted on GR data
    ("det-adam-linf", lambda: "l2"),  # l2 predicted for Det-Adam
    ("thm-4.8", lambda: np.full(10, 0.1)),  # uniform c instead of the fixed point
    ("ex-4.10", lambda: l2_max_margin(_gauss()).direction),  # l2 instead of the fixed point
    ("ex-4.9", lambda: linf_max_margin(_gr()).direction),  # l_inf instead of l2 on GR data
    ("ex-4.11", lambda: l2_max_margin(shifted_default(QUICK).X).direction),  # l2 instead of l_inf
    ("gd-l2", lambda: linf_max_margin(_gauss()).direction),  # l_inf for GD
    ("signsgd", lambda: l2_max_margin(_gauss()).direction),  # l2 for SignSGD
    ("prop-4.1", lambda: l2_max_margin(_gauss()).direction),  # beta2 -> 1 limit taken to be l2
    ("lemma-D.1", lambda: 1.0),  # |m/sqrt(v)| <= 1 (the sign-like bound) is false for Adam
    ("prop-2.4", lambda: "normalized-gd"),  # normalised GD instead of sign descent
    ("prop-2.5", lambda: 1.0),  # C_inc replaced by 1
    ("cor-3.2", lambda: (1.12, 1.13)),  # bounds tighter than the weights' range
    ("lemma-4.5", lambda: (1,)),  # wrong support set on shifted-diagonal data (true: {0})
    ("prop-4.3", lambda: -5.0),  # a loss floor of e^-5
    ("thm-5.1", lambda: 0.01),  # batch-1 Signum at beta = 0.9 claimed to reach the l_inf margin within 1%
    ("thm-4.8-n200", lambda: l2_max_margin(gaussian(200, 400, seed=0).X).direction),  # l2 at N = 200
]


@pytest.mark.parametrize("cid,wrong", NEGATIVE, ids=[n[0] for n in NEGATIVE])
def test_negative_control_fails(cid, wrong):
    r = BY_ID[cid](Context() if cid in FULL_ONLY else QUICK, prediction=wrong())
    assert r.verdict == "fail", (r.measured, r.tolerance)


def test_every_claim_has_a_negative_control():
    assert {n[0] for n in NEGATIVE} == set(BY_ID)


def test_quick_skips_the_full_horizon_claim():
    r = BY_ID["thm-4.8-n200"](QUICK)
    assert r.verdict == "skip" and "--quick" in r.details["skipped"]


def test_gr_claims_skip_on_non_gr_user_data():
    ctx = Context(quick=True, data=gaussian_default(QUICK))
    for cid in ("thm-3.3", "cor-3.2", "ex-4.9"):
        r = BY_ID[cid](ctx)
        assert r.verdict == "skip" and "Generalized Rademacher" in r.details["skipped"]


def test_errors_become_verdicts_not_crashes():
    from numerics.errors import SolverError

    @claim("boom", "a check whose solver fails", "numeric")
    def boom(ctx, prediction=None) -> Outcome:
        raise SolverError("solver said no")

    @claim("bug", "a check with a bug", "numeric")
    def bug(ctx, prediction=None) -> Outcome:
        return 1 / 0

    assert boom().verdict == "error" and boom().details["error"] == "solver said no"
    r = bug()
    assert r.verdict == "error" and "ZeroDivisionError" in r.details["traceback"]
