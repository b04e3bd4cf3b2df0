import numpy as np

from numerics.optimizers import adam_proxy, run
from numerics.trajectory import log_checkpoints, normalised_margins


def test_log_checkpoints_are_log_spaced_and_end_at_steps():
    pts = log_checkpoints(10**6, 30)
    assert pts[0] == 1 and pts[-1] == 10**6 and len(pts) <= 31
    assert all(b > a for a, b in zip(pts, pts[1:]))
    assert log_checkpoints(7, 60) == tuple(range(1, 8))


def test_memory_is_o_checkpoints():
    X = np.array([[1.0, 0.5], [0.3, 1.0]])
    tr = run(X, adam_proxy(), 20000, checkpoints=10, progress=False)
    assert len(tr.steps) <= 11 and tr.w.shape == (len(tr.steps), 2) and tr.steps[-1] == 20000


def test_normalised_margins_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    m = normalised_margins(X, np.array([3.0, 4.0]), metric=np.array([1.0, 4.0]))
    assert m["l2"] == 3 / 5 and m["linf"] == 3 / 4 and m["mahalanobis"] == 3 / np.sqrt(9 + 64)


def test_range_failures_raise_in_both_engines():
    """GD on data near 1e308 overflows float64 within a step: both engines stop with a RangeError
    (the check sits in the shared TrajectoryRecorder) instead of returning inf or nan."""
    import pytest

    from numerics.errors import RangeError
    from numerics.optimizers import gd, run

    X = np.array([[1.27e308]])
    for engine in ("reference", "compiled"):
        with pytest.raises(RangeError, match="mpmath"):
            run(X, gd(0.1), 20, engine=engine)
