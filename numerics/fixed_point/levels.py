"""The combinatorics of the levels of a degenerate AdamProxy limit (docs/math.md §13.8): which coordinates the
support leaves singular, which samples decide each coordinate, the levels a direction suggests, and whether a run
is already in the regime of its own limit.  The level equations themselves are :mod:`.degenerate`'s.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConvergenceError

__all__ = ["singular_coordinates", "deciders", "tie_sets", "pending_crossovers", "levels_from_direction"]


def singular_coordinates(X: np.ndarray, support) -> np.ndarray:
    """Coordinates where every row of ``support`` is 0 but some row of X is not (D(c)_k = 0 for every c carried
    by the support although k is fed)."""
    X = np.asarray(X, float)
    fed = np.any(X != 0, axis=0)
    return np.flatnonzero(fed & ~np.any(X[list(support)] != 0, axis=0))


def deciders(X: np.ndarray, levels) -> tuple[np.ndarray, list[np.ndarray]]:
    """(level of each coordinate, T_k for each coordinate): the lowest level with a feeder of k and those of its
    samples that feed k; level -1 and an empty T_k where no level feeds k."""
    X = np.asarray(X, float)
    d = X.shape[1]
    lev, T = np.full(d, -1), [np.zeros(0, dtype=int)] * d
    for ell, members in enumerate(levels):
        members = np.asarray(members, dtype=int)
        for k in np.flatnonzero(lev < 0):
            fed = members[X[members, k] != 0]
            if fed.size:
                lev[k], T[k] = ell, fed
    return lev, T


def tie_sets(X: np.ndarray, z: np.ndarray, tol: float) -> dict[int, np.ndarray]:
    """k -> T_k: the feeders of each fed coordinate k whose margin z_j is within ``tol`` (relative) of the smallest
    margin among k's feeders (z > 0)."""
    out = {}
    for k in np.flatnonzero(np.any(X != 0, axis=0)):
        rows = np.flatnonzero(X[:, k] != 0)
        out[int(k)] = rows[z[rows] <= z[rows].min() * (1 + tol)]
    return out


def pending_crossovers(X: np.ndarray, w: np.ndarray, direction: np.ndarray, tol: float = 1e-6) -> list[dict]:
    """Coordinates whose deciding feeder at the iterate w (the feeder of smallest margin <w, x_j>, i.e. of largest
    weight) is not among those the limit direction gives them (T_k of ``direction``): the run has not reached the
    regime of its own limit yet, whatever its estimate's error bar says.  Each entry: coordinate, the current
    feeder, T_k, and the margin it still has to make up (<w, x_{T_k}> - <w, x_current>, in the run's units)."""
    X = np.asarray(X, float)
    u = np.asarray(direction, float)
    z_lim, z_now = X @ u, X @ np.asarray(w, float)
    if not np.min(z_lim) > 0:
        return [{"coordinate": -1, "reason": "the direction does not separate the data"}]
    out = []
    for k, tk in tie_sets(X, z_lim / np.min(z_lim), tol).items():
        rows = np.flatnonzero(X[:, k] != 0)
        now = int(rows[np.argmin(z_now[rows])])
        if now not in set(tk.tolist()):
            out.append({"coordinate": k, "current": now, "limit": tk.tolist(),
                        "gap": float(np.min(z_now[tk]) - z_now[now])})
    return out


def levels_from_direction(X: np.ndarray, direction: np.ndarray, tol: float = 1e-6) -> tuple[tuple[int, ...], ...]:
    """The level structure a direction u near the limit suggests: margins z = X u / min(X u); T_k = the feeders of
    coordinate k within ``tol`` (relative) of its smallest feeder margin; levels = the groups of samples that
    share a T_k (connected components: a tie is kept by a coordinate both samples decide), lowest margin first."""
    X = np.asarray(X, float)
    z = X @ np.asarray(direction, float)
    if not np.min(z) > 0:
        raise ConvergenceError("degenerate limit: the direction does not separate the data")
    z = z / np.min(z)
    parent: dict[int, int] = {}

    def root(j):
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for tk in tie_sets(X, z, tol).values():
        tk = tk.tolist()
        for j in tk:
            parent.setdefault(j, j)
        for j in tk[1:]:
            parent[root(j)] = root(tk[0])
    groups: dict[int, list[int]] = {}
    for j in parent:
        groups.setdefault(root(j), []).append(j)
    return tuple(sorted((tuple(sorted(g)) for g in groups.values()), key=lambda g: (min(z[j] for j in g), g)))
