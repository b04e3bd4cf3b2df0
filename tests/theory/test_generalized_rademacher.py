"""theory.generalized_rademacher: Def. 3.1, Ex. 4.9 (D(c) scalar, P(c) = SVM), Cor. 3.2 weights and bounds."""

import numpy as np
import pytest
import sympy as sp

from theory import TheoryError, verify_fixed_point
from theory.generalized_rademacher import (cor32_bounds, cor32_weights, gr_dataset, gr_fixed_point,
                                           is_generalized_rademacher, verify_cor32_reduction,
                                           verify_cor32_denominator_bounds, verify_cor32_weight_sum,
                                           verify_D_scalar, verify_gr_reduction)
from theory.kkt import l2_max_margin_exact

HADAMARD = [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]
GR = [[1, 1, 1], [2, -2, 2], [3, 3, -3]]
NON_GR = [[3, 1], [1, 4]]


def test_D_scalar_symbolic_alpha_and_c():
    alphas = sp.symbols("alpha0:3", positive=True)
    X = gr_dataset(alphas, [[1, -1, 1, 1], [-1, -1, 1, -1], [1, 1, 1, -1]])
    assert verify_D_scalar(X).ok                  # c symbolic by default
    assert is_generalized_rademacher(X) is True


def test_non_gr_D_not_scalar_names_condition():
    rep = verify_D_scalar(NON_GR)
    assert rep.failed == ("D(c) scalar",)
    assert is_generalized_rademacher(NON_GR) is False


@pytest.mark.parametrize("N", [2, 3])
def test_gr_reduction_symbolic(N):
    """P(c) on GR data: same primal as the l2 problem, multipliers s(c) lambda_2, T(c) constant."""
    alphas = sp.symbols(f"alpha0:{N}", positive=True)
    X = gr_dataset(alphas, HADAMARD[:N])           # orthogonal signs: every sample is a support vector
    rep = verify_gr_reduction(X, range(N))
    assert rep.ok, rep.summary()


def test_gr_reduction_wrong_support_fails():
    """GR data whose l2 support is {0, 1, 2}: the reduction claimed on {0, 1} is refuted at its first condition."""
    rep = verify_gr_reduction(GR, [0, 1])
    assert rep.failed[0] == "support is the l2 support" and rep.verdict.refuted
    assert verify_gr_reduction(GR, [0, 1, 2]).verdict.proved


def test_gr_reduction_fails_on_non_gr():
    rep = verify_gr_reduction(NON_GR, [0, 1])
    assert "D(c) scalar" in rep.failed and "T constant" in rep.failed


def test_gr_fixed_point_direction_is_l2():
    ver, l2, same = gr_fixed_point(GR)
    assert ver.is_fixed_point is True and same
    assert list(ver.map.c) == [sp.Rational(21, 25), sp.Rational(3, 25), sp.Rational(1, 25)]


def test_non_gr_normalised_l2_dual_is_not_a_fixed_point():
    l2 = l2_max_margin_exact(NON_GR)
    v = verify_fixed_point(NON_GR, l2.lam / sum(l2.lam))
    assert v.is_fixed_point is False and v.failed == ("fixed point",)
    with pytest.raises(TheoryError, match="Generalized Rademacher"):
        gr_fixed_point(NON_GR)


@pytest.mark.parametrize("N", [2, 3])
def test_cor32_reduction_eq3_equals_eq2(N):
    assert verify_cor32_reduction([[1, -1, 1], [1, 1, -1], [-1, 1, 1]][:N]).ok


@pytest.mark.parametrize("N", range(1, 13))
def test_cor32_beta1_cancels(N):
    assert verify_cor32_weight_sum(N).ok


@pytest.mark.parametrize("N", [2, 5, 12])
def test_cor32_denominator_bounds_identities(N):
    assert verify_cor32_denominator_bounds(N).ok


def test_gr_dataset_validation():
    with pytest.raises(TheoryError):
        gr_dataset([1, 2], [[1, 2], [1, -1]])


def test_cor32_bounds_hold_numerically():
    """c1 <= a_j(w) <= c2 at random iterates w, exp loss, L = (1/N) sum_i l(<w, x_i>) (Cor. 3.2)."""
    rng = np.random.default_rng(7)
    alphas = [sp.Rational(1, 2), 1, sp.Rational(3, 2), 2]
    signs = [[1, 1, 1, -1, 1], [1, -1, 1, 1, -1], [1, 1, -1, 1, 1], [1, -1, -1, -1, 1]]
    X = gr_dataset(alphas, signs)
    Xf = np.array(X.tolist(), dtype=float)
    N, d = Xf.shape
    gamma2 = float(l2_max_margin_exact(X).margin)
    for b1, b2 in [(0.9, 0.999), (0.0, 0.5), (0.5, 0.6), (0.99, 0.995)]:
        c1, c2 = (float(v) for v in cor32_bounds(N, d, b2, gamma2, max(alphas)))
        for _ in range(20):
            w = rng.normal(scale=3.0, size=d)
            lp = -np.exp(-(Xf @ w))                      # l'(z_j) for the exp loss
            grad_norm = np.linalg.norm(lp @ Xf / N)
            a = [float(v) for v in cor32_weights(list(lp), [float(x) for x in alphas], b1, b2, grad_norm)]
            assert min(a) >= c1 * (1 - 1e-12) and max(a) <= c2 * (1 + 1e-12)
    assert 0 < c1 < c2


# --- agreement with numerics (datasets.generalized_rademacher, maxmargin, fixed_point; see _agreement.py) ----

from numerics.datasets import generalized_rademacher  # noqa: E402
from numerics.fixed_point import adam_proxy_fixed_point, algorithm3  # noqa: E402
from numerics.maxmargin import l2_max_margin  # noqa: E402

from ._agreement import TOL, exact_and_float, rel_err, to_float  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1])
def test_gr_exact_fixed_point_agrees_with_numerics(seed):
    """Rationalised GR data stay GR (equal magnitudes in a row round to the same fraction); the exact c* and
    l2 direction match Algorithm 3 and the 50-digit Newton fixed point of numerics."""
    Xq, Xf = exact_and_float(generalized_rademacher(N=4, d=6, seed=seed).X)
    assert is_generalized_rademacher(Xq) is True
    ver, l2, same = gr_fixed_point(Xq)
    assert ver.is_fixed_point is True and same
    alg = algorithm3(Xf)
    newton = adam_proxy_fixed_point(Xf, dps=30)
    assert alg.support == ver.map.support == newton.support
    assert rel_err(to_float(ver.map.c), alg.c) < TOL and rel_err(to_float(ver.map.c), newton.c_float) < TOL
    assert rel_err(to_float(l2.direction), l2_max_margin(Xf).direction) < TOL
    assert rel_err(to_float(l2.direction), newton.direction_float) < TOL
