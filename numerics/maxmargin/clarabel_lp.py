"""The polyhedral max-margin problems (l_inf, l1) as LPs handed to Clarabel directly.

min t s.t. X w >= 1, -t <= w_k <= t (l_inf) or min sum u s.t. X w >= 1, -u <= w <= u (l1), in
Clarabel's form  min q^T x  s.t.  A x + s = b, s >= 0,  with x = (w, t) or (w, u).  The multipliers of
the first N rows are lambda.  Going to Clarabel without cvxpy skips cvxpy's import and
canonicalisation (most of the time on small problems); the matrices are passed in compressed
sparse column form.
"""

from __future__ import annotations

import numpy as np

from .norms import LINF, Norm

__all__ = ["solve_lp", "linprog", "CSC", "TIGHT", "DEFAULT"]

# Clarabel's interior-point stopping rules (gap and feasibility) at 1e-12: the returned point is then
# optimal to ~1e-10 relative on well-conditioned data.  The fallback is Clarabel's defaults (1e-8).
TIGHT = {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10, "max_iter": 500}
DEFAULT = {"max_iter": 500}


class CSC:
    """The compressed-sparse-column fields Clarabel's Python interface reads (scipy.sparse is not needed)."""

    format = "csc"
    has_canonical_format = True
    has_sorted_indices = True

    def __init__(self, shape, indptr, indices, data):
        self.shape = shape
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.data = np.asarray(data, dtype=float)
        self.nnz = len(self.data)

    @classmethod
    def from_dense(cls, M: np.ndarray) -> "CSC":
        M = np.asarray(M, float)
        nz = [np.flatnonzero(M[:, k]) for k in range(M.shape[1])]
        indptr = np.concatenate([[0], np.cumsum([len(r) for r in nz])])
        indices = np.concatenate(nz) if nz else np.zeros(0)
        return cls(M.shape, indptr, indices, np.concatenate([M[r, k] for k, r in enumerate(nz)]) if nz else [])

    def to_scipy(self):
        import scipy.sparse

        return scipy.sparse.csc_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def _constraints(X: np.ndarray, norm: Norm) -> CSC:
    """A = [[-X, 0], [I, -B], [-I, -B]] with B = column of ones (l_inf) or I (l1), column by column."""
    N, d = X.shape
    m = N + 2 * d
    indptr, indices, data = [0], [], []
    rows = np.arange(N)
    for k in range(d):  # column of w_k
        nz = rows[X[:, k] != 0]
        indices += nz.tolist() + [N + k, N + d + k]
        data += (-X[nz, k]).tolist() + [1.0, -1.0]
        indptr.append(len(indices))
    if norm is LINF:  # column of t
        indices += list(range(N, m))
        data += [-1.0] * (2 * d)
        indptr.append(len(indices))
    else:  # columns of u_k
        for k in range(d):
            indices += [N + k, N + d + k]
            data += [-1.0, -1.0]
            indptr.append(len(indices))
    return CSC((m, len(indptr) - 1), indptr, indices, data)


def linprog(q: np.ndarray, A: CSC, b: np.ndarray, settings: dict) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """min q^T x s.t. A x <= b by Clarabel: (x, z, "optimal") with z >= 0 the multipliers, or (None, None, status)."""
    import clarabel

    n = A.shape[1]
    P = CSC((n, n), np.zeros(n + 1), [], [])
    opts = clarabel.DefaultSettings()
    opts.verbose = False
    for key, value in settings.items():
        setattr(opts, key, value)
    cones = [clarabel.NonnegativeConeT(A.shape[0])]
    try:
        sol = clarabel.DefaultSolver(P, q, A, b, cones, opts).solve()
    except (AttributeError, TypeError):  # an interface that wants scipy's own sparse type
        sol = clarabel.DefaultSolver(P.to_scipy(), q, A.to_scipy(), b, cones, opts).solve()
    status = str(sol.status)
    if status != "Solved":
        return None, None, status
    return np.asarray(sol.x, float), np.asarray(sol.z, float), "optimal"


def solve_lp(X: np.ndarray, norm: Norm, settings: dict) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """(w, lambda, status) of the LP for ``norm`` in {LINF, L1}; (None, None, status) if Clarabel fails."""
    N, d = X.shape
    A = _constraints(X, norm)
    q = np.zeros(A.shape[1])
    q[d:] = 1.0
    x, z, status = linprog(q, A, np.concatenate([-np.ones(N), np.zeros(2 * d)]), settings)
    return (None, None, status) if x is None else (x[:d], z[:N], status)
