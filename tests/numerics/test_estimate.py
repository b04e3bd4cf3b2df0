"""The limit-direction estimator: its error bar is never optimistic, against exact limits and much longer runs.

"Not optimistic" is checked as ||d_T - w_hat||_2 <= error_T for every horizon T at which the estimate claims
to be resolved; the truths are exact (the l2 QP, sum_i sign(x_i), the 50-digit fixed point, synthetic
sequences) or a run 10-30x longer whose own bar is far smaller (then the bound is error_T + error_long).
"""

import math

import numpy as np
import pytest

from numerics.datasets import resolve
from numerics.estimate import (LimitEstimate, estimate_limit, estimate_sequence, estimate_value, limit_checkpoints,
                               one_minus_cos)
from numerics.limits import predict_limits
from numerics.optimizers import make_optimizer, run
from numerics.schedules import eta0_for_data

GAUSS = resolve("gaussian_n10_d50").X
GR = resolve("gr_n4_d6").X


def synthetic(T: int, terms, d: int = 6, seed: int = 0):
    """Checkpoints of w_t = sqrt(t) w_hat + sum_k a_k(t) v_k for the given residual terms a_k."""
    rng = np.random.default_rng(seed)
    w_hat = rng.standard_normal(d)
    vs = rng.standard_normal((len(terms), d))
    steps = np.array(limit_checkpoints(T))
    W = np.array([np.sqrt(t) * w_hat + sum(a(t) * v for a, v in zip(terms, vs)) for t in steps])
    return steps, W, w_hat / np.linalg.norm(w_hat)


@pytest.mark.parametrize("terms", [
    (lambda t: 3.0,),  # a convergent residual rho(t) -> rho_bar
    (lambda t: 3.0, lambda t: 2 * math.log(t)),  # plus a log drift (Inc-Adam's eps_r = O(r^-1/2) enters so)
    (lambda t: 3.0, lambda t: 5 / math.sqrt(t), lambda t: math.log(t) ** 2),  # a slower, growing term
])
@pytest.mark.parametrize("T", [10**3, 10**4, 10**5, 10**6])
def test_bar_covers_synthetic_limits(terms, T):
    steps, W, truth = synthetic(T, terms)
    est = estimate_limit(steps, W)
    if est.resolved:
        assert np.linalg.norm(est.direction - truth) <= est.error


def test_unresolved_when_the_estimate_does_not_settle():
    """A direction that keeps rotating (w_t = sqrt t (cos(log t), sin(log t))) has no limit: never resolved."""
    steps = np.array(limit_checkpoints(10**6))
    W = np.array([np.sqrt(t) * np.array([math.cos(math.log(t)), math.sin(math.log(t))]) for t in steps])
    est = estimate_limit(steps, W)
    assert not est.resolved and est.reason and math.isinf(est.resolution)


def test_resolution_is_one_minus_cos_of_the_bar():
    e = LimitEstimate(np.array([1.0, 0.0]), 1e-4, "difference", 0.5, 0.0, (8, 4), (1e-5,))
    assert e.resolution == pytest.approx(0.5e-8)
    assert one_minus_cos(np.array([1.0, 0.0]), np.array([1.0, 1e-4])) == pytest.approx(0.5e-8, rel=1e-6)


def test_sequence_estimate_of_a_power_law():
    octaves = [2**k for k in range(20, 10, -1)]
    vals = [0.5 + 3 * t ** -0.5 for t in octaves]
    est = estimate_sequence(vals, octaves)
    assert est.resolved and abs(est.value - 0.5) <= est.error


def _check_runs(X, name, horizons, truth, **settings):
    settings.setdefault("eta0", eta0_for_data(X, name))
    resolved = 0
    for T in horizons:
        tr = run(X, make_optimizer(name, **settings), T, checkpoints=limit_checkpoints(T))
        est = estimate_limit(tr.steps, tr.w)
        if est.resolved:
            resolved += 1
            assert np.linalg.norm(est.direction - truth / np.linalg.norm(truth)) <= est.error, (name, T, est)
    return resolved


def test_bar_against_exact_limits_adam_proxy_gd_signsgd():
    L = predict_limits(GAUSS, precision=50)
    assert _check_runs(GAUSS, "adam-proxy", (10**3, 10**4, 3 * 10**4, 10**5), L.adam_proxy.direction) >= 2
    assert _check_runs(GAUSS, "gd", (10**4, 10**5, 10**6), L.l2.direction) >= 2
    assert _check_runs(GAUSS, "signsgd", (10**4, 10**5, 10**6), np.sign(GAUSS).sum(axis=0)) >= 2


def test_bar_against_exact_limits_inc_adam_on_gr_data():
    """The case that once fooled a bare tail bound: fast transients (per-octave ratios 0.003-0.13 up to 1e6
    steps) then a 1/t tail; Thm 3.3 gives the exact limit (the l2 direction)."""
    l2 = predict_limits(GR, precision=None).l2.direction
    for b1, b2 in ((0.9, 0.999), (0.5, 0.9), (0.0, 0.5)):
        _check_runs(GR, "inc-adam", (10**5, 3 * 10**5, 10**6), l2, beta1=b1, beta2=b2)


@pytest.mark.slow
def test_bar_against_a_much_longer_inc_adam_run():
    """Inc-Adam (0.9, 0.999) on the Gaussian data: the estimates at 1e6 and 3e6 steps against the 3e7-step
    estimate (resolution ~2e-14)."""
    opt = make_optimizer("inc-adam", eta0=eta0_for_data(GAUSS, "inc-adam"))
    long = run(GAUSS, opt, 3 * 10**7, checkpoints=limit_checkpoints(3 * 10**7))
    ref = estimate_limit(long.steps, long.w)
    assert ref.resolved and ref.resolution < 1e-12
    for T in (10**6, 3 * 10**6):
        tr = run(GAUSS, opt, T, checkpoints=limit_checkpoints(T))
        est = estimate_limit(tr.steps, tr.w)
        if est.resolved:
            assert np.linalg.norm(est.direction - ref.direction) <= est.error + ref.error


def test_margin_value_estimate_against_a_longer_run():
    """Batch-1 Signum at beta = 0.9: the limit l_inf margin gap estimated at 1e5 steps lies within its bar of the
    1e7-step estimate."""
    gamma = predict_limits(GAUSS, precision=None).linf.margin
    gap = lambda u: (gamma - np.min(GAUSS @ u) / np.max(np.abs(u))) / gamma  # noqa: E731
    opt = make_optimizer("inc-signum", beta=0.9, batch_size=1, eta0=eta0_for_data(GAUSS, "inc-signum"))
    vals = []
    for T in (10**5, 10**7):
        tr = run(GAUSS, opt, T, checkpoints=limit_checkpoints(T))
        vals.append(estimate_value(tr.steps, tr.w, gap))
    short, long = vals
    assert long.resolved and short.resolved
    assert abs(short.value - long.value) <= short.error + long.error
