"""Each transform against a direct, unscaled transcription of docs/math.md §2 (small margins, no underflow)."""

import numpy as np
import pytest

from numerics.backend import FLOAT64
from numerics.errors import HyperparameterError
from numerics.losses import EXPONENTIAL
from numerics.optimizers import (adam_proxy, c_inc, det_adam, epoch_map, inc_adam, inc_signum, make_optimizer,
                                 run, sample_grads, signsgd)

RNG = np.random.default_rng(3)
X = RNG.standard_normal((5, 4))
X[:, 0] = np.abs(X[:, 0]) + 0.5  # separable along e_0


def naive_adam(X, steps, beta1, beta2, eta0, a, order):
    """Alg. 1/2 literally: exp(-z) gradients, m, v unscaled, eps = 0, no bias correction."""
    w, m, v = np.zeros(X.shape[1]), 0.0, 0.0
    ws = []
    for t in range(steps):
        idx = order(t)
        g = -(np.exp(-X[idx] @ w)[:, None] * X[idx]).mean(axis=0)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        w = w - eta0 * (t + 2) ** (-a) * m / np.sqrt(v)
        ws.append(w.copy())
    return np.array(ws)


# Relative agreement: both are float64 evaluations of the same real recurrence; over 300 steps with
# ~30 flops each, linear accumulation bounds the difference by 300 * 30 * eps ~ 2e-12.
TOL = 300 * 30 * np.finfo(float).eps


@pytest.mark.parametrize("beta1,beta2", [(0.9, 0.999), (0.5, 0.9), (0.0, 0.5), (0.3, 0.3)])
def test_inc_adam_matches_literal_algorithm_1(beta1, beta2):
    ref = naive_adam(X, 300, beta1, beta2, 0.1, 0.5, lambda t: [t % len(X)])
    tr = run(X, inc_adam(beta1, beta2), 300, checkpoints=tuple(range(1, 301)), progress=False)
    assert np.max(np.abs(tr.w - ref)) <= TOL * np.max(np.abs(ref))


def test_det_adam_matches_literal_algorithm_2():
    ref = naive_adam(X, 300, 0.9, 0.999, 0.1, 0.5, lambda t: slice(None))
    tr = run(X, det_adam(), 300, checkpoints=tuple(range(1, 301)), progress=False)
    assert np.max(np.abs(tr.w - ref)) <= TOL * np.max(np.abs(ref))


def test_signum_and_signsgd_literal():
    w = np.zeros(4)
    m = 0.0
    for t in range(200):  # Alg. 4 with b = 1, beta = 0.9
        g = -np.exp(-X[t % 5] @ w) * X[t % 5]
        m = 0.9 * m + 0.1 * g
        w = w - 0.1 * (t + 2) ** -0.5 * np.sign(m)
    tr = run(X, inc_signum(0.9, 1), 200, checkpoints=(200,), progress=False)
    assert np.array_equal(tr.w[-1], w)  # sign steps: exactly equal unless a sign flips at rounding level
    # SignSGD: w_{t+1} = w_t + eta_t sign(x_{t mod N}), independent of w (App. G remark)
    tr = run(X, signsgd(), 10, checkpoints=(10,), progress=False)
    expect = sum(0.1 * (t + 2) ** -0.5 * np.sign(X[t % 5]) for t in range(10))
    assert np.allclose(tr.w[-1], expect, rtol=1e-15, atol=0)


def test_adam_proxy_is_definition_4_2():
    w = RNG.standard_normal(4) * 0.1
    G = -np.exp(-X @ w)[:, None] * X  # per-sample gradients
    expect = G.mean(axis=0) / np.sqrt((G**2).sum(axis=0))
    direction, _, _ = adam_proxy().transform.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, X, w, None), None)
    assert np.allclose(direction, expect, rtol=1e-14, atol=0)


@pytest.mark.parametrize("beta1,beta2", [(0.9, 0.999), (0.5, 0.8), (0.0, 0.3)])
def test_epoch_map_is_frozen_w_inc_adam_steady_state(beta1, beta2):
    """Prop. 2.5 derivation: with w frozen and a constant rate, one epoch of Inc-Adam from the
    periodic steady state moves w by exactly Eq. (2) (eps_r = 0)."""
    N = len(X)
    w = RNG.standard_normal(4) * 0.2
    opt = inc_adam(beta1, beta2)
    st = opt.transform.init(FLOAT64, 4)
    # The EMAs forget their zero start at rate beta2^k; run until beta2^(epochs N) < 1e-17, i.e. the
    # periodic steady state to double precision.
    epochs = int(np.ceil(np.log(1e-17) / (N * np.log(beta2))))
    for r in range(epochs):
        total = np.zeros(4)
        for i in range(N):
            d, st, _ = opt.transform.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, X, w, np.array([i])), st)
            total += d
    d_map, _, _ = epoch_map(beta1, beta2).transform.update(FLOAT64, sample_grads(FLOAT64, EXPONENTIAL, X, w, None), None)
    assert np.allclose(total, d_map, rtol=1e-12, atol=1e-13)


def test_epoch_map_tends_to_adam_proxy_as_beta2_to_one():
    """Prop. 4.1: as beta2 -> 1 the epoch update -> sqrt(N) sum_i grad L_i / sqrt(sum_i grad L_i^2) = N^{3/2} x (Def. 4.2)."""
    N, w = len(X), RNG.standard_normal(4) * 0.2
    grads = sample_grads(FLOAT64, EXPONENTIAL, X, w, None)
    proxy, _, _ = adam_proxy().transform.update(FLOAT64, grads, None)
    errs = []
    for one_minus in (1e-2, 1e-3, 1e-4):
        d, _, _ = epoch_map(0.9, 1 - one_minus).transform.update(FLOAT64, grads, None)
        errs.append(np.max(np.abs(d - N**1.5 * proxy)))
    # delta(beta2) = O(1 - beta2) (docs/math.md §5): each tenfold step in 1 - beta2 shrinks the error ~tenfold
    assert errs[0] / errs[1] > 5 and errs[1] / errs[2] > 5


def test_c_inc_closed_form():
    assert c_inc(0.0, 0.0, 3) == 1.0
    assert c_inc(0.5, 0.5, 2) == pytest.approx((0.5 / 0.75) * np.sqrt(0.75 / 0.5))


@pytest.mark.parametrize("kwargs,msg", [
    ({"beta1": 0.99, "beta2": 0.9}, "beta1 <= beta2"),
    ({"beta1": 0.9, "beta2": 1.0}, "beta2 must lie in"),
    ({"beta1": -0.1, "beta2": 0.5}, "beta1 must lie in"),
])
def test_bad_adam_hyperparameters(kwargs, msg):
    with pytest.raises(HyperparameterError, match=msg):
        make_optimizer("inc-adam", **kwargs)


def test_make_optimizer_rejects_unknown_and_foreign_settings():
    with pytest.raises(HyperparameterError, match="unknown optimizer"):
        make_optimizer("rmsprop")
    with pytest.raises(HyperparameterError, match="does not take"):
        make_optimizer("gd", beta1=0.9)
    assert make_optimizer("gd", eta0=0.5).schedule(100) == 0.5
