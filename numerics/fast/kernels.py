"""numba kernels: the reference engine's per-step loops, compiled (float64).

The kernels contain no arithmetic of their own: every formula is a function of
:mod:`numerics.arith` (registered here with ``register_jitable``) or an operation of
:mod:`numerics.ops` (registered with ``overload``), the same functions the reference engine calls on
whole vectors.  The kernels only move data and reduce: margins of the sampled rows, the batch's log
weights, then the transform coordinate by coordinate, each at its own log-scale (numerics.arith
module docstring): a coordinate below TINY at the batch's scale is formed again from its own
contributors (:func:`own_contributor`), and :func:`numerics.arith.rescale` is evaluated once for all
coordinates that share its inputs (a one-entry memo: same inputs, same outputs, bit for bit).
Margins use the data X; gradients use the unit columns U = X / c with log(sigma) in the log weights
(:func:`numerics.optimizers.plan.prepare`), exactly as the reference engine.  ``lost[j]`` counts the
updates of coordinate j that lost precision (arith.lost_*).

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
TINY2 = arith.TINY * arith.TINY


@register_jitable
def own_contributor(U, rows, nb, u, j):
    """The k < nb of coordinate j's largest contributor, argmax{u[k] : U[rows[k], j] != 0} (-1 if none feeds
    it); its log weight u[k] is the coordinate's own scale.  An index, not the value, so that the same code
    serves float64 and multi-word log weights."""
    best = -1
    for k in range(nb):
        if U[rows[k], j] != 0 and (best < 0 or u[k] > u[best]):
            best = k
    return best


@register_jitable
def own_log_scale(U, rows, nb, u, j):
    """u[own_contributor(...)], -inf if none feeds coordinate j (float64 log weights)."""
    k = own_contributor(U, rows, nb, u, j)
    return u[k] if k >= 0 else -np.inf


def _build(digest: str):
    # error_model="numpy": x / 0 gives inf/nan instead of raising (no division checks in the loops);
    # every 0/0 the algorithms can meet is handled by arith's safe_div.
    jit = njit(cache=True, error_model="numpy", nogil=True)

    @jit
    def batch_steps(X, U, log_sigma, col_rel, w, m, v, S, lost, t0, t1, stride, eta0, a, kind, beta1,
                    beta2, decay, loss_code, mode, bsize, idx):
        """Adam (kind 0), Signum (kind 1, beta = beta1) or SGD (kind 2) on batches.

        mode FULL: all N samples; CYCLIC: B_t = {b (t mod M), ..., b (t mod M) + b - 1}, M = N/b;
        EXPLICIT: rows idx[t - t0] (a sampler's precomputed order).  ``S[j]`` is coordinate j's running
        log-scale s_j (-inf before it is first fed); m, v, S, lost, w are updated in place.

        Two loops compute the same numbers: while every coordinate shares one log-scale ``s_uni`` (``uni``)
        and each gradient coordinate is formed at the batch's scale (dense data), a vectorised loop with one
        ``arith.rescale`` per step and S kept implicit; otherwise the coordinate-by-coordinate loop.
        """
        _ = digest
        N, d = X.shape
        nb = N if mode == FULL else bsize
        M = N // bsize if mode == CYCLIC else 1
        g = np.empty(d)
        u = np.empty(nb)
        rows = np.arange(nb)
        row_special = np.full(N if nb == 1 else 0, -1)  # one sample's count of coordinates below TINY
        key_s, key_g = np.nan, np.nan  # the memo of arith.rescale (nan matches nothing)
        c_s, c_old, c_new, c_scale = 0.0, 0.0, 0.0, 0.0
        s_uni, uni = S[0], True
        for j in range(d):
            uni = uni and S[j] == s_uni
        for t in range(t0, t1):
            # grad L_B = e^{s_g} g at the batch's scale (SampleGrads.mean)
            special = 0  # how many coordinates need their own scale
            if mode == FULL:
                u[:] = arith.log_neg_derivative(X @ w, loss_code) + log_sigma
                s_g = u.max()
                g[:] = -(arith.batch_weights(u, s_g) @ U) / N
                for j in range(d):
                    special += arith.needs_own_scale(g[j])
            elif nb == 1:  # one sample: its weight is exp(0) = 1 exactly
                r = t % M if mode == CYCLIC else idx[t - t0, 0]
                rows[0] = r
                s_g = arith.log_neg_derivative(np.dot(X[r], w), loss_code) + log_sigma
                u[0] = s_g
                for j in range(d):
                    g[j] = -U[r, j]
                if row_special[r] < 0:  # counted at a row's first visit: a property of the data alone
                    row_special[r] = 0
                    for j in range(d):
                        row_special[r] += arith.needs_own_scale(g[j])
                special = row_special[r]
            else:
                for k in range(nb):
                    rows[k] = (t % M) * bsize + k if mode == CYCLIC else idx[t - t0, k]
                for k in range(nb):
                    u[k] = arith.log_neg_derivative(np.dot(X[rows[k]], w), loss_code) + log_sigma
                s_g = u.max()
                p = arith.batch_weights(u, s_g)
                g[:] = 0.0
                for k in range(nb):
                    for j in range(d):
                        g[j] += p[k] * U[rows[k], j]
                for j in range(d):
                    g[j] = -g[j] / nb
                    special += arith.needs_own_scale(g[j])
            eta = arith.eta(t * stride, eta0, a)
            if special == 0 and kind == SGD:  # SGD has no log-scale state
                key_g, c_scale = s_g, ops.exp(s_g)  # the memo stays true for the general loop
                for j in range(d):
                    step = c_scale * col_rel[j] * g[j]
                    lost[j] += arith.lost_step(step, g[j], w[j])  # needs w before the step: kept per coordinate
                    w[j] = w[j] - eta * step
                continue
            if special == 0 and uni:
                key_s, key_g = s_uni, s_g
                c_s, c_old, c_new = arith.rescale(s_uni, s_g, decay)
                s_uni = c_s
                nlost = 0  # counted in a register; per coordinate only on a step that lost (rare)
                if kind == ADAM:
                    for j in range(d):
                        mj, vj = arith.adam_moments(m[j], v[j], g[j], beta1, beta2, c_old, c_new)
                        m[j] = mj
                        v[j] = vj
                        nlost += arith.lost_moment(vj, g[j])
                        w[j] = w[j] - eta * arith.adam_direction(mj, vj)
                    if nlost:
                        for j in range(d):
                            lost[j] += arith.lost_moment(v[j], g[j])
                else:
                    for j in range(d):
                        mj = arith.ema(m[j], g[j], beta1, c_old, c_new)
                        m[j] = mj
                        nlost += arith.lost_sign(mj)
                        w[j] = w[j] - eta * arith.signum_direction(mj)
                    if nlost:
                        for j in range(d):
                            lost[j] += arith.lost_sign(m[j])
                continue
            if uni:
                S[:] = s_uni  # leave the implicit scale
            for j in range(d):
                gj, gam = g[j], s_g
                if arith.needs_own_scale(gj):  # formed again at the coordinate's own scale (SampleGrads)
                    gam = own_log_scale(U, rows, nb, u, j)
                    acc = 0.0
                    if gam > -np.inf:
                        for k in range(nb):
                            x = U[rows[k], j]
                            if x != 0:
                                acc += arith.batch_weights(u[k], gam) * x
                    gj = -acc / nb
                    if gj == 0:
                        gam = -np.inf
                if kind == SGD:
                    if gam != key_g:
                        key_g, c_scale = gam, ops.exp(gam)
                    step = c_scale * col_rel[j] * gj
                    lost[j] += arith.lost_step(step, gj, w[j])
                    w[j] = w[j] - eta * step
                    continue
                if S[j] != key_s or gam != key_g:
                    key_s, key_g = S[j], gam
                    c_s, c_old, c_new = arith.rescale(key_s, gam, decay)
                S[j] = c_s
                if kind == ADAM:
                    mj, vj = arith.adam_moments(m[j], v[j], gj, beta1, beta2, c_old, c_new)
                    m[j] = mj
                    v[j] = vj
                    lost[j] += arith.lost_moment(vj, gj)
                    w[j] = w[j] - eta * arith.adam_direction(mj, vj)
                else:
                    mj = arith.ema(m[j], gj, beta1, c_old, c_new)
                    m[j] = mj
                    lost[j] += arith.lost_sign(mj)
                    w[j] = w[j] - eta * arith.signum_direction(mj)
            s_uni, uni = S[0], True  # the scales may have met again (a coordinate's own scale caught up)
            for j in range(d):
                uni = uni and S[j] == s_uni
        if uni:
            S[:] = s_uni

    @jit
    def proxy_steps(X, U, log_sigma, w, lost, t0, t1, stride, eta0, a, loss_code):
        """AdamProxy (Def. 4.2): sums of G_i and G_i^2, G_i = -p_i u_i, in one pass over the rows; a coordinate
        whose sum of squares is below TINY^2 is summed again at its own scale (SampleGrads.proxy_sums)."""
        _ = digest
        N, d = X.shape
        num = np.empty(d)
        sq = np.empty(d)
        rows = np.arange(N)
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
            special = 0
            for j in range(d):
                special += arith.needs_own_scale(sq[j], TINY2)
            for j in range(d if special else 0):
                if arith.needs_own_scale(sq[j], TINY2):
                    gam = own_log_scale(U, rows, N, u, j)
                    if gam > -np.inf:
                        nj, qj = 0.0, 0.0
                        for i in range(N):
                            if U[i, j] != 0:
                                G = -(arith.batch_weights(u[i], gam) * U[i, j])
                                nj += G
                                qj += G * G
                        num[j], sq[j] = nj, qj
                        if arith.lost_ratio(qj):
                            lost[j] += 1
            for j in range(d):
                w[j] = w[j] - eta * arith.proxy_direction(num[j], sq[j], N)

    @jit
    def epoch_map_steps(X, UF, log_sigma, w, lost, t0, t1, stride, eta0, a, loss_code, beta1, beta2, C):
        """Prop. 2.5's epoch map, one coordinate at a time (``UF``: the unit columns in Fortran order); a
        coordinate whose smallest S2_i is below TINY^2 is summed again at its own scale."""
        _ = digest
        N, d = X.shape
        rows = np.arange(N)
        pj = np.empty(N)
        for t in range(t0, t1):
            u = arith.log_neg_derivative(X @ w, loss_code) + log_sigma
            p = arith.batch_weights(u, u.max())
            eta = arith.eta(t * stride, eta0, a)
            for j in range(d):
                acc, low = arith.epoch_map_sum(p, UF[:, j], beta1, beta2)
                if arith.needs_own_scale(low, TINY2):
                    gam = own_log_scale(UF, rows, N, u, j)
                    if gam > -np.inf:
                        for i in range(N):
                            pj[i] = arith.batch_weights(u[i], gam) if UF[i, j] != 0 else 0.0
                        acc, low = arith.epoch_map_sum(pj, UF[:, j], beta1, beta2)
                        if arith.lost_ratio(low):
                            lost[j] += 1
                w[j] = w[j] - eta * (C * acc)

    return batch_steps, proxy_steps, epoch_map_steps


batch_steps, proxy_steps, epoch_map_steps = _build(DIGEST)
