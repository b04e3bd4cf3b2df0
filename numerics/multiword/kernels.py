"""numba kernels of the multi-word engine: the loops of :mod:`numerics.fast.kernels` on
:class:`~numerics.multiword.words.WordArray` state (w, moments, log-scale, batch weights), one
definition for double-double and quad-double (numba specialises them on the word count).

No arithmetic of their own: every formula is a function of :mod:`numerics.arith` or an operation of
:mod:`numerics.ops`, compiled for ``Multiword`` numbers through :mod:`.algebra` and :mod:`.elementary`.
The kernels only move data and reduce: the margins of the batch (dot products accumulated in the words'
arithmetic, as the reference engine's object arrays accumulate in mpmath), its log weights, then the
transform coordinate by coordinate, each at its own log-scale with the same own-scale step and memo of
``arith.rescale`` as :mod:`numerics.fast.kernels`; ``lost[j]`` counts coordinate j's lossy updates.
Inputs that the reference engine holds as Python floats (the data, eta_t, beta's of Adam and Signum, the
log-scale decay) stay float64 here too, so both engines compute the same numbers; log(sigma) is in the
words (the plan's sigma_exponent times ln 2), as the reference engine forms it in mpmath.

Caching as in :mod:`numerics.fast.kernels`: the digest of every source file the kernels compile is a
closure constant, part of numba's cache key.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from numba import njit

from .. import arith, ops
from ..fast import kernels as _float_kernels  # registers numerics.arith and the float64 ops with numba
from ..fast.kernels import TINY2, own_contributor
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
    def log_weights(X, rows, nrows, W, P, L, LS, loss_code):
        """L[k] = u_k = log|l'(<w, x_rows[k]>)| + log(sigma) and P[k] = exp(u_k - s_g); returns s_g = max_k u_k.
        ``LS[0]`` is log(sigma) in the words (RunPlan.log_sigma_in)."""
        _ = digest
        for k in range(nrows):
            L[k] = arith.log_neg_derivative(margin(X, rows[k], W), loss_code) + LS[0]
        s_g = L[0]
        for k in range(1, nrows):
            s_g = max(s_g, L[k])
        for k in range(nrows):
            P[k] = arith.batch_weights(L[k], s_g)
        return s_g

    return margins, log_weights


margins, log_weights = _helpers(DIGEST)


def _build(digest: str):
    jit = njit(cache=True, error_model="numpy", nogil=True)

    @jit
    def batch_steps(X, U, LS, col_rel, W, M, V, S, lost, P, L, rows, t0, t1, stride, eta0, a, kind, beta1,
                    beta2, decay, loss_code, mode, bsize, idx):
        """Adam (kind 0), Signum (1, beta = beta1) or SGD (2) on batches, as numerics.fast.kernels.batch_steps;
        ``S[j]`` is coordinate j's log-scale, ``P``, ``L`` and ``rows`` hold a batch's weights, log weights and
        row indices."""
        _ = digest
        N, d = X.shape
        nb = N if mode == FULL else bsize
        M_ = N // bsize if mode == CYCLIC else 1
        fresh = True  # the memo of arith.rescale is empty
        key_s, key_g, c_s, c_old, c_new, c_scale = S[0], S[0], S[0], S[0], S[0], S[0]
        for t in range(t0, t1):
            for k in range(nb):
                if mode == FULL:
                    rows[k] = k
                elif mode == CYCLIC:
                    rows[k] = (t % M_) * bsize + k
                else:
                    rows[k] = idx[t - t0, k]
            s_g = log_weights(X, rows, nb, W, P, L, LS, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                acc = P[0] * U[rows[0], j]  # grad L_B = e^{s_g} g (SampleGrads.mean)
                for k in range(1, nb):
                    acc = acc + P[k] * U[rows[k], j]
                g = -acc if nb == 1 else -acc / nb  # dividing by 1 is exact: skip it
                gam = s_g
                if arith.needs_own_scale(g):  # formed again at the coordinate's own scale (SampleGrads)
                    kb = own_contributor(U, rows, nb, L, j)
                    gam = L[kb] if kb >= 0 else s_g * 0.0 - math.inf
                    acc = acc * 0.0
                    if gam > -math.inf:
                        for k in range(nb):
                            x = U[rows[k], j]
                            if x != 0:
                                acc = acc + arith.batch_weights(L[k], gam) * x
                    g = -acc if nb == 1 else -acc / nb
                    if g == 0:
                        gam = s_g * 0.0 - math.inf  # s_g is finite (gam may be -inf already: -inf * 0 = nan)
                if kind == SGD:
                    if fresh or gam != key_g:
                        fresh, key_g, c_scale = False, gam, ops.exp(gam)
                    step = c_scale * col_rel[j] * g
                    if arith.lost_step(step, g, W[j]):
                        lost[j] += 1
                    W[j] = W[j] - eta * step
                    continue
                if fresh or S[j] != key_s or gam != key_g:
                    fresh, key_s, key_g = False, S[j], gam
                    c_s, c_old, c_new = arith.rescale(key_s, gam, decay)
                S[j] = c_s
                if kind == ADAM:
                    mj, vj = arith.adam_moments(M[j], V[j], g, beta1, beta2, c_old, c_new)
                    M[j] = mj
                    V[j] = vj
                    if arith.lost_moment(vj, g):
                        lost[j] += 1
                    W[j] = W[j] - eta * arith.adam_direction(mj, vj)
                else:
                    mj = arith.ema(M[j], g, beta1, c_old, c_new)
                    M[j] = mj
                    if arith.lost_sign(mj):
                        lost[j] += 1
                    W[j] = W[j] - eta * arith.signum_direction(mj)

    @jit
    def proxy_steps(X, U, LS, W, lost, P, L, rows, t0, t1, stride, eta0, a, loss_code):
        """AdamProxy (Def. 4.2): the sums of G_i and G_i^2, G_i = -p_i u_i, per coordinate, at its own scale
        where the sum of squares is below TINY^2."""
        _ = digest
        N, d = X.shape
        for i in range(N):
            rows[i] = i
        for t in range(t0, t1):
            log_weights(X, rows, N, W, P, L, LS, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                G = -(P[0] * U[0, j])
                num, sq = G, G * G
                for i in range(1, N):
                    G = -(P[i] * U[i, j])
                    num = num + G
                    sq = sq + G * G
                if arith.needs_own_scale(sq, TINY2):
                    kb = own_contributor(U, rows, N, L, j)
                    if kb >= 0:
                        gam = L[kb]
                        num, sq = num * 0.0, sq * 0.0
                        for i in range(N):
                            if U[i, j] != 0:
                                G = -(arith.batch_weights(L[i], gam) * U[i, j])
                                num = num + G
                                sq = sq + G * G
                        if arith.lost_ratio(sq):
                            lost[j] += 1
                W[j] = W[j] - eta * arith.proxy_direction(num, sq, N)

    @jit
    def epoch_map_steps(X, UF, LS, W, lost, P, L, Q, rows, B, t0, t1, stride, eta0, a, loss_code):
        """Prop. 2.5's epoch map, one coordinate at a time; ``B`` = (beta1, beta2) in the words; ``Q`` holds a
        coordinate's own-scale weights."""
        _ = digest
        N, d = X.shape
        for i in range(N):
            rows[i] = i
        beta1, beta2 = B[0], B[1]
        C = arith.c_inc(beta1, beta2, N)
        for t in range(t0, t1):
            log_weights(X, rows, N, W, P, L, LS, loss_code)
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                acc, low = arith.epoch_map_sum(P, UF[:, j], beta1, beta2)
                if arith.needs_own_scale(low, TINY2):
                    kb = own_contributor(UF, rows, N, L, j)
                    if kb >= 0:
                        gam = L[kb]
                        for i in range(N):
                            Q[i] = arith.batch_weights(L[i], gam) if UF[i, j] != 0 else gam * 0.0
                        acc, low = arith.epoch_map_sum(Q, UF[:, j], beta1, beta2)
                        if arith.lost_ratio(low):
                            lost[j] += 1
                W[j] = W[j] - eta * (C * acc)

    return batch_steps, proxy_steps, epoch_map_steps


batch_steps, proxy_steps, epoch_map_steps = _build(DIGEST)
