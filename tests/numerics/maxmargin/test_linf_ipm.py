"""The l_inf interior-point method on its normal equations: agreement with Clarabel, the recovered vertex,
non-separable data, routing, and a wrong active set rejected by the vertex checks."""

import numpy as np
import pytest

from numerics.errors import SolverError
from numerics.maxmargin import LINF, linf_max_margin
from numerics.maxmargin.clarabel_lp import TIGHT, solve_lp
from numerics.maxmargin.kkt import assemble
from numerics.maxmargin.linf_ipm import _ipm, _vertex, solve_linf_ipm


def _gauss(N, d, seed):
    X = np.random.default_rng(seed).standard_normal((N, d))
    return X / np.abs(X).max()


@pytest.mark.parametrize("N,d,seed", [(5, 10, 0), (40, 80, 1), (120, 240, 2), (60, 61, 3), (30, 300, 4)])
def test_agrees_with_clarabel_and_returns_a_vertex(N, d, seed):
    X = _gauss(N, d, seed)
    w, lam, status = solve_linf_ipm(X)
    r = assemble(X, LINF, w, lam, status, "ipm")
    wc, lc, _ = solve_lp(X, LINF, TIGHT)
    ref = assemble(X, LINF, wc, lc, "optimal", "clarabel")
    # the optimal value is unique even where the minimiser is not; Clarabel is accurate to ~1e-10
    assert r.margin == pytest.approx(ref.margin, rel=1e-9)
    # a vertex: every coordinate but |support| - 1 sits at +-||w||_inf, and the KKT residuals are at rounding level
    free = np.sum(np.abs(w) < np.abs(w).max() * (1 - 1e-9))
    assert free == len(r.support) - 1 and r.kkt.max() < 1e-12


def test_hand_example_with_a_non_unique_minimiser():
    r = linf_max_margin(np.array([[1.0, 0.0], [0.0, 2.0]]))  # w2 anywhere in [0.5, 1] is optimal
    assert r.solver == "interior point" and r.margin == pytest.approx(1.0, rel=1e-12) and r.kkt.max() < 1e-8


def test_non_separable_data_are_reported_not_solved():
    X = np.array([[1.0, 0.5, 0.0], [-1.0, -0.5, 0.0]])
    w, lam, status = solve_linf_ipm(X)
    assert w is None and "not separable" in status
    with pytest.raises(SolverError, match="separable"):
        linf_max_margin(X)


def test_more_points_than_coordinates_go_to_clarabel():
    X = np.abs(np.random.default_rng(5).standard_normal((30, 5))) + 0.1
    r = linf_max_margin(X)
    assert r.solver == "CLARABEL" and r.kkt.max() < 1e-8


def test_a_wrong_active_set_is_rejected():
    """Negative control: the same iterate with one active row's slack swapped for an inactive row's makes the
    vertex recovery pick a wrong active set; its checks reject it instead of returning a non-optimal point."""
    X = _gauss(40, 80, 1)
    it = _ipm(X)
    assert _vertex(X, it) is not None
    ratio = it["s"] / it["lambda"]
    active, inactive = int(np.argmin(ratio)), int(np.argmax(ratio))
    bad = dict(it, s=it["s"].copy(), **{"lambda": it["lambda"].copy()})
    for key in ("s", "lambda"):
        bad[key][[active, inactive]] = bad[key][[inactive, active]]
    assert _vertex(X, bad) is None
