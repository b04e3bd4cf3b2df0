"""Batch orders for the compiled loop, identical to ``Sampler.batches`` for the same seed.

The plain sampler draws ``rng.integers(0, N, size=b)`` once per step (with replacement) or
``rng.permutation(N)`` once per epoch (reshuffling) from ``numpy.random.default_rng(seed)``.
Calling numpy once per step costs ~10 us, more than a compiled step, so blocks of steps are
drawn at once: numpy's bounded integers consume the bit generator's 32-bit stream without
per-call state (``integers(0, N, size=k b)`` equals k calls with ``size=b``), and permutations
are drawn epoch by epoch exactly as the sampler does.  Because that equivalence is numpy's
implementation rather than its documented contract, :func:`index_stream` checks the first
steps against the plain sampler itself and otherwise falls back to pulling from it.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np

from ..optimizers.samplers import Sampler

__all__ = ["index_stream", "IndexStream"]

_CHECK_STEPS = 32


class IndexStream:
    """``take(k)`` -> (k, b) int64 array: the rows of the next k steps."""

    def __init__(self, sampler: Sampler, N: int, seed: int | None):
        self.N, self.b, self.mode = N, int(sampler.batch_size), sampler.mode
        self.rng = np.random.default_rng(seed)
        self.buffer = np.empty(0, dtype=np.int64)

    def take(self, k: int) -> np.ndarray:
        n = k * self.b
        if self.mode == "replacement":
            return self.rng.integers(0, self.N, size=n).astype(np.int64, copy=False).reshape(k, self.b)
        # reshuffle: whole permutations, cut into consecutive batches (b divides N)
        need = n - len(self.buffer)
        if need > 0:
            epochs = -(-need // self.N)
            fresh = [self.rng.permutation(self.N) for _ in range(epochs)]
            self.buffer = np.concatenate([self.buffer, *fresh]).astype(np.int64, copy=False)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out.reshape(k, self.b)


class _PlainStream:
    """Fallback: the plain sampler's generator itself (slow but identical by construction)."""

    def __init__(self, sampler: Sampler, N: int, seed: int | None):
        self.b = int(sampler.batch_size)
        self.it = sampler.batches(N, seed)

    def take(self, k: int) -> np.ndarray:
        flat = np.fromiter(itertools.chain.from_iterable(itertools.islice(self.it, k)), dtype=np.int64,
                           count=k * self.b)
        return flat.reshape(k, self.b)


def index_stream(sampler: Sampler, N: int, seed: int | None, steps: int) -> IndexStream | _PlainStream:
    """A block index stream for a random sampler, verified against ``sampler.batches(N, seed)``."""
    if seed is None:  # unseeded runs are not reproducible anyway: nothing to match
        return IndexStream(sampler, N, seed)
    k = min(steps, _CHECK_STEPS)
    fast = IndexStream(sampler, N, seed).take(k)
    plain = _PlainStream(sampler, N, seed).take(k)
    if np.array_equal(fast, plain):
        return IndexStream(sampler, N, seed)
    warnings.warn("numpy's block sampling differs from per-step sampling in this numpy version; "
                  "the fast engine pulls batches from the plain sampler (slower, same order)",
                  RuntimeWarning, stacklevel=3)
    return _PlainStream(sampler, N, seed)
