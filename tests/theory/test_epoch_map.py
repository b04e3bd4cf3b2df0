"""theory.epoch_map: C_inc and eq. (2) (Prop. 2.5), cyclic sums, the beta2 -> 1 limit (Prop. 4.1)."""

import numpy as np
import pytest
import sympy as sp

from theory import TheoryError
from theory.epoch_map import (C_inc, adam_proxy_update, beta1, beta2, beta2_limit, cyclic_weight_sum, epoch_update,
                              gradient_symbols, inc_adam_frozen_epoch, steady_state_moments,
                              verify_beta2_limit, verify_C_inc_forms, verify_cyclic_sum_identity,
                              verify_frozen_epoch)


def test_cyclic_sum_identity_symbolic_N():
    assert verify_cyclic_sum_identity().ok


@pytest.mark.parametrize("N", range(1, 13))
def test_cyclic_sum_identity_each_N(N):
    assert verify_cyclic_sum_identity(N).ok


@pytest.mark.parametrize("N", [2, 3, 5, 12])
def test_C_inc_closed_and_polynomial_forms(N):
    assert verify_C_inc_forms(N).ok


def test_C_inc_value_and_limits():
    assert sp.simplify(C_inc(sp.Rational(1, 2), sp.Rational(1, 2), 2) - sp.Rational(2, 3) * sp.sqrt(sp.Rational(3, 2))) == 0
    assert sp.cancel(sp.limit(C_inc(beta1, beta2, 3), beta2, 1) - sp.sqrt(3) / (1 + beta1 + beta1**2)) == 0


@pytest.mark.parametrize("N", range(1, 13))
def test_beta2_limit_is_adam_proxy_and_beta1_drops_out(N):
    rep = verify_beta2_limit(N)
    assert rep.ok, rep.summary()


def test_beta2_limit_genuine_limit_N2():
    """The substitution in beta2_limit is a true limit: compare with sympy.limit for N = 2."""
    g = gradient_symbols(2)
    lim = sp.limit(epoch_update(g, beta1, beta2), beta2, 1, "-")
    assert sp.simplify(lim - adam_proxy_update(g)) == 0


@pytest.mark.parametrize("N", [1, 2, 3])
def test_frozen_epoch_reproduces_eq2(N):
    rep = verify_frozen_epoch(N)
    assert rep.ok, rep.summary()


def test_frozen_epoch_guard():
    with pytest.raises(TheoryError, match="max_size"):
        verify_frozen_epoch(5)


def test_negative_control_wrong_start_state_is_not_periodic():
    """From zero moments (not the steady state) one epoch does not reproduce eq. (2)."""
    g = gradient_symbols(2)
    total, ms, _ = inc_adam_frozen_epoch(g, beta1, beta2, 0, 0)
    mbar, _ = steady_state_moments(g, beta1, beta2)
    assert sp.cancel(ms[-1] - mbar[-1]) != 0
    pt = {beta1: sp.Rational(1, 2), beta2: sp.Rational(3, 4), g[0]: 1, g[1]: -2}
    assert abs(sp.N((total - epoch_update(g, beta1, beta2)).subs(pt))) > 1e-3


def test_negative_control_beta2_below_one_depends_on_beta1():
    g = gradient_symbols(3)
    e = epoch_update(g, beta1, sp.Rational(1, 2))
    assert beta1 in e.free_symbols
    assert sp.diff(e, beta1).subs({beta1: sp.Rational(1, 2), g[0]: 1, g[1]: 2, g[2]: -1}).evalf() != 0


def test_numeric_inc_adam_converges_to_eq2():
    """Float check: Inc-Adam from zero moments with frozen gradients -> eq. (2) per epoch (beta1^N contraction)."""
    rng = np.random.default_rng(3)
    N, b1, b2 = 4, 0.9, 0.99
    G = rng.normal(size=N)
    m = v = 0.0
    for _ in range(3000):
        s = 0.0
        for gi in G:
            m = b1 * m + (1 - b1) * gi
            v = b2 * v + (1 - b2) * gi**2
            s += m / np.sqrt(v)
    sym = gradient_symbols(N)
    exact = float(epoch_update(sym, beta1, beta2).subs({beta1: b1, beta2: b2, **dict(zip(sym, G))}))
    assert abs(s - exact) < 1e-9


def test_cyclic_weight_sum_concrete():
    assert cyclic_weight_sum(beta1, 3, 1) == 1 + beta1 + beta1**2
    assert beta2_limit(gradient_symbols(1)) == adam_proxy_update(gradient_symbols(1))


# --- agreement with numerics.optimizers.transforms (float64; tolerance 1e-12 relative: closed formulas,
#     no solver involved, only float rounding over O(N^2) operations) -----------------------------------------

from numerics.backend import FLOAT64  # noqa: E402
from numerics.optimizers import transforms  # noqa: E402
from numerics.optimizers.grads import SampleGrads  # noqa: E402


def _grads(G):
    """SampleGrads whose per-sample gradients are exactly the rows of G (grad L_i = -e^0 * rows[i])."""
    return SampleGrads(np.zeros(G.shape[0]), -np.asarray(G, float))


@pytest.mark.parametrize("N,b1,b2", [(3, 0.9, 0.999), (5, 0.5, 0.8), (10, 0.0, 0.3)])
def test_numerics_epoch_map_and_C_inc_match_eq2(N, b1, b2):
    rng = np.random.default_rng(N)
    G = rng.normal(size=(N, 4))
    num, _, _ = transforms.epoch_map(b1, b2).update(FLOAT64, _grads(G), None)
    g = gradient_symbols(N)
    expr = sp.lambdify(g, epoch_update(g, sp.Float(b1, 30), sp.Float(b2, 30)))
    exact = np.array([expr(*G[:, k]) for k in range(4)])
    assert np.max(np.abs(num - exact)) < 1e-12 * np.max(np.abs(exact))
    assert abs(float(transforms.c_inc(b1, b2, N)) - float(C_inc(sp.Float(b1, 30), sp.Float(b2, 30), N))) < 1e-13


def test_numerics_adam_transform_steady_state_is_eq2():
    """numerics' Adam (Alg. 1) fed frozen cyclic gradients: the epoch sum of its directions -> eq. (2)."""
    N, b1, b2 = 3, 0.9, 0.99
    G = np.random.default_rng(1).normal(size=(N, 2))
    tr = transforms.adam(b1, b2)
    st = tr.init(FLOAT64, 2)
    for _ in range(3000):
        total = np.zeros(2)
        for i in range(N):
            u, st, _ = tr.update(FLOAT64, _grads(G[i:i + 1]), st)
            total += u
    exact, _, _ = transforms.epoch_map(b1, b2).update(FLOAT64, _grads(G), None)
    g = gradient_symbols(N)
    assert np.max(np.abs(total - exact)) < 1e-9
    assert abs(total[0] - float(epoch_update(g, beta1, beta2).subs({beta1: b1, beta2: b2,
                                                                    **dict(zip(g, G[:, 0]))}))) < 1e-9


def test_numerics_adam_proxy_is_beta2_limit_up_to_constant():
    """Prop. 4.1: lim eq. (2) = sqrt(N) sum g/sqrt(sum g^2); numerics' AdamProxy uses (1/N) sum g/sqrt(sum g^2)
    (the constant N^{3/2} is absorbed into eta, Def. 4.2)."""
    N = 4
    G = np.random.default_rng(2).normal(size=(N, 3))
    proxy, _, _ = transforms.adam_proxy().update(FLOAT64, _grads(G), None)
    g = gradient_symbols(N)
    lim = sp.lambdify(g, beta2_limit(g).subs(beta1, sp.Rational(1, 2)))
    exact = np.array([lim(*G[:, k]) for k in range(3)])
    assert np.max(np.abs(N**1.5 * proxy - exact)) < 1e-12 * np.max(np.abs(exact))
    near, _, _ = transforms.epoch_map(0.9, 1 - 1e-9).update(FLOAT64, _grads(G), None)
    assert np.max(np.abs(near - exact)) < 1e-6
