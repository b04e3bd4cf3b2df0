"""The compiled engine against the plain numpy loop (the reference).

Tolerance.  Both engines perform the same operations in the same order except for the
summation order inside dot products and batch sums (BLAS in both, but different kernels;
the fast engine's online maximum for batches b > 1 and the epoch map's circulant sums by
recurrence).  Each such difference is a relative perturbation of O(eps) per step (the
margins enter Adam and Signum only through exp(s_old - s), i.e. relatively; the directions
are 0-homogeneous and, away from sign changes of m, Lipschitz in their inputs with
constants O(1) on these well-conditioned data), and perturbations add up linearly over the
run, as in the float64-vs-mpmath test of tests/numerics/optimizers/test_run.py (50 steps eps).
Both engines round, so we allow 100 * steps * eps relative to max|w| (2.2e-10 at 10^4 steps);
the observed differences are 0 to a few eps.
"""

import math
import warnings

import numpy as np
import pytest

from numerics.errors import HyperparameterError
from numerics.fast import FastEngineWarning, run_fast, supports
from numerics.fast import engine as fast_engine
from numerics.fast.indices import IndexStream, index_stream
from numerics.losses import EXPONENTIAL, LOGISTIC, Loss
from numerics.optimizers import make_optimizer, run, transforms
from numerics.optimizers.registry import Optimizer
from numerics.optimizers.samplers import Sampler
from numerics.schedules import polynomial_decay

pytest.importorskip("numba")

EPS = np.finfo(float).eps
RNG = np.random.default_rng(2024)
X = RNG.standard_normal((6, 8))
X[:, 0] = np.abs(X[:, 0]) + 0.5  # separable along e_0
LOSSES = [EXPONENTIAL, LOGISTIC]


def tol(steps: int) -> float:
    return 100 * steps * EPS


def assert_agree(a, b, steps):
    assert list(a.steps) == list(b.steps)
    scale = np.max(np.abs(a.w), axis=1, keepdims=True)
    assert np.max(np.abs(a.w - b.w) / scale) <= tol(steps)
    assert np.allclose(a.log_loss, b.log_loss, rtol=tol(steps), atol=0)
    assert np.allclose(a.norm, b.norm, rtol=tol(steps), atol=0)
    for k in a.margins:
        assert np.allclose(a.margins[k], b.margins[k], rtol=0, atol=tol(steps))
    for k in a.cos:
        assert np.allclose(a.cos[k], b.cos[k], rtol=0, atol=tol(steps))
    assert (a.optimizer, dict(a.hyper), a.loss, a.backend, a.seed) == (b.optimizer, dict(b.hyper), b.loss, b.backend,
                                                                        b.seed)


CASES = [
    ("inc-adam", {}, 10_000),
    ("adam", {"batch_size": 1, "sampling": "replacement"}, 3000),
    ("adam", {"batch_size": 2, "sampling": "replacement"}, 3000),
    ("adam", {"batch_size": 1, "sampling": "reshuffle"}, 3000),
    ("adam", {"batch_size": 3, "sampling": "reshuffle"}, 3000),
    ("adam", {"batch_size": 2, "sampling": "cyclic"}, 3000),
    ("det-adam", {}, 2000),
    ("inc-signum", {}, 3000),
    ("inc-signum", {"batch_size": 3}, 3000),
    ("det-signum", {}, 2000),
    ("signsgd", {}, 2000),
    ("adam-proxy", {}, 3000),
    ("epoch-map", {}, 2000),
    ("epoch-map", {"beta1": 0.0, "beta2": 0.5}, 1000),
    ("gd", {}, 2000),
]


@pytest.mark.parametrize("loss", LOSSES, ids=["exp", "logistic"])
@pytest.mark.parametrize("name,settings,steps", CASES, ids=[f"{n}{s or ''}" for n, s, _ in CASES])
def test_fast_matches_plain(name, settings, steps, loss):
    opt = make_optimizer(name, **settings)
    refs = {"e0": np.eye(8)[0], "ones": np.ones(8)}
    kw = dict(loss=loss, seed=7, checkpoints=12, references=refs, metric=np.linspace(0.5, 2, 8), progress=False)
    a = run(X, opt, steps, **kw)
    b = run_fast(X, opt, steps, **kw)
    assert_agree(a, b, steps)
    assert np.array_equal(b.final_w, b.w[-1])


def test_epoch_map_recurrence_on_more_samples():
    """N = 40: the O(N d) circulant recurrence against the plain O(N^2 d) matrix products."""
    rng = np.random.default_rng(5)
    Y = rng.standard_normal((40, 12))
    Y[:, 0] = np.abs(Y[:, 0]) + 0.2
    opt = make_optimizer("epoch-map", beta1=0.9, beta2=0.99)
    a = run(Y, opt, 300, checkpoints=5, progress=False)
    b = run_fast(Y, opt, 300, checkpoints=5, progress=False)
    assert_agree(a, b, 300 * 40)  # one step = one epoch of N recurrence steps


def test_explicit_checkpoints_and_w0():
    opt = make_optimizer("inc-adam")
    w0 = RNG.standard_normal(8)
    a = run(X, opt, 500, w0=w0, checkpoints=(1, 7, 500, 250, 0, -3, 900), progress=False)
    b = run_fast(X, opt, 500, w0=w0, checkpoints=(1, 7, 500, 250, 0, -3, 900), progress=False)
    assert list(b.steps) == [1, 7, 250, 500]
    assert_agree(a, b, 500)


@pytest.mark.parametrize("loss", LOSSES, ids=["exp", "logistic"])
@pytest.mark.parametrize("name", ["inc-adam", "adam-proxy", "epoch-map", "inc-signum"])
def test_finite_far_beyond_exp_underflow(name, loss):
    """Margins >= 1e4 (exp(-margin) == 0 in float64): log domain, no clamping, same as plain."""
    w0 = np.zeros(8)
    w0[0] = 1e5
    assert np.min(X @ w0) > 1e4 and np.all(np.exp(-(X @ w0)) == 0)
    opt = make_optimizer(name)
    a = run(X, opt, 1000, w0=w0, loss=loss, checkpoints=4, progress=False)
    b = run_fast(X, opt, 1000, w0=w0, loss=loss, checkpoints=4, progress=False)
    assert np.all(np.isfinite(b.w)) and np.all(np.isfinite(b.log_loss))
    assert np.linalg.norm(b.w[-1] - w0) > 0.5  # it moved: steps are O(eta) whatever the gradient scale
    assert b.log_loss[-1] < -5e4
    assert np.max(np.abs(a.w - b.w)) <= tol(1000) * np.max(np.abs(a.w))
    assert np.allclose(a.log_loss, b.log_loss, rtol=tol(1000), atol=0)


def test_bad_arguments_match_plain():
    with pytest.raises(HyperparameterError, match="steps"):
        run_fast(X, make_optimizer("inc-adam"), 0)
    with pytest.raises(HyperparameterError, match="divide"):
        run_fast(X, make_optimizer("adam", batch_size=4, sampling="cyclic"), 10)
    with pytest.raises(HyperparameterError, match="exceeds"):
        run_fast(X, make_optimizer("adam", batch_size=7, sampling="replacement"), 10)


def test_fallback_without_numba(monkeypatch):
    monkeypatch.setattr(fast_engine, "HAVE_NUMBA", False)
    opt = make_optimizer("adam", batch_size=1, sampling="replacement")
    assert supports(opt) == "numba is not installed"
    with pytest.warns(FastEngineWarning, match="numba"):
        b = run_fast(X, opt, 200, seed=3, checkpoints=4, progress=False)
    a = run(X, opt, 200, seed=3, checkpoints=4, progress=False)
    assert np.array_equal(a.w, b.w) and np.array_equal(a.log_loss, b.log_loss)


def test_unsupported_settings_run_the_plain_loop():
    custom = Loss("custom-exp", lambda bk, z: -z, lambda bk, z: -z)
    opt = make_optimizer("inc-adam")
    with pytest.warns(FastEngineWarning, match="custom-exp"):
        b = run_fast(X, opt, 100, loss=custom, checkpoints=3, progress=False)
    assert np.array_equal(b.w, run(X, opt, 100, loss=custom, checkpoints=3, progress=False).w)

    def my_update(bk, grads, st):
        return transforms.sgd().update(bk, grads, st)

    odd = Optimizer("odd", transforms.Transform(lambda bk, d: None, my_update), Sampler("full"), polynomial_decay())
    assert "no compiled kernel" in supports(odd)
    with pytest.warns(FastEngineWarning):
        run_fast(X, odd, 10, progress=False)

    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a callback is a documented reason for the plain loop: no warning
        c = run_fast(X, opt, 50, callback=lambda t, *rest: seen.append(t), checkpoints=2, progress=False)
    assert seen == list(range(50))
    assert np.array_equal(c.w, run(X, opt, 50, checkpoints=2, progress=False).w)


@pytest.mark.parametrize("mode", ["replacement", "reshuffle"])
@pytest.mark.parametrize("N,b", [(6, 1), (6, 2), (7, 1), (12, 3), (1000, 5)])
def test_index_stream_is_the_sampler_order(mode, N, b):
    sampler = Sampler(mode, b)
    it = sampler.batches(N, 99)
    want = np.array([next(it) for _ in range(1000)])
    stream = IndexStream(sampler, N, 99)
    got = np.concatenate([stream.take(k) for k in (1, 2, 3, 500, 494)])
    assert np.array_equal(got, want)


def test_index_stream_falls_back_when_numpy_blocks_differ(monkeypatch):
    sampler = Sampler("replacement", 1)
    monkeypatch.setattr(IndexStream, "take", lambda self, k: np.zeros((k, 1), dtype=np.int64))
    with pytest.warns(RuntimeWarning, match="plain sampler"):
        stream = index_stream(sampler, 10, 1, 100)
    it = sampler.batches(10, 1)
    assert np.array_equal(stream.take(50), np.array([next(it) for _ in range(50)]))


def test_run_fast_is_much_faster_than_plain():
    """A smoke check of the point of the engine (the real figures: benchmarks/engine_bench.py)."""
    import time

    opt = make_optimizer("inc-adam")
    run_fast(X, opt, 10, progress=False)  # compile / load the cache
    t = time.perf_counter()
    run(X, opt, 2000, checkpoints=2, progress=False)
    plain = time.perf_counter() - t
    t = time.perf_counter()
    run_fast(X, opt, 20_000, checkpoints=2, progress=False)
    fast = time.perf_counter() - t
    assert fast < plain  # 10x the steps in less time (measured: ~100x faster per step)
    assert math.isfinite(fast)
