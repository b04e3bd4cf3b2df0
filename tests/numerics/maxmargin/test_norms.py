"""Max-margin solvers against closed forms, duality and scale invariance."""

import numpy as np
import pytest

from numerics.errors import DatasetError, SolverError
from numerics.maxmargin import (KKT_TOL, L1, L2, LINF, Mahalanobis, l1_max_margin, l2_max_margin, linf_max_margin,
                                mahalanobis_max_margin, max_margin, preconditioner_diag)
from numerics.maxmargin.cvx import solve_cvxpy
from numerics.maxmargin.clarabel_lp import TIGHT

# Clarabel stops at 1e-12 gap/feasibility: solutions are accurate to ~1e-10 relative on
# these well-conditioned problems; 1e-9 leaves a factor 10 for conditioning.
TOL = 1e-9
X2 = np.array([[1.0, 0.0], [0.0, 2.0]])
G = np.random.default_rng(0).standard_normal((10, 50))


def test_l2_hand_example():
    r = l2_max_margin(X2)
    assert np.allclose(r.w, [1.0, 0.5], atol=TOL)
    assert np.allclose(r.dual, [1.0, 0.25], atol=TOL)  # w = X^T lambda
    assert r.support == (0, 1) and r.licq and r.unique
    assert r.margin == pytest.approx(1 / np.sqrt(1.25), abs=TOL)


def test_linf_and_l1_hand_example():
    r = linf_max_margin(X2)
    assert r.margin == pytest.approx(1.0, abs=TOL) and not r.unique  # w2 anywhere in [0.5, 1] is optimal
    r1 = l1_max_margin(X2)
    assert np.allclose(r1.w, [1.0, 0.5], atol=TOL) and r1.margin == pytest.approx(1 / 1.5, abs=TOL)


def test_mahalanobis_hand_example():
    # c = (1/2, 1/2): D = diag(sqrt(1/4 * 1), sqrt(1/4 * 4)) = diag(0.5, 1); D w = X^T lambda at w = (1, 0.5)
    r = mahalanobis_max_margin(X2, np.array([0.5, 0.5]))
    assert np.allclose(r.metric, [0.5, 1.0], atol=1e-15)
    assert np.allclose(r.w, [1.0, 0.5], atol=TOL) and np.allclose(r.dual, [0.5, 0.25], atol=TOL)


@pytest.mark.parametrize("c", [None, "random"])
def test_closed_form_when_all_constraints_active(c):
    """With N <= d Gaussian data every constraint is active, so w = M^{-1} X^T (X M^{-1} X^T)^{-1} 1 (M = I or D(c))."""
    cvec = np.full(10, 0.1) if c is None else np.random.default_rng(1).dirichlet(np.ones(10))
    for M, res in ((np.ones(50), l2_max_margin(G)), (preconditioner_diag(G, cvec), mahalanobis_max_margin(G, cvec))):
        lam = np.linalg.solve((G / M) @ G.T, np.ones(10))
        assert np.all(lam > 0)
        assert np.allclose(res.w, (G.T @ lam) / M, rtol=TOL, atol=TOL * np.abs(res.w).max())
        assert np.allclose(res.dual, lam, rtol=1e-8)


@pytest.mark.parametrize("solve", [l2_max_margin, linf_max_margin, l1_max_margin])
def test_strong_duality_and_residuals(solve):
    """Dual of min ||w|| s.t. Xw >= 1 is max sum(lambda) s.t. ||X^T lambda||_* <= 1: optimal values agree
    (for l2, written as min 1/2||w||^2, the identity is ||w||^2 = sum(lambda))."""
    r = solve(G)
    value = r.norm.value(r.w) ** (2 if r.norm is L2 else 1)
    assert value == pytest.approx(r.dual.sum(), rel=TOL)
    assert r.kkt.max() <= KKT_TOL and r.status == "optimal"


@pytest.mark.parametrize("scale", [1e-8, 1e8])
def test_scale_invariance(scale):
    for solve in (l2_max_margin, linf_max_margin):
        a, b = solve(G), solve(G * scale)
        assert b.margin == pytest.approx(a.margin * scale, rel=TOL)
    a, b = mahalanobis_max_margin(G, np.full(10, 0.1)), mahalanobis_max_margin(G * scale, np.full(10, 0.1))
    assert np.allclose(a.direction, b.direction, atol=TOL)


def test_support_and_slack_with_inactive_constraint():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])  # the third point is far: inactive
    r = l2_max_margin(X)
    assert r.support == (0, 1) and r.slack == pytest.approx(5.0, abs=1e-8)


def test_non_separable_is_an_error():
    with pytest.raises(SolverError, match="separable"):
        l2_max_margin(np.array([[1.0, 0.0], [-1.0, 0.0]]))


def test_bad_inputs():
    with pytest.raises(DatasetError):
        l2_max_margin(np.array([1.0, 2.0]))
    with pytest.raises(DatasetError):
        l2_max_margin(np.array([[np.nan, 1.0]]))
    with pytest.raises(DatasetError):
        mahalanobis_max_margin(X2, np.array([1.0, -1.0]))
    with pytest.raises(SolverError, match="singular"):
        mahalanobis_max_margin(X2, np.array([1.0, 0.0]))  # D(e_0) = diag(1, 0): Assumption 2.2 fails for it


def test_inaccurate_solve_is_an_error():
    """A KKT tolerance no solver can meet must raise, never return a number."""
    with pytest.raises(SolverError, match="inaccurate"):
        l2_max_margin(G, kkt_tol=1e-30)


@pytest.mark.parametrize("norm", [L2, LINF, L1, "mahalanobis"])
def test_fast_solvers_agree_with_cvxpy(norm):
    """The active-set method (l2, Mahalanobis), the specialised interior point (l_inf, N <= d) and Clarabel called
    directly (l1) against the same problem written in cvxpy: the optimal values agree to the interior-point
    solve's precision (TOL)."""
    if norm == "mahalanobis":
        norm = Mahalanobis(metric=preconditioner_diag(G, np.random.default_rng(3).dirichlet(np.ones(10))))
    r = max_margin(G, norm)
    assert r.solver == ("active-set" if norm.quadratic else "interior point" if norm is LINF else "CLARABEL")
    w_cvx, _, status = solve_cvxpy(G, norm, TIGHT)
    assert status == "optimal"
    assert norm.value(r.w) == pytest.approx(norm.value(w_cvx), rel=TOL)
    if norm.unique:
        assert np.allclose(r.w, w_cvx, atol=TOL * np.abs(r.w).max())


def test_active_set_with_inactive_constraints_and_warm_start():
    """N > d: some constraints are inactive.  A wrong warm start (extra and missing indices) still ends at the
    same solution; the active-set answer's KKT residual is at rounding level (far below Clarabel's 1e-10)."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((30, 5))
    X[:, 0] = np.abs(X[:, 0]) + 1.0
    cold = l2_max_margin(X)
    assert 0 < len(cold.support) < 30 and cold.kkt.max() < 1e-12
    warm = l2_max_margin(X, start=list(cold.support))
    wrong = l2_max_margin(X, start=[0, 1, 2, 3, 4])
    for r in (warm, wrong):
        assert r.support == cold.support and np.allclose(r.w, cold.w, rtol=1e-12, atol=1e-14)


def test_norm_atoms_value_dual_and_stationarity():
    w = np.array([3.0, -4.0])
    assert (L2.value(w), LINF.value(w), L1.value(w)) == (5.0, 4.0, 7.0)
    assert (L2.dual_value(w), LINF.dual_value(w), L1.dual_value(w)) == (5.0, 7.0, 4.0)
    M = Mahalanobis(metric=np.array([4.0, 1.0]))
    assert M.value(w) == pytest.approx(np.sqrt(36 + 16)) and M.dual_value(np.array([4.0, 0.0])) == pytest.approx(2)
    # at w = e_0 / 1, g = e_0 is a subgradient of l_inf (dual norm 1, <g, w> = ||w||): residual 0
    assert LINF.stationarity(np.array([1.0, 0.5]), np.array([1.0, 0.0])) == 0.0
    assert LINF.stationarity(np.array([1.0, 0.5]), np.array([0.5, 0.5])) > 0.1
