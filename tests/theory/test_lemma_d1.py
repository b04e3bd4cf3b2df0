"""theory.lemma_d1: the bound (1-b1)/sqrt((1-b2)(1-b1^2/b2)), its Cauchy-Schwarz proof and condition b1^2 < b2."""

import numpy as np
import pytest
import sympy as sp

from theory import TheoryError
from theory.lemma_d1 import (adam_moments, adam_ratio, extremal_ratio, lemma_d1_bound, verify_extremal_ratio,
                             verify_lemma_d1_identity, verify_momentum_condition)


def test_cauchy_schwarz_identity_symbolic():
    rep = verify_lemma_d1_identity(5)
    assert rep.ok, rep.summary()


def test_sharpness_and_limit():
    assert verify_extremal_ratio(4).ok


def test_main_condition_implies_lemma_condition():
    assert verify_momentum_condition().ok


def test_guard():
    with pytest.raises(TheoryError, match="max_size"):
        verify_lemma_d1_identity(13)


def _adam_ratios(G, b1, b2):
    m = np.zeros(G.shape[1])
    v = np.zeros(G.shape[1])
    out = []
    for g in G:
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        out.append(np.abs(m) / np.sqrt(v))
    return np.array(out)


@pytest.mark.parametrize("b1,b2", [(0.9, 0.999), (0.9, 0.95), (0.5, 0.3), (0.0, 0.5), (0.99, 0.99)])
def test_bound_holds_on_random_gradient_sequences(b1, b2):
    assert b1**2 < b2
    B = float(lemma_d1_bound(b1, b2))
    rng = np.random.default_rng(11)
    # heavy-tailed and sign-persistent sequences (the hard cases for the ratio)
    G = np.concatenate([rng.standard_cauchy((400, 8)), np.abs(rng.normal(size=(400, 8)))], axis=0)
    r = _adam_ratios(G, b1, b2)
    assert np.all(r <= B * (1 + 1e-12))
    # the Cauchy-Schwarz-extremal sequence g_{t-s} = (b1/b2)^s approaches B from below
    t = 3000 if b1 == 0 else min(3000, int(40 / -np.log(b1**2 / b2)))   # q^(t+1) ~ e^-40, no underflow
    if b1 > 0:  # the ratio is scale-free: normalise in log space so that no entry overflows
        logs = (t - np.arange(t + 1)) * np.log(b1 / b2)
        g_ext = np.maximum(np.exp(logs - logs.max()), 1e-300)
    else:
        g_ext = np.r_[np.full(t, 1e-30), 1.0]
    r_ext = _adam_ratios(g_ext[:, None], b1, b2)[-1, 0]
    assert r_ext <= B * (1 + 1e-12) and r_ext > 0.99 * B


def test_negative_control_condition_violated_ratio_unbounded():
    """b1^2 >= b2: along the extremal sequence the ratio grows without bound (no uniform bound exists)."""
    b1, b2 = 0.9, 0.7
    vals = [float(extremal_ratio(t, sp.Float(b1), sp.Float(b2))) for t in (10, 40, 80)]
    assert vals[0] < vals[1] < vals[2] and vals[2] > 100
    g = (b1 / b2) ** (80 - np.arange(81)) / (b1 / b2) ** 80
    assert abs(_adam_ratios(g[:, None], b1, b2)[-1, 0] - vals[2]) < 1e-6 * vals[2]


def test_symbolic_moments_and_ratio():
    g0, g1 = sp.symbols("g0 g1", real=True)
    b1, b2 = sp.symbols("beta1 beta2", positive=True)
    m, v = adam_moments([g0, g1], b1, b2)
    assert sp.expand(m - ((1 - b1) * g1 + b1 * (1 - b1) * g0)) == 0
    assert sp.expand(v - ((1 - b2) * g1**2 + b2 * (1 - b2) * g0**2)) == 0
    assert adam_ratio([1], sp.Rational(1, 2), sp.Rational(1, 2)) == sp.sqrt(2) / 2


# --- agreement with numerics.optimizers.transforms.adam (float64) --------------------------------------------

from numerics.backend import FLOAT64  # noqa: E402
from numerics.optimizers import transforms  # noqa: E402
from numerics.optimizers.grads import SampleGrads  # noqa: E402


@pytest.mark.parametrize("b1,b2", [(0.9, 0.999), (0.9, 0.95)])
def test_numerics_adam_ratio_within_bound(b1, b2):
    """numerics' Adam (log-scaled moments) returns m_t/sqrt(v_t): it matches the plain recursion and obeys B."""
    rng = np.random.default_rng(4)
    G = rng.standard_cauchy((500, 6)) * np.exp(rng.normal(scale=5, size=(500, 1)))
    tr = transforms.adam(b1, b2)
    st = tr.init(FLOAT64, 6)
    out = []
    for g in G:
        u, st, _ = tr.update(FLOAT64, SampleGrads(np.zeros(1), -g[None, :]), st)
        out.append(np.abs(u))
    out = np.array(out)
    assert np.all(out <= float(lemma_d1_bound(b1, b2)) * (1 + 1e-12))
    assert np.allclose(out, _adam_ratios(G, b1, b2), rtol=1e-10, atol=0)
