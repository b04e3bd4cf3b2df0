"""``WordArray``: n multi-word numbers as an (n, K) float64 array (number i = sum_k words[i, k]), and their
exact conversions to and from float64 and mpmath.  Pure numpy/mpmath: no numba here."""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

__all__ = ["WordArray"]


@dataclass(frozen=True, eq=False)
class WordArray:
    """n numbers of K words each (K = 2: double-double, K = 4: quad-double); ``words`` is C-contiguous,
    mutable in place by the kernels (the dataclass is frozen, the buffer is not)."""

    words: np.ndarray

    def __post_init__(self) -> None:
        w = np.ascontiguousarray(self.words, dtype=float)
        if w.ndim != 2 or w.shape[1] not in (2, 4):
            raise ValueError(f"a WordArray is (n, 2) or (n, 4), got shape {w.shape}")
        object.__setattr__(self, "words", w)

    @property
    def K(self) -> int:
        return self.words.shape[1]

    def __len__(self) -> int:
        return self.words.shape[0]

    @classmethod
    def zeros(cls, n: int, K: int) -> "WordArray":
        return cls(np.zeros((n, K)))

    @classmethod
    def from_float(cls, x, K: int) -> "WordArray":
        """float64 values, exactly (the lower words are 0)."""
        x = np.asarray(x, dtype=float).reshape(-1)
        w = np.zeros((x.size, K))
        w[:, 0] = x
        return cls(w)

    @classmethod
    def from_mpf(cls, values, K: int) -> "WordArray":
        """Round mpf values to K words: w_k = float(rest), rest -= w_k, with every step exact at 53 K + 64
        bits (a value beyond float64's range gives +-inf, like float())."""
        values = list(np.asarray(values, dtype=object).reshape(-1))
        w = np.zeros((len(values), K))
        with mpmath.workprec(53 * K + 64):
            for i, v in enumerate(values):
                rest = mpmath.mpf(v)
                for k in range(K):
                    w[i, k] = float(rest)
                    if not np.isfinite(w[i, k]):
                        break
                    rest -= w[i, k]
        return cls(w)

    def to_float(self) -> np.ndarray:
        """float64 values: the sum of the words from the smallest up (the leading word when normalised)."""
        return np.sum(self.words[:, ::-1], axis=1)

    def to_mpf(self) -> np.ndarray:
        """Object array of mpf holding every word: summed at 53 K + 64 bits, so no word is lost unless the
        words span more than that many bits (then the error is below the smallest word's ulp)."""
        out = np.empty(len(self), dtype=object)
        with mpmath.workprec(53 * self.K + 64):
            for i, row in enumerate(self.words):
                out[i] = mpmath.fsum(mpmath.mpf(float(x)) for x in row)
        return out
