"""numba kernels: the reference engine's per-step loops, compiled (float64).

The kernels contain no arithmetic of their own: every formula is a function of
:mod:`numerics.arith` (registered here with ``register_jitable``) or an operation of
:mod:`numerics.ops` (registered with ``overload``), the same functions the reference engine calls on
whole vectors.  The kernels only move data: margins of the sampled rows, the batch's log weights,
then the transform coordinate by coordinate, w updated in place from step ``t0`` to ``t1``.
Margins use the data X; gradients use the unit rows U = X / sigma with log(sigma) in the log
weights (:func:`numerics.optimizers.run.prepare`), exactly as the reference engine.

Caching.  numba caches compiled code on disk (``cache=True``) and re-validates it against this
file only; the digest of ``arith.py`` and ``ops.py`` is a closure constant of every kernel, part
of numba's cache key, so editing them recompiles instead of loading stale code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from numba import njit
from numba.extending import overload, register_jitable

from .. import arith, ops

__all__ = ["batch_steps", "proxy_steps", "epoch_map_steps", "ADAM", "SIGNUM", "SGD", "FULL", "CYCLIC", "EXPLICIT"]

from .batch_plan import ADAM, CYCLIC, EXPLICIT, FULL, SGD, SIGNUM  # noqa: F401 -- the codes of batch_steps

for _name, _impl in ops.numba_implementations().items():
    overload(ops.OPERATIONS[_name])(_impl)
for _fn in arith.JITABLE:
    register_jitable(_fn)

DIGEST = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (arith, ops))).hexdigest()


def _build(digest: str):
    # error_model="numpy": x / 0 gives inf/nan instead of raising (no division checks in the loops);
    # every 0/0 the algorithms can meet is handled by arith's safe_div.
    jit = njit(cache=True, error_model="numpy", nogil=True)

    @jit
    def batch_steps(X, U, log_sigma, w, m, v, log_scale, t0, t1, stride, eta0, a, kind, beta1, beta2, decay,
                    loss_code, mode, bsize, idx):
        """Adam (kind 0), Signum (kind 1, beta = beta1) or SGD (kind 2) on batches.

        mode FULL: all N samples; CYCLIC: B_t = {b (t mod M), ..., b (t mod M) + b - 1}, M = N/b;
        EXPLICIT: rows idx[t - t0] (a sampler's precomputed order).  ``log_scale[0]`` is the moments'
        running log-scale s (-inf before the first step); m, v, w are updated in place.
        """
        _ = digest
        N, d = X.shape
        M = N // bsize if mode == CYCLIC else 1
        g = np.empty(d)
        s_old = log_scale[0]
        for t in range(t0, t1):
            # grad L_B = e^{s_g} g  (SampleGrads.mean)
            if mode == FULL:
                u = arith.log_neg_derivative(X @ w, loss_code) + log_sigma
                s_g = u.max()
                g[:] = -(arith.batch_weights(u, s_g) @ U) / N
            elif bsize == 1:  # one sample: its weight is exp(0) = 1 exactly
                r = t % M if mode == CYCLIC else idx[t - t0, 0]
                s_g = arith.log_neg_derivative(np.dot(X[r], w), loss_code) + log_sigma
                for j in range(d):
                    g[j] = -U[r, j]
            else:
                if mode == CYCLIC:
                    k = (t % M) * bsize
                    rows, urows = X[k:k + bsize], U[k:k + bsize]
                else:
                    rows, urows = X[idx[t - t0]], U[idx[t - t0]]
                u = arith.log_neg_derivative(rows @ w, loss_code) + log_sigma
                s_g = u.max()
                g[:] = -(arith.batch_weights(u, s_g) @ urows) / bsize
            eta = arith.eta(t * stride, eta0, a)
            if kind == ADAM:
                s, old, new = arith.rescale(s_old, s_g, decay)
                for j in range(d):
                    mj, vj = arith.adam_moments(m[j], v[j], g[j], beta1, beta2, old, new)
                    m[j] = mj
                    v[j] = vj
                    w[j] = w[j] - eta * arith.adam_direction(mj, vj)
                s_old = s
            elif kind == SIGNUM:
                s, old, new = arith.rescale(s_old, s_g, decay)
                for j in range(d):
                    mj = arith.ema(m[j], g[j], beta1, old, new)
                    m[j] = mj
                    w[j] = w[j] - eta * arith.signum_direction(mj)
                s_old = s
            else:
                scale = ops.exp(s_g)
                for j in range(d):
                    w[j] = w[j] - eta * (scale * g[j])
        log_scale[0] = s_old

    @jit
    def proxy_steps(X, U, log_sigma, w, t0, t1, stride, eta0, a, loss_code):
        """AdamProxy (Def. 4.2): sums of G_i and G_i^2, G_i = -p_i u_i, in one pass over the rows."""
        _ = digest
        N, d = X.shape
        num = np.empty(d)
        sq = np.empty(d)
        for t in range(t0, t1):
            u = arith.log_neg_derivative(X @ w, loss_code) + log_sigma
            p = arith.batch_weights(u, u.max())
            num[:] = 0.0
            sq[:] = 0.0
            for i in range(N):
                for j in range(d):
                    G = -(p[i] * U[i, j])
                    num[j] += G
                    sq[j] += G * G
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                w[j] = w[j] - eta * arith.proxy_direction(num[j], sq[j], N)

    @jit
    def epoch_map_steps(X, UF, log_sigma, w, t0, t1, stride, eta0, a, loss_code, beta1, beta2, C):
        """Prop. 2.5's epoch map, one coordinate at a time (``UF``: the unit rows in Fortran order)."""
        _ = digest
        d = X.shape[1]
        for t in range(t0, t1):
            u = arith.log_neg_derivative(X @ w, loss_code) + log_sigma
            p = arith.batch_weights(u, u.max())
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                w[j] = w[j] - eta * (C * arith.epoch_map_sum(p, UF[:, j], beta1, beta2))

    return batch_steps, proxy_steps, epoch_map_steps


batch_steps, proxy_steps, epoch_map_steps = _build(DIGEST)
