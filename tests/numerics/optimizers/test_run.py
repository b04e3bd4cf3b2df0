"""The driver on both backends: agreement, underflow-freedom, determinism."""

import numpy as np
import pytest

from numerics.backend import mpmath_backend
from numerics.errors import HyperparameterError
from numerics.losses import EXPONENTIAL, LOGISTIC
from numerics.optimizers import make_optimizer, run

RNG = np.random.default_rng(11)
X = RNG.standard_normal((4, 6))
X[:, 0] = np.abs(X[:, 0]) + 0.5  # separable along e_0
EPS = np.finfo(float).eps
MP = mpmath_backend(30)


def agreement_tol(steps: int) -> float:
    """Relative float64-vs-30-digit tolerance: at most ~50 roundings of size eps per step, accumulated
    linearly (no amplification) over ``steps`` -> 50 * steps * eps (1.1e-10 at 10^4 steps)."""
    return 50 * steps * EPS


@pytest.mark.parametrize("name", ["inc-adam", "det-adam", "adam-proxy", "epoch-map", "gd"])
def test_float64_and_mpmath_agree_on_first_1e4_steps(name):
    steps = 10_000
    a = run(X, make_optimizer(name), steps, checkpoints=8, progress=False)
    b = run(X, make_optimizer(name), steps, checkpoints=8, backend=MP, progress=False)
    scale = np.max(np.abs(b.w), axis=1, keepdims=True)
    assert np.max(np.abs(a.w - b.w) / scale) <= agreement_tol(steps)
    assert np.allclose(a.log_loss, b.log_loss, rtol=agreement_tol(steps), atol=0)


def test_minibatch_adam_backends_agree_with_reshuffling():
    opt = make_optimizer("adam", batch_size=2, sampling="reshuffle")
    a = run(X, opt, 2000, checkpoints=4, seed=5, progress=False)
    b = run(X, opt, 2000, checkpoints=4, seed=5, backend=MP, progress=False)
    assert np.max(np.abs(a.w - b.w)) <= agreement_tol(2000) * np.max(np.abs(b.w))


@pytest.mark.parametrize("loss", [EXPONENTIAL, LOGISTIC], ids=["exp", "logistic"])
def test_float64_finite_far_beyond_exp_underflow(loss):
    """Start at margins >= 5e4, where exp(-margin) == 0 in float64: a naive implementation would
    divide 0 by 0; ours keeps moving exactly like the 30-digit run."""
    w0 = np.zeros(6)
    w0[0] = 1e5
    assert np.all(np.exp(-(X @ w0)) == 0.0) and np.min(X @ w0) > 1e4
    a = run(X, make_optimizer("inc-adam"), 2000, w0=w0, loss=loss, checkpoints=5, progress=False)
    b = run(X, make_optimizer("inc-adam"), 2000, w0=w0, loss=loss, checkpoints=5, backend=MP, progress=False)
    assert np.all(np.isfinite(a.w)) and np.all(np.isfinite(a.log_loss))
    moved = a.w[-1] - w0
    assert np.linalg.norm(moved) > 1.0  # Adam steps are O(eta_t) whatever the gradient scale
    # the difference relative to the *movement* (w0 itself is exact in both)
    assert np.max(np.abs(a.w[-1] - b.w[-1])) <= agreement_tol(2000) * np.max(np.abs(b.w[-1]))
    assert a.log_loss[-1] < -5e4  # log L ~ -min margin: finite, not -inf


def test_same_seed_bit_identical():
    opt = make_optimizer("adam", batch_size=1, sampling="replacement")
    a, b = (run(X, opt, 3000, seed=42, progress=False) for _ in range(2))
    c = run(X, opt, 3000, seed=43, progress=False)
    assert np.array_equal(a.w, b.w) and np.array_equal(a.log_loss, b.log_loss)
    assert not np.array_equal(a.w, c.w)


def test_bad_run_arguments():
    with pytest.raises(HyperparameterError, match="steps"):
        run(X, make_optimizer("gd"), 0)
    with pytest.raises(HyperparameterError, match="divide"):
        run(X, make_optimizer("adam", batch_size=3, sampling="cyclic"), 10)


def test_row_scale_is_exact_and_representable_at_the_float_limits():
    """Found by fuzzing: max|X| = 1.27e308 rounded up to 2^1024 overflowed."""
    import math

    from numerics.optimizers.grads import row_scale

    for m in (1.27e308, np.finfo(float).max, 1.0, 3.0, 1e-300, 5e-324):
        sigma, log_sigma = row_scale(np.array([[m]]))
        assert np.isfinite(sigma) and sigma > 0 and 1.0 <= m / sigma < 2.0
        assert math.isclose(log_sigma, math.log(sigma), rel_tol=1e-12)


def test_column_scale_is_a_power_of_two_per_column_with_sigma_its_largest():
    """Each column's largest |entry| / c_j in [1, 2) with c_j a power of two (so X / c is exact); an all-zero column
    takes sigma; sigma = max_j c_j, log sigma = its exact log; the float limits and a subnormal column included."""
    import math

    from numerics.optimizers.grads import column_scale, row_scale

    X = np.array([[0.0, -1.27e308, 3.0, 5e-324, 0.0], [0.0, 1.0, -0.75, 0.0, 0.0]])
    c, sigma, log_sigma = column_scale(X)
    assert (sigma, log_sigma) == row_scale(X)
    top = np.abs(X).max(axis=0)
    for j in range(X.shape[1]):
        assert math.frexp(c[j])[0] == 0.5  # a power of two
        if top[j] > 0:
            assert 1.0 <= top[j] / c[j] < 2.0
        else:
            assert c[j] == sigma
    assert sigma == c.max()
    # non-finite data: sigma falls back to 1 (the run's validation refuses such data before), columns keep theirs
    c, sigma, _ = column_scale(np.array([[np.inf, 3.0, 0.0]]))
    assert sigma == 1.0 and c.tolist() == [1.0, 2.0, 1.0]
