import numpy as np
import pytest

from numerics.errors import HyperparameterError
from numerics.optimizers import Sampler, cyclic, reshuffle, with_replacement


def take(sampler, N, k, seed=0):
    it = sampler.batches(N, seed)
    return [next(it) for _ in range(k)]


def test_cyclic_is_algorithm_4_order():
    assert [list(b) for b in take(cyclic(2), 6, 4)] == [[0, 1], [2, 3], [4, 5], [0, 1]]


def test_reshuffle_is_a_permutation_each_epoch_and_seeded():
    got = take(reshuffle(1), 5, 10, seed=7)
    assert sorted(int(b[0]) for b in got[:5]) == list(range(5))
    assert sorted(int(b[0]) for b in got[5:]) == list(range(5))
    assert [list(b) for b in got] == [list(b) for b in take(reshuffle(1), 5, 10, seed=7)]


def test_replacement_seeded_and_in_range():
    a, b = take(with_replacement(3), 5, 50, seed=1), take(with_replacement(3), 5, 50, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert all(0 <= i < 5 for x in a for i in x)


@pytest.mark.parametrize("sampler,N", [(cyclic(4), 10), (reshuffle(3), 10), (cyclic(11), 10)])
def test_batch_size_must_fit(sampler, N):
    with pytest.raises(HyperparameterError):
        sampler.check(N)


def test_bad_mode_and_size():
    with pytest.raises(HyperparameterError, match="unknown sampling"):
        Sampler("random", 1)
    with pytest.raises(HyperparameterError, match="positive integer"):
        Sampler("cyclic", 0)
