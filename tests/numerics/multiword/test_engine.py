"""The multi-word engine (double-double, quad-double) against mpmath at 80 digits, and its selection.

Tolerance.  As in tests/numerics/optimizers/test_run.py (float64 against 30 digits), a step does at most
~50 operations on each coordinate, each with an error bounded relative to its operands by U (the
per-operation bounds of numerics/multiword/dd.py and qd.py: U = 15 u^2 < 2^-102 for double-double,
2^-204 for quad-double, u = 2^-53), and on these well-conditioned data the errors add up linearly, so
|w - w_80| <= 50 * steps * U * max|w_80| (1.2e-25 at 10^4 steps for double-double).  mpmath's own error
at 80 digits (1e-80 per operation) is far below both.  The sign optimizers are compared the same way: a
rounding error flips sign(m) only if |m| is within it of 0, which these data never come near.
"""

import functools

import mpmath
import numpy as np
import pytest

pytest.importorskip("numba")

from numerics.backend import backend_from_precision, mpmath_backend, multiword_backend  # noqa: E402
from numerics.errors import HyperparameterError, RangeError  # noqa: E402
from numerics.losses import EXPONENTIAL, LOGISTIC  # noqa: E402
from numerics.optimizers import make_optimizer, run  # noqa: E402

RNG = np.random.default_rng(11)
X = RNG.standard_normal((4, 6))
X[:, 0] = np.abs(X[:, 0]) + 0.5  # separable along e_0
UNIT = {2: 2.0**-102, 4: 2.0**-204}  # per-operation bound U (module docstring)
DIGITS = {2: 30, 4: 60}

# every sequential optimizer of the toolkit (name, settings)
OPTIMIZERS = [("inc-adam", {}), ("adam", {"batch_size": 1, "sampling": "cyclic"}),
              ("adam", {"batch_size": 2, "sampling": "replacement"}), ("adam", {"batch_size": 2, "sampling": "reshuffle"}),
              ("inc-signum", {}), ("signsgd", {}), ("det-adam", {}), ("det-signum", {}), ("adam-proxy", {}),
              ("epoch-map", {}), ("gd", {})]
IDS = [name + ("-" + s["sampling"] if "sampling" in s else "") for name, s in OPTIMIZERS]


def tol(steps: int, K: int) -> float:
    return 50 * steps * UNIT[K]


@functools.lru_cache(maxsize=None)
def reference(name: str, settings: tuple, steps: int, data_scale: float = 1.0, loss=EXPONENTIAL, w0_first=0.0):
    w0 = np.zeros(X.shape[1])
    w0[0] = w0_first
    return run(X * data_scale, make_optimizer(name, **dict(settings)), steps, checkpoints=5, seed=3, loss=loss, w0=w0,
               backend=mpmath_backend(80), progress=False, engine="reference")


def assert_close(a, b, steps, K, moved_from=None, magnitude=1.0):
    """max|w - w_80| <= tol * magnitude * max|w_80 - w0| (what moved: w0 itself is exact in both)."""
    assert a.engine == "compiled" and list(a.steps) == list(b.steps)
    with mpmath.workdps(90):
        w_a, w_b = list(a.final_w), list(b.final_w)
        base = [0] * len(w_b) if moved_from is None else list(moved_from)
        err = max(abs(x - y) for x, y in zip(w_a, w_b))
        scale = max(abs(y - z) for y, z in zip(w_b, base))
        assert scale > 0 and err <= tol(steps, K) * magnitude * scale, float(err / scale)
    # the float64 summaries: the same numbers rounded (log L to a few ulps of its size)
    assert np.allclose(a.w, b.w, rtol=4e-16, atol=0)
    assert np.allclose(a.log_loss, b.log_loss, rtol=1e-15, atol=1e-15)


def _check(K, name, settings, steps):
    opt = make_optimizer(name, **settings)
    a = run(X, opt, steps, checkpoints=5, seed=3, backend=multiword_backend(DIGITS[K]), progress=False)
    assert_close(a, reference(name, tuple(sorted(settings.items())), steps), steps, K)


@pytest.mark.parametrize("K", [2, 4])
@pytest.mark.parametrize("name,settings", OPTIMIZERS, ids=IDS)
def test_agrees_with_80_digits_short(K, name, settings):
    _check(K, name, settings, 300)


@pytest.mark.slow
@pytest.mark.parametrize("name,settings", OPTIMIZERS, ids=IDS)
def test_agrees_with_80_digits_over_1e4_steps(name, settings):
    for K in (2, 4):
        _check(K, name, settings, 10_000)


# (the epoch map at 1e300 is left out: its 80-digit reference spends seconds per step in mpmath's exp of
# arguments of size 1e300; its kernel forms the batch weights exactly as AdamProxy's, which is covered)
EXTREMES = [(name, scale) for name in ("inc-adam", "adam-proxy", "det-signum", "epoch-map") for scale in (1e-300, 1e300)
            if (name, scale) != ("epoch-map", 1e300)]


@pytest.mark.parametrize("K", [2, 4])
@pytest.mark.parametrize("name,scale", EXTREMES)
def test_extreme_data_magnitudes(K, name, scale):
    """Data at 1e-300 and 1e300: the power-of-two row scale (docs/math.md §13.5) keeps every word in range,
    so the run agrees with mpmath to the same tolerance as on O(1) data."""
    steps = 300
    a = run(X * scale, make_optimizer(name), steps, checkpoints=5, seed=3, backend=multiword_backend(DIGITS[K]),
            progress=False)
    assert_close(a, reference(name, (), steps, scale), steps, K)


@pytest.mark.parametrize("K", [2, 4])
@pytest.mark.parametrize("loss", [EXPONENTIAL, LOGISTIC], ids=["exp", "logistic"])
def test_far_beyond_float64_exp_underflow(K, loss):
    """Margins >= 5e4, where exp(-margin) == 0 in float64: the log-domain weights keep the run moving exactly
    like the 80-digit one (as the float64 engines do, tests/numerics/optimizers/test_run.py).  The margins
    z ~ 1e5 carry absolute rounding errors |z| U, which enter the log-scale factors exp(s_old - s)
    relatively: the tolerance scales with max|z|."""
    steps = 500
    w0 = np.zeros(X.shape[1])
    w0[0] = 1e5
    a = run(X, make_optimizer("inc-adam"), steps, checkpoints=5, seed=3, loss=loss, w0=w0,
            backend=multiword_backend(DIGITS[K]), progress=False)
    b = reference("inc-adam", (), steps, loss=loss, w0_first=1e5)
    assert_close(a, b, steps, K, moved_from=[mpmath.mpf(x) for x in w0], magnitude=float(np.max(np.abs(X @ w0))))
    assert a.log_loss[-1] < -5e4


@pytest.mark.parametrize("K", [2, 4])
def test_float64_range_failure_is_a_range_error_as_in_float64(K):
    """Margins beyond 1e308 cannot be held in K float64 words either: the same RangeError as float64."""
    w0 = np.zeros(X.shape[1])
    w0[0] = 1e10
    for bk in (None, multiword_backend(DIGITS[K])):
        kw = {} if bk is None else {"backend": bk}
        with pytest.raises(RangeError, match="--precision"):
            run(X * 1e300, make_optimizer("inc-adam"), 5, w0=w0, progress=False, **kw)


def test_precision_selects_the_arithmetic():
    assert backend_from_precision("30").words == 2 and backend_from_precision("31").words == 2
    assert backend_from_precision("32").words == 4 and backend_from_precision(60).words == 4
    assert backend_from_precision("62").words == 4
    assert backend_from_precision("63").words == 0 and backend_from_precision("63").name == "mpmath[63]"
    assert backend_from_precision("30").name == "double-double[30]" and backend_from_precision("30").dps == 30
    with pytest.raises(HyperparameterError, match="at most"):
        multiword_backend(70)


def test_auto_runs_compiled_and_a_callback_falls_back_to_mpmath_at_the_same_digits():
    bk = backend_from_precision("30")
    a = run(X, make_optimizer("inc-adam"), 50, backend=bk, progress=False)
    seen = []
    b = run(X, make_optimizer("inc-adam"), 50, backend=bk, progress=False, callback=lambda t, w, d, s: seen.append(w[0]))
    assert (a.engine, b.engine) == ("compiled", "reference") and a.backend == b.backend == "double-double[30]"
    assert isinstance(seen[-1], mpmath.mpf) and len(seen) == 50
    with mpmath.workdps(40):  # both carry >= 30 digits: they agree to 50 * steps * 1e-30
        err = max(abs(x - y) for x, y in zip(a.final_w, b.final_w)) / max(abs(y) for y in b.final_w)
    assert err <= 50 * 50 * 1e-30
    with pytest.raises(HyperparameterError, match="compiled engine cannot"):
        run(X, make_optimizer("inc-adam"), 5, backend=mpmath_backend(30), engine="compiled", progress=False)
