"""The paper's dataset families: Gaussian (Ex. 4.10), Generalized Rademacher (Def. 3.1), shifted diagonal (Ex. 4.11).

Every generator validates its arguments (one-line DatasetError, also for wrong types, since sweep
configurations pass TOML values straight through) and records its call in ``source`` and ``meta``.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from ..errors import DatasetError
from .dataset import DatasetWarning
from .validate import from_array, is_separable

__all__ = ["gaussian", "generalized_rademacher", "gr_example", "shifted_diagonal", "sparse_planted", "GR_ALPHAS",
           "GR_SIGNS"]

# A GR set (Def. 3.1, N = 4, d = 6; the paper's Fig. 2 uses 4 points, coordinates lost) on which the
# l2 and l_inf problems differ clearly: the l2 direction reaches only 67% of the max l_inf margin,
# and all four points are linearly independent support vectors (LICQ).  Found by scanning seeded
# random draws (alpha_i rounded to 0.1) for the smallest such ratio.  Bundled as ``gr_n4_d6``.
GR_ALPHAS = (1.1, 1.2, 0.7, 0.7)
GR_SIGNS = ((1, -1, 1, -1, -1, 1), (1, -1, -1, -1, 1, -1), (-1, -1, -1, -1, -1, 1), (-1, -1, 1, 1, 1, 1))

_GR_ATTEMPTS = 1000


def gaussian(N: int = 10, d: int = 50, *, seed: int = 0, mean: float = 0.0, scale: float = 1.0):
    """Ex. 4.10 / Fig. 1: x_i ~ N(mean * 1, scale^2 I_d), labels +1 (the rows are already y_i x_i).

    The paper's Fig. 1 uses N = 10; d was not recoverable (docs/math.md §9), the default is 50.  Drawn as
    ``np.random.default_rng(seed).normal(mean, scale, size=(N, d))``.  With d >= N the draw is
    separable almost surely; with N > d and mean 0 it is separable only with the probability of
    Cover's theorem, and a non-separable draw raises DatasetError (use a larger d or a nonzero mean).
    """
    N, d = _int("N", N, 1), _int("d", d, 1)
    seed = _int("seed", seed, 0)
    mean, scale = _real("mean", mean), _real("scale", scale)
    if scale <= 0:
        raise DatasetError(f"scale must be positive, got {scale}")
    with np.errstate(over="ignore", invalid="ignore"):
        X = np.random.default_rng(seed).normal(mean, scale, size=(N, d))
    if not np.all(np.isfinite(X)):
        raise DatasetError(f"mean = {mean} and scale = {scale} overflow float64; use smaller values")
    ds = from_array(X, name=f"gaussian_n{N}_d{d}", require_separable=False,
                    source=f"gaussian(N={N}, d={d}, seed={seed}, mean={mean}, scale={scale})",
                    meta={"generator": "gaussian", "N": N, "d": d, "seed": seed, "mean": mean, "scale": scale})
    if not ds.assumptions.separable:
        raise DatasetError(f"the Gaussian draw (N = {N}, d = {d}, seed = {seed}) is not linearly separable "
                           f"(Assumption 2.1); use a larger d (d >= N is separable almost surely) or a nonzero mean")
    return ds


def generalized_rademacher(alphas: Any = None, signs: Any = None, *, N: int | None = None, d: int | None = None,
                           seed: int = 0):
    """Def. 3.1 (v3: 'Scaled Rademacher'): x_i = alpha_i s_i with alpha_i > 0 and s_i in {-1, +1}^d.

    With ``alphas`` (length N) and ``signs`` ((N, d) of +-1) the points are exactly these (``N``/``d``,
    if given, must agree; ``seed`` is unused).  Otherwise (defaults N = 4, d = 6) alpha_i ~ U[0.5, 2]
    and uniform random signs are drawn from ``default_rng(seed)``, redrawn from the same generator
    until the set is separable with distinct rows (at most 1000 draws, then DatasetError).
    """
    if (alphas is None) != (signs is None):
        raise DatasetError("give both alphas and signs, or neither (then they are drawn at random)")
    if alphas is not None:
        a = _reals("alphas", alphas)
        S = _signs(signs)
        if S.shape[0] != a.shape[0]:
            raise DatasetError(f"signs must have one row per alpha: got {S.shape[0]} rows for {a.shape[0]} alphas")
        if np.any(a <= 0):
            raise DatasetError(f"alphas must be positive (Def. 3.1), got {a.tolist()}")
        for key, want, got in (("N", N, S.shape[0]), ("d", d, S.shape[1])):
            if want is not None and _int(key, want, 1) != got:
                raise DatasetError(f"{key} = {want} disagrees with the given signs of shape {S.shape}; drop {key}")
        return from_array(a[:, None] * S, name=f"gr_n{S.shape[0]}_d{S.shape[1]}",
                          source="generalized_rademacher(alphas, signs)",
                          meta={"generator": "generalized_rademacher", "alphas": a, "signs": S})
    N = 4 if N is None else _int("N", N, 1)
    d = 6 if d is None else _int("d", d, 1)
    seed = _int("seed", seed, 0)
    rng = np.random.default_rng(seed)
    for attempt in range(_GR_ATTEMPTS):
        a = rng.uniform(0.5, 2.0, N)
        S = rng.choice([-1.0, 1.0], size=(N, d))
        X = a[:, None] * S
        if np.unique(X, axis=0).shape[0] == N and is_separable(X)[0]:
            return from_array(X, name=f"gr_n{N}_d{d}", source=f"generalized_rademacher(N={N}, d={d}, seed={seed})",
                              meta={"generator": "generalized_rademacher", "N": N, "d": d, "seed": seed,
                                    "attempt": attempt, "alphas": a, "signs": S})
    raise DatasetError(f"no separable GR draw with N = {N}, d = {d} in {_GR_ATTEMPTS} attempts (seed {seed}); "
                       "increase d")


def gr_example():
    """The GR example of the checks and figures (GR_ALPHAS x GR_SIGNS; bundled as ``gr_n4_d6``)."""
    return generalized_rademacher(np.array(GR_ALPHAS), np.array(GR_SIGNS, dtype=float))


def shifted_diagonal(a: Any = (1.0, 2.0, 3.0, 4.0), b: float = 0.5, d: int | None = None):
    """Ex. 4.11 (docs/math.md §5 reconstruction): x_i = a_i e_i + b 1 in R^d, i in [N].

    Needs N >= 2, d >= N (default d = N), b > 0 and 0 < a_0 < a_i for i != 0.  Then sign(x_0) = 1
    solves the l_inf problem and c = e_0 is a fixed point of T (Thm 4.8), while the l2 direction
    differs.  The formula is a reconstruction: the paper's own coordinates were not recoverable.
    """
    a = _reals("a", a)
    b = _real("b", b)
    N = a.shape[0]
    if N < 2:
        raise DatasetError(f"shifted_diagonal needs at least two points, got a = {a.tolist()}")
    d = N if d is None else _int("d", d, 1)
    if d < N:
        raise DatasetError(f"need d >= N = {N} (one diagonal entry per point), got d = {d}")
    if b <= 0:
        raise DatasetError(f"b must be positive (Ex. 4.11), got b = {b}")
    if not (a[0] > 0 and np.all(a[1:] > a[0])):
        raise DatasetError(f"need 0 < a_0 < a_i for every i != 0 (Ex. 4.11), got a = {a.tolist()}")
    X = np.full((N, d), b)
    with np.errstate(over="ignore"):
        X[np.arange(N), np.arange(N)] += a
    if not np.all(np.isfinite(X)):
        raise DatasetError("a_i + b overflows float64; use smaller values")
    return from_array(X, name=f"shifted_diagonal_n{N}" + ("" if d == N else f"_d{d}"),
                      source=f"shifted_diagonal(a={a.tolist()}, b={b}, d={d})",
                      meta={"generator": "shifted_diagonal", "a": a, "b": b, "d": d})


def sparse_planted(N: int = 60, d: int = 10, *, density: float = 0.3, seed: int = 4):
    """Sparse data with N >> d, beyond the paper's families: entries N(0, 1) kept with probability ``density``
    (the rest exactly 0, as image pixels), labelled by a planted Gaussian direction (rows y_i x_i); rows with
    margin 0 under it (all-zero rows included) and all-zero columns are dropped.  Separable by construction.
    With the defaults D(c*) is singular (five coordinates no support vector feeds) and the AdamProxy limit has
    four levels (docs/math.md §13.8): the default data of the ``degenerate`` check."""
    N, d, seed = _int("N", N, 1), _int("d", d, 1), _int("seed", seed, 0)
    density = _real("density", density)
    if not 0 < density <= 1:
        raise DatasetError(f"density must be in (0, 1], got {density}")
    rng = np.random.default_rng(seed)
    Xt = rng.standard_normal((N, d)) * (rng.random((N, d)) < density)
    z = Xt @ rng.standard_normal(d)
    keep = z != 0
    X = np.sign(z[keep])[:, None] * Xt[keep]
    X = X[:, np.any(X != 0, axis=0)]
    if X.size == 0:
        raise DatasetError(f"sparse_planted(N={N}, d={d}, density={density}, seed={seed}) kept no nonzero entry")
    with warnings.catch_warnings():  # the zeros are the point of these data (Assumption 2.2 fails on purpose)
        warnings.simplefilter("ignore", DatasetWarning)
        return from_array(X, name=f"sparse_planted_n{X.shape[0]}_d{X.shape[1]}",
                          source=f"sparse_planted(N={N}, d={d}, density={density}, seed={seed})",
                          meta={"generator": "sparse_planted", "N": N, "d": d, "density": density, "seed": seed})


# ----------------------------------------------------------------------------- argument checks
def _int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise DatasetError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise DatasetError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise DatasetError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def _reals(name: str, values: Any) -> np.ndarray:
    try:
        v = np.asarray(values)
    except (TypeError, ValueError):
        v = np.asarray([None])
    if v.dtype.kind not in "iuf" or v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise DatasetError(f"{name} must be a non-empty 1-D list of finite real numbers, got {_short(values)}")
    return v.astype(np.float64)


def _signs(values: Any) -> np.ndarray:
    try:
        S = np.asarray(values)
    except (TypeError, ValueError):
        S = np.asarray([None])
    if S.dtype.kind not in "iuf" or S.ndim != 2 or S.size == 0:
        raise DatasetError(f"signs must be an (N, d) array of +-1, got {_short(values)}")
    if not np.all(np.abs(S) == 1):
        raise DatasetError("signs must have entries +1 or -1 only (Def. 3.1: s_i in {-1, +1}^d)")
    return S.astype(np.float64)


def _short(value: Any) -> str:
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."
