"""Dataset families of the paper: Gaussian (Ex. 4.10), Generalized Rademacher (Def. 3.1), shifted diagonal (Ex. 4.11)."""

from __future__ import annotations

import numpy as np

from ..errors import DatasetError
from .dataset import Dataset, from_array

__all__ = ["gaussian", "generalized_rademacher", "gr_example", "shifted_diagonal", "GR_ALPHAS", "GR_SIGNS"]

# A GR set (Def. 3.1, N = 4, d = 6; the paper's Fig. 2 uses 4 points, coordinates lost) on which the
# l2 and l_inf problems differ clearly: the l2 direction reaches only 67% of the max l_inf margin,
# and all four points are linearly independent support vectors (LICQ).  Found by scanning seeded
# random draws (alpha_i rounded to 0.1) for the smallest such ratio.
GR_ALPHAS = (1.1, 1.2, 0.7, 0.7)
GR_SIGNS = ((1, -1, 1, -1, -1, 1), (1, -1, -1, -1, 1, -1), (-1, -1, -1, -1, -1, 1), (-1, -1, 1, 1, 1, 1))


def gaussian(N: int = 10, d: int = 50, *, seed: int = 0, mean: float = 0.0, scale: float = 1.0) -> Dataset:
    """x_i ~ N(mean 1, scale^2 I_d), labels +1 (Ex. 4.10, Fig. 1: N = 10; d was not recoverable, default 50).

    Drawn with ``np.random.default_rng(seed).normal``; separable almost surely when d >= N.
    """
    if N < 1 or d < 1:
        raise DatasetError(f"need N >= 1 and d >= 1, got N = {N}, d = {d}")
    if not (np.isfinite(mean) and np.isfinite(scale) and scale > 0):
        raise DatasetError(f"mean must be finite and scale positive, got mean = {mean}, scale = {scale}")
    X = np.random.default_rng(seed).normal(mean, scale, size=(N, d))
    try:
        return from_array(X, name=f"gaussian_n{N}_d{d}", source=f"gaussian(N={N}, d={d}, seed={seed}, mean={mean}, "
                          f"scale={scale})", meta={"seed": seed, "mean": mean, "scale": scale})
    except DatasetError as exc:
        raise DatasetError(f"{exc}; try d >= N or a nonzero mean") from None


def generalized_rademacher(alphas=None, signs=None, *, N: int = 4, d: int = 6, seed: int = 0) -> Dataset:
    """Def. 3.1: x_i = alpha_i s_i, alpha_i > 0, s_i in {-1, +1}^d (v3: 'Scaled Rademacher').

    With ``alphas`` and ``signs`` given they are used as they are; otherwise alpha_i ~ U[0.5, 2] and
    random signs are drawn from ``default_rng(seed)`` until the set is separable (<= 1000 draws).
    """
    if (alphas is None) != (signs is None):
        raise DatasetError("give both alphas and signs, or neither")
    if alphas is not None:
        a = np.asarray(alphas, float).reshape(-1)
        S = np.asarray(signs, float)
        if S.ndim != 2 or S.shape[0] != a.shape[0]:
            raise DatasetError(f"signs must be (N, d) with N = len(alphas) = {a.shape[0]}, got {S.shape}")
        if not np.all(np.isfinite(a)) or np.any(a <= 0):
            raise DatasetError("alphas must be positive and finite (Def. 3.1)")
        if not np.all(np.abs(S) == 1):
            raise DatasetError("signs must be +1 or -1 entries (Def. 3.1)")
        return from_array(a[:, None] * S, name=f"gr_n{len(a)}_d{S.shape[1]}", source="generalized_rademacher(alphas, "
                          "signs)", meta={"alphas": a.tolist(), "signs": S.tolist()})
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        a = rng.uniform(0.5, 2.0, N)
        S = rng.choice([-1.0, 1.0], size=(N, d))
        try:
            ds = from_array(a[:, None] * S, name=f"gr_n{N}_d{d}", meta={"alphas": a.tolist(), "signs": S.tolist(),
                                                                         "seed": seed},
                            source=f"generalized_rademacher(N={N}, d={d}, seed={seed})")
        except DatasetError:
            continue
        if ds.assumptions.distinct_rows:
            return ds
    raise DatasetError(f"no separable GR draw with N = {N}, d = {d} in 1000 attempts; increase d")


def gr_example() -> Dataset:
    """The GR example of the checks and figures (GR_ALPHAS x GR_SIGNS; bundled as ``gr_n4_d6``)."""
    return generalized_rademacher(np.array(GR_ALPHAS), np.array(GR_SIGNS, dtype=float))


def shifted_diagonal(a=(1.0, 2.0, 3.0, 4.0), b: float = 0.5, d: int | None = None) -> Dataset:
    """Ex. 4.11 (math.md §5 reconstruction): x_i = a_i e_i + b 1 in R^d, 0 < a_0 < a_i, b > 0, d >= N.

    Then sign(x_0) = 1 solves the l_inf problem and c = e_0 is a fixed point of T (Thm 4.8).
    """
    a = np.asarray(a, float).reshape(-1)
    N = a.shape[0]
    d = N if d is None else int(d)
    if N < 2:
        raise DatasetError("shifted_diagonal needs at least two points")
    if d < N:
        raise DatasetError(f"need d >= N = {N}, got d = {d}")
    if not (np.isfinite(b) and b > 0):
        raise DatasetError(f"b must be positive, got {b}")
    if not (np.all(np.isfinite(a)) and a[0] > 0 and np.all(a[1:] > a[0])):
        raise DatasetError(f"need 0 < a_0 < a_i for i != 0 (Ex. 4.11), got a = {a.tolist()}")
    X = np.full((N, d), float(b))
    X[np.arange(N), np.arange(N)] += a
    return from_array(X, name=f"shifted_diagonal_n{N}", source=f"shifted_diagonal(a={a.tolist()}, b={b}, d={d})",
                      meta={"a": a.tolist(), "b": b, "d": d})
