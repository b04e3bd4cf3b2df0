"""Finite-beta2 / mini-batch predictor (docs/math.md §13.1-§13.2): Eq. (2_b) against frozen-w Adam,
the Eq. (8) closure against the Thm 4.8 fixed point (beta2 -> 1) and against long epoch-map runs."""

import json

import numpy as np
import pytest

from numerics.backend import FLOAT64
from numerics.errors import HyperparameterError
from numerics.fixed_point import algorithm3
from numerics.fixed_point.finite_beta2 import (FiniteBeta2Prediction, epoch_map_batch, finite_beta2_fixed_point,
                                               mixed_direction)
from numerics.losses import EXPONENTIAL
from numerics.maxmargin import linf_max_margin
from numerics.optimizers import epoch_map, minibatch_adam, run, sample_grads

RNG = np.random.default_rng(5)
XS = RNG.standard_normal((6, 4))
XS[:, 0] = np.abs(XS[:, 0]) + 0.5  # separable along e_0
XG = np.random.default_rng(0).standard_normal((10, 50))  # the Gaussian data


def unit(v):
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def one_minus_cos(a, b):
    return 1 - float(unit(a) @ unit(b))


@pytest.fixture(scope="module")
def thm48_direction():
    return unit(algorithm3(XG).direction)


@pytest.mark.parametrize("b", [1, 2, 3, 6])
@pytest.mark.parametrize("beta1,beta2", [(0.0, 0.5), (0.5, 0.9), (0.9, 0.99)])
def test_epoch_map_batch_is_frozen_w_minibatch_adam_steady_state(b, beta1, beta2):
    """Eq. (2_b): with w frozen and the EMAs at their periodic steady state, M = N/b steps of
    cyclic mini-batch Adam sum to exactly epoch_map_batch (the derivation in the module docstring)."""
    N, M = len(XS), len(XS) // b
    w = RNG.standard_normal(4) * 0.2
    opt = minibatch_adam(b, "cyclic", beta1, beta2)
    st = opt.transform.init(FLOAT64, 4)
    epochs = int(np.ceil(np.log(1e-17) / (M * np.log(beta2))))
    for _ in range(epochs):
        total = np.zeros(4)
        for k in range(M):
            idx = np.arange(k * b, (k + 1) * b)
            d, st, _ = opt.transform.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, XS, w, idx), st)
            total += d
    assert np.allclose(total, epoch_map_batch(XS, w, beta1, beta2, b), rtol=1e-12, atol=1e-13)


def test_epoch_map_batch_b1_is_eq2_and_bN_is_sign():
    w = RNG.standard_normal(4) * 0.3
    d_map, _, _ = epoch_map(0.9, 0.99).transform.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, XS, w, None), None)
    assert np.allclose(epoch_map_batch(XS, w, 0.9, 0.99, 1), d_map, rtol=1e-13, atol=1e-14)
    grad = -(np.exp(-XS @ w)[:, None] * XS).sum(0)
    assert np.array_equal(epoch_map_batch(XS, w, 0.9, 0.99, len(XS)), np.sign(grad))


@pytest.mark.parametrize("b", [1, 2, 3])
def test_mixed_direction_jacobian_matches_finite_differences(b):
    c = RNG.random(6) + 0.1
    u, J = mixed_direction(XS, c, 0.3, 0.7, b, jacobian=True)
    h = 1e-6
    for j in range(6):
        e = np.zeros(6)
        e[j] = h
        fd = (mixed_direction(XS, c + e, 0.3, 0.7, b) - mixed_direction(XS, c - e, 0.3, 0.7, b)) / (2 * h)
        assert np.allclose(J[:, j], fd, rtol=1e-6, atol=1e-8)
    # 0-homogeneity: u(tc) = u(c), so J c = 0 (the simplex constraint fixes the scale)
    assert np.allclose(J @ c, 0, atol=1e-10)


def test_beta2_to_one_recovers_thm48_fixed_point(thm48_direction):
    errs = [one_minus_cos(finite_beta2_fixed_point(XG, 0.0, 1 - eps).direction, thm48_direction)
            for eps in (1e-2, 1e-3, 1e-4)]
    at_one = one_minus_cos(finite_beta2_fixed_point(XG, 0.9, 1.0).direction, thm48_direction)
    assert at_one < 1e-12
    assert errs[0] > errs[1] > errs[2] and errs[2] < 1e-7


def test_prediction_checks_and_json():
    p = finite_beta2_fixed_point(XG, 0.9, 0.99)
    assert isinstance(p, FiniteBeta2Prediction)
    assert p.residual < 1e-12 and p.checks["converged"] and p.checks["c_positive"]
    assert p.checks["non_support_inactive"]
    assert abs(sum(p.c) - 1) < 1e-12 and abs(np.linalg.norm(p.direction) - 1) < 1e-12
    margins = XG @ np.array(p.w)
    assert np.allclose(margins[list(p.support)], 1, atol=1e-12)
    d = json.loads(json.dumps(p.as_dict(), allow_nan=False))
    assert set(d) >= {"direction", "c", "support", "residual", "checks", "notes"} and d["conjecture"] is True
    assert any("conjecture" in n for n in d["notes"])


def test_active_set_drops_and_adds():
    # low-dimensional data (d < N): not every sample is a support vector
    X = np.random.default_rng(1).standard_normal((8, 3))
    X[:, 0] = np.abs(X[:, 0]) + 1.0
    p = finite_beta2_fixed_point(X, 0.0, 0.6)
    off = [j for j in range(8) if j not in p.support]
    assert off and p.checks["c_positive"] and p.checks["non_support_inactive"]
    assert all(p.c[j] == 0 for j in off)
    json.dumps(p.as_dict(), allow_nan=False)


def _epoch_sim(X, beta1, beta2, b, epochs, eta0=0.1):
    w = np.zeros(X.shape[1])
    M = X.shape[0] // b
    for r in range(epochs):
        w = w - eta0 * (r * M + 2) ** -0.5 * epoch_map_batch(X, w, beta1, beta2, b)
    return w


def test_predictor_beats_thm48_against_epoch_map_at_small_beta2(thm48_direction):
    """Honest check: at beta2 = 0.5 the Eq. (8) closure is ~3000x closer to the long epoch-map run
    than the beta2 -> 1 fixed point (measured 2.4e-5 vs 7.8e-2 at 2e4 epochs)."""
    p = finite_beta2_fixed_point(XG, 0.0, 0.5)
    tr = run(XG, epoch_map(0.0, 0.5), 20000, references={"pred": p.direction_array, "fp": thm48_direction},
             checkpoints=(2000, 20000))
    pred, fp = tr.one_minus_cos("pred"), tr.one_minus_cos("fp")
    assert pred[-1] < 1e-4 < 1e-2 < fp[-1]
    assert pred[-1] < pred[0]  # still approaching the prediction


def test_batch_predictor_against_batch_epoch_map():
    """b = 2: the batch closure predicts the Eq. (2_b) recurrence's limit, the b = 1 prediction does not."""
    p2 = finite_beta2_fixed_point(XG, 0.9, 0.999, batch_size=2)
    p1 = finite_beta2_fixed_point(XG, 0.9, 0.999, batch_size=1)
    w = _epoch_sim(XG, 0.9, 0.999, 2, 20000)
    assert one_minus_cos(w, p2.direction) < 2e-5 < one_minus_cos(w, p1.direction)


def test_full_batch_is_linf_and_larger_b_is_closer_to_linf():
    linf = linf_max_margin(XG).direction
    pN = finite_beta2_fixed_point(XG, 0.9, 0.999, batch_size=10)
    assert pN.method == "linf-lp" and one_minus_cos(pN.direction, linf) < 1e-12
    gaps = [one_minus_cos(finite_beta2_fixed_point(XG, 0.9, 0.999, batch_size=b).direction, linf)
            for b in (1, 2, 5, 10)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-12 < gaps[0]


@pytest.mark.parametrize("kwargs", [{"batch_size": 4}, {"batch_size": 0}, {"beta1": 0.9, "beta2": 0.5}])
def test_bad_arguments(kwargs):
    with pytest.raises(HyperparameterError):
        finite_beta2_fixed_point(XG, **{"beta1": 0.0, "beta2": 0.9, **kwargs})


def _random_set(seed):
    """The random separable sets of benchmarks/finite_beta2_bench.py --failure-rate."""
    rng = np.random.default_rng(seed)
    N = int(rng.choice([10, 20]))
    d = int(rng.integers(N // 2, 2 * N + 1))
    X = rng.standard_normal((N, d))
    return np.sign(X @ rng.standard_normal(d))[:, None] * X


def test_previously_failing_batch_set_now_converges():
    """Seed 23 (N = 10, b = 5) failed before the batch homotopy and stage splitting; now it is a checked solution."""
    p = finite_beta2_fixed_point(_random_set(23), 0.9, 0.999, batch_size=5)
    assert p.residual < 1e-10 and p.checks["c_positive"] and p.checks["non_support_inactive"]


@pytest.mark.parametrize("seed,b", [(0, 10), (14, 5)])
def test_crossing_a_vanishing_batch_mean_coordinate(seed, b):
    """Seeds 0 (b = N/2) and 14 (b = 5) stalled where all batch means of one coordinate vanish together (Newton's
    floor grows like 1/|g_p|); the path now steps over that point and returns a checked solution of the closure."""
    X = _random_set(seed)
    p = finite_beta2_fixed_point(X, 0.9, 0.999, batch_size=b)
    assert any("stepped over" in n for n in p.notes)
    S = list(p.support)
    off = [j for j in range(len(X)) if j not in S]
    margins = X @ np.array(p.w)
    assert p.residual < 1e-12 and min(p.c[j] for j in S) > 0 and abs(sum(p.c) - 1) < 1e-12
    assert np.allclose(margins[S], 1, atol=1e-12) and (not off or margins[off].min() > 1)


def test_documented_failure_is_a_failure_entry_not_a_lost_prediction():
    """Seed 6 (N = 10, b = 5) still fails (documented in the README): its support lies in one batch, where u_b is
    sign-like and the path runs into sign(g_p) = 0 at t = 0.036, which the step-over cannot cross.  The predictor
    raises ConvergenceError naming the stage, and predict_limits keeps every other prediction."""
    from numerics.errors import ConvergenceError
    from numerics.limits import Failure, predict_limits

    X = _random_set(6)
    with pytest.raises(ConvergenceError, match=r"did not converge at beta2=1.0, batch homotopy t=0.0359"):
        finite_beta2_fixed_point(X, 0.9, 0.999, batch_size=5)
    lim = predict_limits(X, precision=None, beta1=0.9, beta2=0.999, batch_size=5)
    assert isinstance(lim.finite_beta2, Failure) and "finite-beta2" in lim.finite_beta2.reason
    assert all(not isinstance(getattr(lim, k), Failure) for k in ("l2", "linf", "adam_proxy"))
