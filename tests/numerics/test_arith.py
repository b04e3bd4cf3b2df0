"""numerics.arith: the per-coordinate log-scale and its loss tripwires (``Trajectory.lost``).

A tripwire must fire exactly where float64 lost digits and nowhere else: on GD with a column of entries
2^-1021 the step e^-z 2^-1021 / 4 is subnormal (digits lost, the mpmath run differs in the 15th digit), on
the same data at 2^-1000 it is normal; mpmath's exponents are unbounded, so its runs never count a loss.
"""

import math

import numpy as np
import pytest

from numerics import arith
from numerics.backend import mpmath_backend
from numerics.errors import PrecisionLossError
from numerics.optimizers import make_optimizer, run

LOSSY = np.array([[1.0, 0.0], [0.5, 2.0**-1021]])  # GD's steps in coordinate 1 are below 2^-1022
NORMAL = np.array([[1.0, 0.0], [0.5, 2.0**-1000]])  # the same steps 2^21 larger: normal numbers


def test_rescale_keeps_the_larger_scale_and_zero_for_the_unfed():
    s, old, new = arith.rescale(-math.inf, 3.0, 0.5 * math.log(0.99))
    assert (s, old, new) == (3.0, 0.0, 1.0)  # a coordinate never fed: its old moments weigh nothing
    decay = 0.5 * math.log(0.99)
    s, old, new = arith.rescale(5.0, -math.inf, decay)  # no contributor: the scale decays, nothing is added
    assert s == 5.0 + decay and old == math.exp(5.0 - s) and new == 0.0
    s, old, new = arith.rescale(-800.0, 0.0, 0.5 * math.log(0.99))  # e^-800 relative: underflows to 0, rightly
    assert (s, old, new) == (0.0, 0.0, 1.0)


def test_needs_own_scale_only_below_tiny():
    assert arith.needs_own_scale(arith.TINY / 2) and not arith.needs_own_scale(arith.TINY)
    assert arith.needs_own_scale(0.0)  # a coordinate with no contribution at the batch's scale


@pytest.mark.parametrize("fn,lossy,exact", [
    (lambda x: arith.lost_moment(x, 1.0), arith.FLOOR / 2, arith.FLOOR),
    (arith.lost_sign, -arith.FLOOR / 2, -arith.FLOOR),
    (arith.lost_ratio, arith.FLOOR / 2, arith.FLOOR),
])
def test_tripwires_fire_below_floor_only(fn, lossy, exact):
    assert fn(lossy) and not fn(exact)


def test_an_unfed_coordinate_is_not_lost():
    assert not arith.lost_moment(0.0, 0.0) and not arith.lost_sign(0.0)  # v = 0 = g: nothing to lose


def test_lost_step_needs_a_subnormal_step_that_could_have_moved_w():
    tiny = 2.0**-1030
    assert arith.lost_step(tiny, 1.0, 0.0)
    assert not arith.lost_step(tiny, 1.0, 1.0)  # below an ulp of w = 1: nothing lost by underflow
    assert not arith.lost_step(2.0**-1000, 1.0, 0.0) and not arith.lost_step(0.0, 0.0, 0.0)


@pytest.mark.parametrize("engine", ["reference", "compiled"])
def test_gd_counts_the_lost_updates_of_the_subnormal_coordinate(engine):
    if engine == "compiled":
        pytest.importorskip("numba")
    gd = make_optimizer("gd", eta=0.5)
    tr = run(LOSSY, gd, 300, checkpoints=(300,), progress=False, engine=engine)
    assert tr.lost[0] == 0 and tr.lost[1] > 0 and not tr.exact and tr.lost_coordinates == [1]
    exact = run(LOSSY, gd, 300, checkpoints=(300,), progress=False, backend=mpmath_backend(30))
    assert exact.exact  # mpmath lost nothing ...
    assert tr.w[-1][1] != exact.w[-1][1]  # ... and float64 did: the tripwire fired on a real loss
    with pytest.raises(PrecisionLossError, match=r"coordinate\(s\) lost precision.*1 \("):
        tr.require_exact()
    normal = run(NORMAL, gd, 300, checkpoints=(300,), progress=False, engine=engine)
    assert normal.exact and normal.require_exact() is normal  # the control: same run, normal steps
