"""Which samples feed step t (Alg. 1, Alg. 4, App. C sampling schemes).

A sampler is a frozen description; ``batches(N, seed)`` yields one index array
per step, forever.  Random schemes draw from ``numpy.random.default_rng(seed)``
so a seed reproduces a run bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..errors import HyperparameterError

__all__ = ["Sampler", "SAMPLING_MODES", "full_batch", "cyclic", "with_replacement", "reshuffle"]

SAMPLING_MODES = ("cyclic", "replacement", "reshuffle")


@dataclass(frozen=True)
class Sampler:
    """mode in {"full", "cyclic", "replacement", "reshuffle"} with batch size b (None = all N)."""

    mode: str
    batch_size: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("full",) + SAMPLING_MODES:
            raise HyperparameterError(f"unknown sampling {self.mode!r}; choose one of {', '.join(SAMPLING_MODES)}")
        if self.mode != "full" and (not isinstance(self.batch_size, int) or self.batch_size < 1):
            raise HyperparameterError(f"batch size must be a positive integer, got {self.batch_size!r}")

    def check(self, N: int) -> None:
        """Validate against the dataset size N."""
        b = self.batch_size
        if self.mode == "full" or b is None:
            return
        if b > N:
            raise HyperparameterError(f"batch size {b} exceeds the number of samples N = {N}")
        if self.mode in ("cyclic", "reshuffle") and N % b:
            # Alg. 4 partitions [N] into M = N/b batches.
            raise HyperparameterError(f"{self.mode} sampling needs the batch size to divide N: {b} does not divide {N}")

    def batches(self, N: int, seed: int | None = 0) -> Iterator[np.ndarray | None]:
        """Index arrays, one per step (None = full batch)."""
        self.check(N)
        b = self.batch_size
        if self.mode == "full":
            while True:
                yield None
        elif self.mode == "cyclic":
            # B_t = {b (t mod M), ..., b (t mod M) + b - 1}, M = N/b (Alg. 4; b = 1 is Alg. 1).
            blocks = [np.arange(k, k + b) for k in range(0, N, b)]
            while True:
                yield from blocks
        elif self.mode == "replacement":
            rng = np.random.default_rng(seed)
            while True:
                yield rng.integers(0, N, size=b)
        else:  # reshuffle: a fresh permutation every epoch, cut into consecutive batches
            rng = np.random.default_rng(seed)
            while True:
                perm = rng.permutation(N)
                for k in range(0, N, b):
                    yield perm[k : k + b]


def full_batch() -> Sampler:
    """Every sample at every step (Det-Adam, Alg. 2; AdamProxy, Def. 4.2)."""
    return Sampler("full")


def cyclic(batch_size: int = 1) -> Sampler:
    """Batches 0..b-1, b..2b-1, ... in fixed order (Alg. 1 for b = 1; Alg. 4)."""
    return Sampler("cyclic", batch_size)


def with_replacement(batch_size: int = 1) -> Sampler:
    """b indices drawn uniformly with replacement every step (App. C)."""
    return Sampler("replacement", batch_size)


def reshuffle(batch_size: int = 1) -> Sampler:
    """A fresh random permutation each epoch, cut into batches (random reshuffling, App. C)."""
    return Sampler("reshuffle", batch_size)
