"""The finite-beta2 path on the bundled real data wine_0v1 (130 x 13, feature scales ~2^11 apart): it used to take
~20 CPU-minutes and fail at beta2 = 0.926 (Newton from an entering weight c = 1e-3 diverged where sample 24
re-enters the support; every failed stage also ran the b > 1 step-over with O(N^3 d) Jacobians)."""

import numpy as np
import pytest

from numerics.datasets.bundled import resolve
from numerics.fixed_point.batch_map import _aggregation, check_betas, circulant, direction_map, mixed_direction
from numerics.fixed_point.finite_beta2 import finite_beta2_fixed_point
from numerics.limits import row_scale


def _jacobian_by_einsum(X, c, beta1, beta2, b):
    """du/dc term by term (the O(M^2 N d) transcription direction_map replaced): d num_k/dc_j = (B1 A)_kj x_j,
    d V_k/dc_j = sum_l B2_kl 2 g_l A_lj x_j, du = sum_k [dnum_k rs_k - num_k rs_k^3 dV_k / 2]."""
    N, d = X.shape
    beta1, beta2, M = check_betas(beta1, beta2, N, b)
    A, B1, B2 = _aggregation(N, b), circulant(beta1, M), circulant(beta2, M)
    g = A @ (c[:, None] * X)
    num, V = B1 @ g, B2 @ (g * g)
    rs = np.zeros_like(V)
    np.divide(1.0, np.sqrt(V), out=rs, where=V > 0)
    dV = 2 * np.einsum("kl,ld,lj->kjd", B2, g, A) * X[None, :, :]
    return np.einsum("kj,kd,jd->dj", B1 @ A, rs, X) - 0.5 * np.einsum("kd,kjd->dj", num * rs**3, dV)


@pytest.mark.parametrize("b", [1, 2, 3, 6])
def test_direction_map_jacobian_equals_the_term_by_term_one_and_finite_differences(b):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 4))
    X[1, 2] = 0.0
    c = rng.random(6) + 0.1
    c[4] = 0.0  # a zero weight (an index just entering S)
    u, J = direction_map(X, 0.3, 0.7, b)(c, True)
    # both are sums of the same O(1) terms in a different order: agreement to ~1e-15 relative
    assert np.allclose(J, _jacobian_by_einsum(X, c, 0.3, 0.7, b), rtol=1e-12, atol=1e-13)
    assert np.array_equal(mixed_direction(X, c, 0.3, 0.7, b), u)
    h = 1e-6  # central differences: error O(h^2) ~ 1e-12 times the third derivative, plus rounding 1e-16 / h
    for j in (0, 3):
        e = np.eye(6)[j] * h
        fd = (direction_map(X, 0.3, 0.7, b)(c + e) - direction_map(X, 0.3, 0.7, b)(c - e)) / (2 * h)
        assert np.allclose(J[:, j], fd, rtol=1e-6, atol=1e-8)


def test_wine_beta2_0p9_is_a_checked_solution():
    X = resolve("wine_0v1").X
    Xs = X / row_scale(X)[0]  # as numerics.limits.predict_limits calls it
    p = finite_beta2_fixed_point(Xs, 0.9, 0.9, batch_size=1)  # it used to raise ConvergenceError (after ~20 min)
    S = list(p.support)
    off = [j for j in range(len(Xs)) if j not in S]
    margins = Xs @ np.array(p.w)
    assert p.residual < 1e-10 and p.checks["c_positive"] and p.checks["non_support_inactive"]
    assert np.allclose(margins[S], 1, atol=1e-10) and margins[off].min() > 1 and abs(sum(p.c) - 1) < 1e-12
    assert any("add 24" in n for n in p.notes)  # the re-entry that used to diverge
