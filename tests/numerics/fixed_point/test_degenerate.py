"""The AdamProxy limit by levels where D(c*) is singular (numerics.fixed_point.degenerate, docs/math.md §13.8)."""

import numpy as np
import pytest

from numerics.datasets import sparse_planted
from numerics.errors import ConvergenceError, SingularMetricError
from numerics.fixed_point.degenerate import degenerate_limit, level_vector
from numerics.fixed_point.levels import deciders, levels_from_direction, pending_crossovers, singular_coordinates
from numerics.fixed_point.limit import adam_proxy_limit
from numerics.limits import predict_limits

X22 = np.array([[1.0, 0.0], [4.0, 1.0]])


def test_two_points_by_hand():
    """X = [[1, 0], [4, 1]]: the support {0} is 0 in coordinate 1, which only x_1 feeds, so AdamProxy moves it by
    sign(x_11) / N per unit step like coordinate 0 (c_0 x_00 / |c_0 x_00| = 1): w_hat = (1, 1) / sqrt(2)."""
    dl = degenerate_limit(X22, levels=((0,), (1,)))
    assert np.allclose(dl.direction, np.array([1.0, 1.0]) / np.sqrt(2), rtol=0, atol=1e-15)
    assert dl.support == (0,) and dl.singular == (1,) and dl.decided_by == (0, 1)
    assert dl.margins[0] == pytest.approx(1.0) and dl.margins[1] == pytest.approx(5.0)  # <(1, 1), x_1> = 5
    assert dl.min_slack == pytest.approx(4.0)  # x_1 feeds coordinate 0 at margin 5 against the support's 1


def test_thm_4_8_refuses_a_singular_metric_instead_of_returning_one():
    with pytest.raises(SingularMetricError) as exc:
        adam_proxy_limit(X22, precision=None)
    assert exc.value.coordinates == (1,)
    P = predict_limits(X22, precision=None)
    assert not P.adam_proxy.applicable and P.failures == {} and "adam_proxy" in P.not_applicable
    assert np.allclose(P.degenerate.direction, [2**-0.5, 2**-0.5], atol=1e-12)


def test_the_silent_case_is_caught():
    """sparse_planted(seed=7): Algorithm 3 stops, on duals ~1e-10 off a two-point support that is 0 in 7 of 10
    coordinates, and used to return a direction whose entries there were the solver's noise."""
    X = sparse_planted(seed=7).X
    with pytest.raises(SingularMetricError) as exc:
        adam_proxy_limit(X, precision=None)
    assert len(exc.value.coordinates) == 7


@pytest.fixture(scope="module")
def planted():
    X = sparse_planted().X
    return X, predict_limits(X, precision=None).degenerate


def test_levels_solve_their_equations_by_substitution(planted):
    X, dl = planted
    v = level_vector(X, dl.levels, dl.c)
    z = X @ v
    for lv, mu in zip(dl.levels, dl.margins):
        assert np.abs(z[list(lv)] - mu).max() < 1e-12 * mu  # Newton's |residual| < 1e-13, margins of order 1
    assert all(a < b for a, b in zip(dl.margins, dl.margins[1:])) and dl.margins[0] > 0
    # every coordinate's deciding feeders are its feeders of smallest margin, strictly below the others
    lev, T = deciders(X, dl.levels)
    for k in range(X.shape[1]):
        rows = np.flatnonzero(X[:, k] != 0)
        others = np.setdiff1d(rows, T[k])
        assert np.allclose(z[T[k]], z[rows].min(), rtol=1e-12)
        if others.size:
            assert z[others].min() > z[rows].min() * (1 + 1e-9)
    assert levels_from_direction(X, v, 1e-9) == dl.levels  # the structure reproduces itself
    assert len(dl.levels) > 1 and len(dl.singular) > 0 and np.all(dl.c[list(dl.levels[0])] > 0)
    assert tuple(singular_coordinates(X, dl.support)) == dl.singular


def test_a_wrong_structure_is_refused_or_repaired_never_returned_as_is(planted):
    X, dl = planted
    merged = (tuple(sorted(dl.levels[0] + dl.levels[1])),) + dl.levels[2:]  # two levels forced to tie
    try:
        other = degenerate_limit(X, levels=merged)
    except ConvergenceError:
        return
    assert other.levels != merged  # re-read from its own solution, the structure changed


def test_pending_crossovers_say_when_a_run_is_not_asymptotic():
    """At w = (1, -10) sample 1 of X22 has margin -6 < 1, so it decides coordinate 0 now, not the support {0} that
    the limit (1, 1) gives it; at w = (10, 10) both coordinates are decided as in the limit."""
    u = np.array([1.0, 1.0]) / np.sqrt(2)
    pend = pending_crossovers(X22, np.array([1.0, -10.0]), u)
    assert [p["coordinate"] for p in pend] == [0] and pend[0]["current"] == 1 and pend[0]["gap"] == pytest.approx(7)
    assert pending_crossovers(X22, np.array([10.0, 10.0]), u) == []


def test_no_zero_entry_no_degenerate_prediction():
    from numerics.datasets import gaussian

    assert predict_limits(gaussian(6, 12, seed=1).X, precision=None).degenerate is None


def test_newton_start_from_an_iterate_with_weights_far_below_underflow(planted):
    """An iterate at large ||w|| gives a level's samples start weights e^-(z_j - min z) far below float64's
    e^-745: Newton runs in log-weights, so nothing is 0/0 (it used to stop at |F| = nan, as on digits 4 vs 9), and
    where it is flat in such a weight it starts again from uniform weights: the same limit."""
    X, dl = planted
    S = list(dl.levels[0])
    assert len(S) >= 2
    w = 1e6 * dl.direction + np.linalg.lstsq(X[S], np.arange(len(S), dtype=float) * 1e3, rcond=None)[0]
    z = X[S] @ w
    assert z.max() - z.min() > 2000  # e^-2000 underflows to 0 in float64
    again = degenerate_limit(X, levels=dl.levels, iterate=w)
    assert again.levels == dl.levels
    assert np.abs(again.direction - dl.direction).max() < 1e-12  # both at Newton's |F| < 1e-13
