"""theory.signsgd: SignSGD limit direction sum_i sign(x_i) (App. G remark)."""

import numpy as np
import pytest
import sympy as sp

from theory import TheoryError
from theory.kkt import l2_max_margin_exact
from theory.linf_lp import linf_max_margin_exact
from theory.signsgd import signsgd_direction, signsgd_epoch, signsgd_margin, signsgd_sum, verify_signsgd_epoch

X = [[1, -2, 3], [2, 1, -1], ["1/2", 3, 1]]


def test_sum_and_direction():
    assert list(signsgd_sum(X)) == [3, 1, 1]
    assert signsgd_direction(X) == sp.Matrix([3, 1, 1]) / sp.sqrt(11)


def test_epoch_independent_of_w_and_loss_slopes():
    assert verify_signsgd_epoch(X).ok


def test_negative_control_positive_slope_reverses():
    """If l' were > 0 (not a margin loss), the epoch would move by -eta sum sign(x_i): the sign of l' matters."""
    w0 = sp.zeros(3, 1)
    assert signsgd_epoch(X, w0, [1, 1, 1], 1) == -signsgd_sum(X)


def test_neither_l2_nor_linf_and_may_not_separate():
    Xs = [[-2, -2, 2], [2, 3, -3], [3, 3, -2]]
    u = signsgd_direction(Xs)
    assert u != l2_max_margin_exact(Xs).direction and u != linf_max_margin_exact(Xs).direction
    assert signsgd_margin(Xs) <= 0                    # SignSGD's direction does not separate these data
    assert linf_max_margin_exact(Xs).value > 0        # although the data are separable


def test_numeric_signsgd_trajectory_direction():
    """Float SignSGD with eta_t = 0.1 (t+2)^(-1/2) from w = 0 on random data tends to sum_i sign(x_i)."""
    rng = np.random.default_rng(5)
    Xf = rng.integers(-4, 5, size=(5, 4))
    Xf[Xf == 0] = 1
    w = np.zeros(4)
    for t in range(20000):
        x = Xf[t % 5]
        grad = -np.exp(-np.clip(x @ w, -50, 50)) * x
        w -= 0.1 * (t + 2) ** -0.5 * np.sign(grad)
    u = np.array([float(v) for v in signsgd_direction(Xf)])
    assert np.linalg.norm(w / np.linalg.norm(w) - u) < 1e-2


def test_zero_sum_has_no_direction():
    with pytest.raises(TheoryError, match="no limit direction"):
        signsgd_direction([[1, 1], [-1, -1]])
    with pytest.raises(TheoryError, match="nonzero"):
        signsgd_sum([[0, 1]])


# --- agreement with numerics.optimizers (signsgd through the driver; float64) --------------------------------

from numerics.optimizers import run, signsgd  # noqa: E402


def test_numerics_signsgd_direction_matches_exact():
    """numerics' SignSGD (eta_t = 0.1 (t+2)^(-1/2), cyclic) ends within O(1/sqrt(T)) of sum_i sign(x_i)."""
    Xf = np.array([[1.0, -2.0, 3.0], [2.0, 1.0, -1.0], [0.5, 3.0, 1.0]])
    traj = run(Xf, signsgd(), 30000, checkpoints=5)
    u = np.array([float(v) for v in signsgd_direction(X)])
    assert np.linalg.norm(traj.direction - u) < 1e-2
