"""Exact products of a float64 matrix with big-integer vectors, through float64 BLAS.

Every float64 is a dyadic rational, so A = sum_p S_p 2^(e_p) exactly with integer slices |S_p| < 2^SLICE
(on global grids, top bits first; stored as int16).  A big integer vector v is cut the same way into
slices of b bits.  A product of a slice of A with a slice of v is a sum of n integer terms below
2^(SLICE + b); when SLICE + b + log2(n) < 53 every partial sum is an integer below 2^53, so the float64
BLAS result is exact whatever the summation order or use of FMA (classical products only, as BLAS does).
The exact result is then the sum of the slice products with their shifts, in Python integers.

This replaces big-integer matrices (python-flint) for the certificate's O(m d) products: the same
exact integers, at BLAS speed and with 2 bytes per entry and slice.  Slices further than ``span`` bits
below the largest entry are not stored; ``tail`` bounds what they hold (0 for ordinary data).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SlicedMatrix", "SLICE"]

SLICE = 13  # bits per slice of A: a product of two slices (26 bits) leaves 27 bits for v and the sum
ROWS = 512  # rows converted to float64 at a time (bounds the temporary memory to ROWS x d doubles)


def _cut(values: list[int], bits: int) -> tuple[np.ndarray, int]:
    """(F, k): float64 columns F[:, q] with values = sum_q F[:, q] 2^(bits q), |F| < 2^bits (sign-magnitude)."""
    top = max((abs(v).bit_length() for v in values), default=0)
    k = max(1, -(-top // bits))
    mask = (1 << bits) - 1
    F = np.empty((len(values), k))
    for i, v in enumerate(values):
        a, sgn = abs(v), (-1.0 if v < 0 else 1.0)
        F[i] = [sgn * ((a >> (bits * q)) & mask) for q in range(k)]
    return F, k


def _join(P: np.ndarray, bits: int) -> list[int]:
    """sum_q P[:, q] 2^(bits q) for float64 integer columns P (|P| < 2^53), exactly."""
    cols = P.astype(np.int64).T.tolist()  # exact: integers below 2^53
    out = cols[0]
    for q in range(1, len(cols)):
        sh = bits * q
        out = [a + (b << sh) for a, b in zip(out, cols[q])]
    return out


class SlicedMatrix:
    """A (m x d, float64) as integer slices; exact A^T v, A u and (A o A)^T v for Python-int vectors."""

    def __init__(self, A: np.ndarray, span: int = 320):
        A = np.asarray(A, float)
        self.m, self.d = A.shape
        self.slices: list[np.ndarray] = []
        self.exps: list[int] = []
        top = int(np.frexp(np.abs(A).max())[1]) if A.size and np.any(A) else 0  # |A| < 2^top
        rem, e = A.copy(), top - SLICE
        while np.any(rem) and e > top - span and e >= -1074:  # S 2^e exact down to the subnormals
            S = np.trunc(np.ldexp(rem, -e))  # exact: a power-of-two scaling and a truncation
            rem -= np.ldexp(S, e)  # exact: removes the leading bits of every entry
            if np.any(S):
                self.slices.append(S.astype(np.int16))
                self.exps.append(e)
            e -= SLICE
        self.tail = math.ldexp(1.0, e + SLICE) if np.any(rem) else 0.0  # |A - sum_p S_p 2^e_p| <= tail entrywise
        self.E = -min(self.exps) if self.exps else 0  # A = (sum_p S_p 2^(e_p + E)) 2^-E: integers times 2^-E

    def _float(self, p: int, r0: int) -> np.ndarray:
        return self.slices[p][r0:r0 + ROWS].astype(float)

    def _bits(self, n: int, extra: int = 0) -> int:
        """Bits per slice of the integer factor so that SLICE (+ extra) + bits + log2(n) <= 52."""
        return 52 - SLICE - extra - max(1, math.ceil(math.log2(n + 1)))

    def vecmat(self, v: list[int]) -> list[int]:
        """A_int^T v exactly, with A_int = A 2^E (the stored slices; ``tail`` bounds the rest)."""
        b = self._bits(self.m)
        V, k = _cut(v, b)
        out = [0] * self.d
        for p, e in enumerate(self.exps):
            P = np.zeros((self.d, k))
            for r0 in range(0, self.m, ROWS):
                P += self._float(p, r0).T @ V[r0:r0 + ROWS]
            sh = e + self.E
            out = [a + (c << sh) for a, c in zip(out, _join(P, b))]
        return out

    def matvec(self, u: list[int]) -> list[int]:
        """A_int u exactly."""
        b = self._bits(self.d)
        U, k = _cut(u, b)
        out = [0] * self.m
        for p, e in enumerate(self.exps):
            P = np.empty((self.m, k))
            for r0 in range(0, self.m, ROWS):
                P[r0:r0 + ROWS] = self._float(p, r0) @ U
            sh = e + self.E
            out = [a + (c << sh) for a, c in zip(out, _join(P, b))]
        return out

    def sq_vecmat(self, v: list[int]) -> list[int]:
        """(A_int o A_int)^T v exactly (entrywise squares), from the products of slice pairs."""
        b = self._bits(self.m, extra=SLICE + 1)
        V, k = _cut(v, b)
        out = [0] * self.d
        n = len(self.exps)
        for p in range(n):
            for q in range(p, n):
                P = np.zeros((self.d, k))
                for r0 in range(0, self.m, ROWS):
                    Sq = self._float(p, r0) * self._float(q, r0) * (1.0 if p == q else 2.0)
                    P += Sq.T @ V[r0:r0 + ROWS]
                sh = self.exps[p] + self.exps[q] + 2 * self.E
                out = [a + (c << sh) for a, c in zip(out, _join(P, b))]
        return out

    def _abs_sums(self, axis: int) -> list[int]:
        """sum of |A_int| along ``axis`` exactly (every slice of an entry carries the entry's sign)."""
        out = [0] * (self.d if axis == 0 else self.m)
        for S, e in zip(self.slices, self.exps):
            part = np.abs(S.astype(np.int64)).sum(axis=axis).tolist()
            out = [a + (c << (e + self.E)) for a, c in zip(out, part)]
        return out

    def col_abs(self) -> list[int]:
        """sum_j |A_int[j, k]| exactly."""
        return self._abs_sums(0)

    def row_abs(self) -> list[int]:
        """sum_k |A_int[j, k]| exactly."""
        return self._abs_sums(1)
