"""numba kernels of the multi-word engine: the loops of :mod:`numerics.fast.kernels` on
:class:`~numerics.multiword.words.WordArray` state (w, moments, log-scale, batch weights), one
definition for double-double and quad-double (numba specialises them on the word count).

No arithmetic of their own: every formula is a function of :mod:`numerics.arith` or an operation of
:mod:`numerics.ops`, compiled for ``Multiword`` numbers through :mod:`.algebra` and :mod:`.elementary`.
The kernels only move data: the margins of the batch (dot products accumulated in the words' arithmetic,
as the reference engine's object arrays accumulate in mpmath), its log weights, then the transform
coordinate by coordinate.  Inputs that the reference engine holds as Python floats (the data, eta_t,
beta's of Adam and Signum, log(sigma), the log-scale decay) stay float64 here too, so both engines
compute the same numbers.

Caching as in :mod:`numerics.fast.kernels`: the digest of every source file the kernels compile is a
closure constant, part of numba's cache key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from numba import njit

from .. import arith, ops
from ..fast import kernels as _float_kernels  # registers numerics.arith and the float64 ops with numba
from . import algebra, dd, eft, elementary, nbtypes, qd

__all__ = ["batch_steps", "proxy_steps", "epoch_map_steps", "margins"]

ADAM, SIGNUM, SGD = _float_kernels.ADAM, _float_kernels.SIGNUM, _float_kernels.SGD
FULL, CYCLIC, EXPLICIT = _float_kernels.FULL, _float_kernels.CYCLIC, _float_kernels.EXPLICIT

DIGEST = hashlib.sha256(b"".join(Path(m.__file__).read_bytes()
                                 for m in (arith, ops, algebra, dd, eft, elementary, nbtypes, qd))).hexdigest()


# Each factory's functions call those of the previous ones as module globals, never as closure variables:
# numba keys its cache on the pickled closure, and a pickled dispatcher differs from process to process.
def _margin(digest: str):
    @njit(cache=True, error_model="numpy", nogil=True)
    def margin(X, i, W):
        """<w, x_i>, accumulated in the words' arithmetic."""
        _ = digest
        acc = W[0] * X[i, 0]
        for j in range(1, X.shape[1]):
            acc = acc + W[j] * X[i, j]
        return acc

    return margin


margin = _margin(DIGEST)


def _helpers(digest: str):
    jit = njit(cache=True, error_model="numpy", nogil=True)

    @jit
    def margins(X, W, Z):
        _ = digest
        for i in range(X.shape[0]):
            Z[i] = margin(X, i, W)

    @jit
    def log_weights(X, rows, nrows, W, P, log_sigma, loss_code):
        """P[k] = exp(u_k - s_g), u_k = log|l'(<w, x_rows[k]>)| + log(sigma); returns s_g = max_k u_k."""
        _ = digest
        for k in range(nrows):
            P[k] = arith.log_neg_derivative(margin(X, rows[k], W), loss_code) + log_sigma
        s_g = P[0]
        for k in range(1, nrows):
            s_g = max(s_g, P[k])
        for k in range(nrows):
            P[k] = arith.batch_weights(P[k], s_g)
        return s_g

    return margins, log_weights


margins, log_weights = _helpers(DIGEST)


def _build(digest: str):
    jit = njit(cache=True, error_model="numpy", nogil=True)

    @jit
    def batch_steps(X, U, log_sigma, W, M, V, S, P, rows, t0, t1, stride, eta0, a, kind, beta1, beta2, decay,
                    loss_code, mode, bsize, idx):
        """Adam (kind 0), Signum (1, beta = beta1) or SGD (2) on batches, as numerics.fast.kernels.batch_steps;
        ``S[0]`` is the moments' log-scale, ``P`` and ``rows`` hold a batch's weights and row indices."""
        _ = digest
        N, d = X.shape
        nb = N if mode == FULL else bsize
        M_ = N // bsize if mode == CYCLIC else 1
        s_old = S[0]
        for t in range(t0, t1):
            for k in range(nb):
                if mode == FULL:
                    rows[k] = k
                elif mode == CYCLIC:
                    rows[k] = (t % M_) * bsize + k
                else:
                    rows[k] = idx[t - t0, k]
            s_g = log_weights(X, rows, nb, W, P, log_sigma, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            s, old, new, scale = s_g, s_g, s_g, s_g
            if kind == ADAM or kind == SIGNUM:
                s, old, new = arith.rescale(s_old, s_g, decay)
            else:
                scale = ops.exp(s_g)
            for j in range(d):
                acc = P[0] * U[rows[0], j]  # grad L_B = e^{s_g} g (SampleGrads.mean)
                for k in range(1, nb):
                    acc = acc + P[k] * U[rows[k], j]
                g = -acc if nb == 1 else -acc / nb  # dividing by 1 is exact: skip it
                if kind == ADAM:
                    mj, vj = arith.adam_moments(M[j], V[j], g, beta1, beta2, old, new)
                    M[j] = mj
                    V[j] = vj
                    W[j] = W[j] - eta * arith.adam_direction(mj, vj)
                elif kind == SIGNUM:
                    mj = arith.ema(M[j], g, beta1, old, new)
                    M[j] = mj
                    W[j] = W[j] - eta * arith.signum_direction(mj)
                else:
                    W[j] = W[j] - eta * (scale * g)
            if kind != SGD:
                s_old = s
        S[0] = s_old

    @jit
    def proxy_steps(X, U, log_sigma, W, P, rows, t0, t1, stride, eta0, a, loss_code):
        """AdamProxy (Def. 4.2): the sums of G_i and G_i^2, G_i = -p_i u_i, per coordinate."""
        _ = digest
        N, d = X.shape
        for i in range(N):
            rows[i] = i
        for t in range(t0, t1):
            log_weights(X, rows, N, W, P, log_sigma, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                G = -(P[0] * U[0, j])
                num, sq = G, G * G
                for i in range(1, N):
                    G = -(P[i] * U[i, j])
                    num = num + G
                    sq = sq + G * G
                W[j] = W[j] - eta * arith.proxy_direction(num, sq, N)

    @jit
    def epoch_map_steps(X, UF, log_sigma, W, P, rows, B, t0, t1, stride, eta0, a, loss_code):
        """Prop. 2.5's epoch map, one coordinate at a time; ``B`` = (beta1, beta2) in the words."""
        _ = digest
        N, d = X.shape
        for i in range(N):
            rows[i] = i
        beta1, beta2 = B[0], B[1]
        C = arith.c_inc(beta1, beta2, N)
        for t in range(t0, t1):
            log_weights(X, rows, N, W, P, log_sigma, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                W[j] = W[j] - eta * (C * arith.epoch_map_sum(P, UF[:, j], beta1, beta2))

    return batch_steps, proxy_steps, epoch_map_steps


batch_steps, proxy_steps, epoch_map_steps = _build(DIGEST)
