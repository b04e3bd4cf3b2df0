"""The compiled engine against the reference engine (numerics.optimizers.run, engine="compiled" / "reference").

Tolerance.  Both engines call the same arithmetic (numerics.arith) in the same order; only the
summation order inside dot products (BLAS gemv in the reference, ddot per row in the kernels) can
differ.  Each such difference is a relative perturbation of O(eps) per step (the margins enter
Adam and Signum only through exp(s_old - s), i.e. relatively; the directions are 0-homogeneous
and, away from sign changes of m, Lipschitz in their inputs with constants O(1) on these
well-conditioned data), and perturbations add up linearly over the run, as in the
float64-vs-mpmath test of tests/numerics/optimizers/test_run.py (50 steps eps).  Both engines
round, so we allow 100 * steps * eps relative to max|w| (2.2e-10 at 10^4 steps); the observed
differences are 0 to a few eps.
"""

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numerics.errors import HyperparameterError, RangeError
from numerics.fast import support
from numerics.fast.indices import IndexStream, index_stream
from numerics.losses import EXPONENTIAL, LOGISTIC, Loss
from numerics.optimizers import OPTIMIZER_NAMES, make_optimizer, run, transforms
from numerics.optimizers.registry import Optimizer
from numerics.optimizers.samplers import Sampler
from numerics.schedules import polynomial_decay

pytest.importorskip("numba")

EPS = np.finfo(float).eps
RNG = np.random.default_rng(2024)
X = RNG.standard_normal((6, 8))
X[:, 0] = np.abs(X[:, 0]) + 0.5  # separable along e_0
LOSSES = [EXPONENTIAL, LOGISTIC]
reference = functools.partial(run, engine="reference")
compiled = functools.partial(run, engine="compiled")


def tol(steps: int) -> float:
    return 100 * steps * EPS


def assert_agree(a, b, steps, data_scale=1.0):
    """``data_scale`` = max|X|: normalised margins are 1-homogeneous in the data, so they compare at that scale."""
    assert (a.engine, b.engine) == ("reference", "compiled")
    assert list(a.steps) == list(b.steps)
    scale = np.max(np.abs(a.w), axis=1, keepdims=True)
    assert np.max(np.abs(a.w - b.w) / scale) <= tol(steps)
    assert np.allclose(a.log_loss, b.log_loss, rtol=tol(steps), atol=0)
    assert np.allclose(a.norm, b.norm, rtol=tol(steps), atol=0)
    for k in a.margins:
        assert np.allclose(a.margins[k], b.margins[k], rtol=0, atol=tol(steps) * data_scale)
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
    a = reference(X, opt, steps, **kw)
    b = compiled(X, opt, steps, **kw)
    assert_agree(a, b, steps)
    assert np.array_equal(b.final_w, b.w[-1])


def test_epoch_map_recurrence_on_more_samples():
    """N = 40: the epoch map's circulant recurrence, coordinate by coordinate against whole vectors."""
    rng = np.random.default_rng(5)
    Y = rng.standard_normal((40, 12))
    Y[:, 0] = np.abs(Y[:, 0]) + 0.2
    opt = make_optimizer("epoch-map", beta1=0.9, beta2=0.99)
    a = reference(Y, opt, 300, checkpoints=5, progress=False)
    b = compiled(Y, opt, 300, checkpoints=5, progress=False)
    assert_agree(a, b, 300 * 40)  # one step = one epoch of N recurrence steps


def test_explicit_checkpoints_and_w0():
    opt = make_optimizer("inc-adam")
    w0 = RNG.standard_normal(8)
    a = reference(X, opt, 500, w0=w0, checkpoints=(1, 7, 500, 250, 0, -3, 900), progress=False)
    b = compiled(X, opt, 500, w0=w0, checkpoints=(1, 7, 500, 250, 0, -3, 900), progress=False)
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
    a = reference(X, opt, 1000, w0=w0, loss=loss, checkpoints=4, progress=False)
    b = compiled(X, opt, 1000, w0=w0, loss=loss, checkpoints=4, progress=False)
    assert np.all(np.isfinite(b.w)) and np.all(np.isfinite(b.log_loss))
    assert np.linalg.norm(b.w[-1] - w0) > 0.5  # it moved: steps are O(eta) whatever the gradient scale
    assert b.log_loss[-1] < -5e4
    assert np.max(np.abs(a.w - b.w)) <= tol(1000) * np.max(np.abs(a.w))
    assert np.allclose(a.log_loss, b.log_loss, rtol=tol(1000), atol=0)


def test_bad_arguments_are_the_same_for_both_engines():
    for engine in ("reference", "compiled", "auto"):
        for steps in (0, True, 2.5):
            with pytest.raises(HyperparameterError, match="steps"):
                run(X, make_optimizer("inc-adam"), steps, engine=engine)
        with pytest.raises(HyperparameterError, match="divide"):
            run(X, make_optimizer("adam", batch_size=4, sampling="cyclic"), 10, engine=engine)
        with pytest.raises(HyperparameterError, match="exceeds"):
            run(X, make_optimizer("adam", batch_size=7, sampling="replacement"), 10, engine=engine)
    with pytest.raises(HyperparameterError, match="engine"):
        run(X, make_optimizer("inc-adam"), 10, engine="fast")


def test_auto_without_numba_is_the_reference_engine(monkeypatch):
    monkeypatch.setattr(support, "HAVE_NUMBA", False)
    opt = make_optimizer("adam", batch_size=1, sampling="replacement")
    assert support.unsupported(opt) == "numba is not installed"
    assert run(X, opt, 200, seed=3, checkpoints=4, progress=False).engine == "reference"
    with pytest.raises(HyperparameterError, match="numba is not installed"):
        compiled(X, opt, 200)


def test_auto_chooses_and_compiled_refuses_what_has_no_kernel():
    custom = Loss("custom-exp", 0, lambda bk, z: -z)  # a loss object the kernels do not know
    opt = make_optimizer("inc-adam")
    assert run(X, opt, 100, loss=custom, checkpoints=3, progress=False).engine == "reference"
    with pytest.raises(HyperparameterError, match="custom-exp"):
        compiled(X, opt, 100, loss=custom)

    class Odd(transforms.SGD):
        """A user's transform: the engine dispatches on exact types, so it is not mistaken for SGD."""

    odd = Optimizer("odd", Odd(), Sampler("full"), polynomial_decay())
    assert "no compiled kernel" in support.unsupported(odd)
    assert run(X, odd, 10, progress=False).engine == "reference"

    seen = []
    c = run(X, opt, 50, callback=lambda t, *rest: seen.append(t), checkpoints=2, progress=False)
    assert seen == list(range(50)) and c.engine == "reference"
    with pytest.raises(HyperparameterError, match="callback"):
        compiled(X, opt, 50, callback=lambda *a: None)
    assert run(X, opt, 50, checkpoints=2, progress=False).engine == "compiled"


def test_mpmath_backend_is_the_reference_engine():
    from numerics.backend import mpmath_backend

    assert run(X, make_optimizer("inc-adam"), 20, backend=mpmath_backend(20), progress=False).engine == "reference"


def test_kernels_are_cached_on_disk_and_keyed_on_the_arithmetic():
    """The numba cache lives on disk (a second process loads instead of compiling), and its key includes
    the digest of numerics/arith.py and numerics/ops.py, which the kernels call but numba does not watch."""
    from pathlib import Path

    from numerics.fast import kernels

    compiled(X, make_optimizer("inc-adam"), 10, progress=False)
    assert Path(kernels.batch_steps.stats.cache_path).is_dir()
    assert kernels.DIGEST in [c.cell_contents for c in kernels.batch_steps.py_func.__closure__]


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


# --- both engines over the whole float64 range (hypothesis) ------------------------------------------------
def _magnitude_runs(name: str, exponent: int, seed: int):
    rng = np.random.default_rng(seed)
    Y = rng.standard_normal((4, 5))
    Y[:, 0] = np.abs(Y[:, 0]) + 0.5
    Y *= 10.0 ** exponent
    # the scale-invariant updates move w by O(eta0) whatever the data, so margins move by O(eta0 |x|): eta0 =
    # 0.1 / 10^k keeps the run at every scale the well-conditioned one the tolerance assumes (with 0.1 at
    # k = 3, the epoch map amplifies a 1e-14 perturbation of w0 to 2e-5 in 50 steps: no engine can agree
    # there).  GD keeps its eta: its step scales with the data and leaves float64 for large ones (RangeError)
    opt = make_optimizer(name) if name == "gd" else make_optimizer(name, eta0=0.1 * 10.0 ** -exponent)
    out = []
    for engine in ("reference", "compiled"):
        try:
            out.append(run(Y, opt, 300, checkpoints=6, seed=seed, progress=False, engine=engine))
        except RangeError as exc:
            out.append(exc)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(OPTIMIZER_NAMES), exponent=st.integers(-300, 300), seed=st.integers(0, 2**16))
def test_engines_agree_from_1e_minus_300_to_1e300(name, exponent, seed):
    """Every optimizer on data scaled by 10^k, |k| <= 300: the same trajectory to 100 steps eps (module
    docstring), or the same RangeError (GD's unscaled gradient step leaves float64 for large data)."""
    a, b = _magnitude_runs(name, exponent, seed)
    if isinstance(a, RangeError) or isinstance(b, RangeError):
        assert type(a) is type(b), (a, b)
        return
    assert np.all(np.isfinite(b.w))
    assert_agree(a, b, 300, data_scale=10.0 ** exponent)


@pytest.mark.parametrize("name,settings", [("signsgd", {}), ("inc-adam", {"beta1": 0.0, "beta2": 0.0}),
                                           ("inc-signum", {"beta": 0.0})])
def test_no_memory_with_margin_jumps_beyond_exp_range(name, settings):
    """beta = 0 (no memory) while consecutive samples' margins differ by > 709: exp(s_old - s) overflows, and
    the old moment must be dropped, not multiplied as 0 * inf = nan (a regression: SignSGD turned nan after
    ~7e5 steps on the bundled Gaussian data)."""
    Y = np.array([[1.0, 0.5], [1e-3, 1.0]])
    w0 = np.array([2000.0, 0.0])  # margins 2000 and 2: a jump of ~2000 in log|l'| between consecutive steps
    opt = make_optimizer(name, **settings)
    a = reference(Y, opt, 200, w0=w0, checkpoints=4, progress=False)
    b = compiled(Y, opt, 200, w0=w0, checkpoints=4, progress=False)
    assert np.all(np.isfinite(a.w)) and np.all(np.isfinite(b.w))
    assert_agree(a, b, 200)
