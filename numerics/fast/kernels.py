"""numba kernels: the per-step loops of ``numerics.optimizers.run`` for float64, compiled.

Each kernel advances the iterate ``w`` in place from step ``t0`` to ``t1`` (exclusive) and
follows the plain path operation by operation, in the log domain:

* per-sample gradients grad L_i = -exp(u_i) x_i with u_i = log|l'(<w, x_i>)| (grads.py);
  only the margins of the samples of the current batch are computed (one dot product per
  sample), never X @ w for the incremental methods;
* batch quantities relative to s_g = max_i u_i (``SampleGrads.mean`` / ``per_sample``);
* Adam / Signum moments relative to the running log-scale s (transforms.ScaledMoments):
  s' = max(s + decay, s_g), decay = log(beta2)/2 (Adam) or log(beta) (Signum);
* Adam direction m / sqrt(v) with 0/0 := 0 (Backend.safe_ratio); no epsilon, no clamping;
* logistic loss: log|l'(z)| = -(max(z, 0) + log1p(exp(-|z|))) (losses.py).

Only the order of floating-point summations can differ from the plain path (BLAS dot
products, the epoch map's circulant sums by recurrence), so results agree to rounding.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# optimizer kinds of ``batch_steps``
ADAM, SIGNUM, SGD = 0, 1, 2
# batch modes of ``batch_steps``
FULL, CYCLIC, EXPLICIT = 0, 1, 2
# losses
EXP_LOSS, LOGISTIC_LOSS = 0, 1

_CACHE = True
# error_model="numpy": x / 0 gives inf/nan instead of raising, so the loops carry no
# division checks and vectorise; every 0/0 the algorithms can meet is handled explicitly.


@njit(cache=_CACHE, error_model="numpy", inline="always")
def _log_neg_derivative(z, loss_id):
    """u = log|l'(z)|: -z (exp loss) or -softplus(z) (logistic), as numerics.losses."""
    if loss_id == EXP_LOSS:
        return -z
    return -(max(z, 0.0) + np.log1p(np.exp(-abs(z))))


@njit(cache=_CACHE, error_model="numpy", inline="always")
def _eta(t, stride, eta0, a):
    """PolynomialDecay: eta0 * (t + 2)^(-a) at t * stride (stride N for the epoch map)."""
    return eta0 * (np.float64(t * stride + 2) ** (-a))


@njit(cache=_CACHE, error_model="numpy", inline="always")
def _add_sample(X, r, w, loss_id, s, acc, acc2, squares):
    """One pass over row r: u_r = log|l'(<w, x_r>)| and acc += p x_r (acc2 += p^2 x_r^2 if
    ``squares``) with p = exp(u_r - s) relative to the running maximum s of the u's; when u_r
    exceeds s the sums are rescaled to the new maximum first (the online form of
    SampleGrads.mean / per_sample, so X is read once per step).  Returns (s, u_r)."""
    d = X.shape[1]
    u = _log_neg_derivative(np.dot(X[r], w), loss_id)
    if u > s:
        if s > -np.inf:
            f = np.exp(s - u)
            f2 = f * f
            for j in range(d):
                acc[j] *= f
            if squares:
                for j in range(d):
                    acc2[j] *= f2
        s = u
    p = np.exp(u - s)
    if squares:
        for j in range(d):
            G = p * X[r, j]
            acc[j] += G
            acc2[j] += G * G
    else:
        for j in range(d):
            acc[j] += p * X[r, j]
    return s, u


@njit(cache=_CACHE, error_model="numpy")
def batch_steps(X, w, m, v, log_scale, t0, t1, stride, eta0, a, kind, beta1, beta2, decay, loss_id,
                mode, bsize, idx):
    """Adam (kind 0), Signum (kind 1, beta = beta1) or SGD (kind 2) on batches.

    mode FULL: all N samples; CYCLIC: B_t = {b (t mod M), ..., b (t mod M) + b - 1};
    EXPLICIT: rows idx[t - t0] (a sampler's precomputed order).  ``log_scale[0]`` is the
    moments' running log-scale s (-inf before the first step); m, v, w are updated in place.
    """
    N, d = X.shape
    nb = N if mode == FULL else bsize
    M = N // bsize if mode == CYCLIC else 1
    g = np.empty(d)
    s_old = log_scale[0]
    for t in range(t0, t1):
        # -- SampleGrads.mean: (s_g, g) with grad L_B = e^{s_g} g, margins of the batch only -----
        if mode == FULL:  # as the plain path: two matrix-vector products (BLAS)
            z = X @ w
            for i in range(N):
                z[i] = _log_neg_derivative(z[i], loss_id)
            s_g = z.max()
            for i in range(N):
                z[i] = np.exp(z[i] - s_g)
            g[:] = z @ X
        elif nb == 1:  # one sample: p = exp(u - s_g) = 1 exactly, g = -x_r
            r = t % M if mode == CYCLIC else idx[t - t0, 0]
            s_g = _log_neg_derivative(np.dot(X[r], w), loss_id)
            for j in range(d):
                g[j] = -X[r, j]
        else:
            g[:] = 0.0
            s_g = -np.inf
            for k in range(nb):
                r = (t % M) * bsize + k if mode == CYCLIC else idx[t - t0, k]
                s_g, _ = _add_sample(X, r, w, loss_id, s_g, g, g, False)
        if mode == FULL or nb > 1:
            for j in range(d):
                g[j] = -g[j] / nb
        eta = _eta(t, stride, eta0, a)
        # -- the transform and the step ------------------------------------------------------
        if kind == ADAM:
            s = max(s_old + decay, s_g)
            old = np.exp(s_old - s)
            new = np.exp(s_g - s)
            c1, c2 = beta1 * old, (1 - beta1) * new
            e1, e2 = beta2 * (old * old), (1 - beta2) * (new * new)
            for j in range(d):
                mj = c1 * m[j] + c2 * g[j]
                vj = e1 * v[j] + e2 * (g[j] * g[j])
                m[j] = mj
                v[j] = vj
                den = np.sqrt(vj)
                step = mj / den
                if den == 0.0:  # 0/0 := 0 (Backend.safe_ratio)
                    step = 0.0
                w[j] = w[j] - eta * step
            s_old = s
        elif kind == SIGNUM:
            s = max(s_old + decay, s_g)
            c1 = beta1 * np.exp(s_old - s)
            c2 = (1 - beta1) * np.exp(s_g - s)
            for j in range(d):
                mj = c1 * m[j] + c2 * g[j]
                m[j] = mj
                sg = 1.0 if mj > 0.0 else (-1.0 if mj < 0.0 else mj)  # np.sign, branch-free
                w[j] = w[j] - eta * sg
            s_old = s
        else:
            scale = np.exp(s_g)
            for j in range(d):
                w[j] = w[j] - eta * (scale * g[j])
    log_scale[0] = s_old


@njit(cache=_CACHE, error_model="numpy")
def proxy_steps(X, w, t0, t1, stride, eta0, a, loss_id):
    """AdamProxy (Def. 4.2): direction (1/N) sum_i G_i / sqrt(sum_i G_i^2), G_i = -p_i x_i.

    Margins by one matrix-vector product (BLAS), then both sums in one pass over X.
    """
    N, d = X.shape
    num = np.empty(d)
    sq = np.empty(d)
    for t in range(t0, t1):
        p = X @ w
        for i in range(N):
            p[i] = _log_neg_derivative(p[i], loss_id)
        s = p.max()
        num[:] = 0.0
        sq[:] = 0.0
        for i in range(N):
            q = np.exp(p[i] - s)
            for j in range(d):
                G = q * X[i, j]
                num[j] += G
                sq[j] += G * G
        eta = _eta(t, stride, eta0, a)
        for j in range(d):
            den = np.sqrt(sq[j])
            step = (-num[j] / N) / den
            if den == 0.0:  # 0/0 := 0 (Backend.safe_ratio)
                step = 0.0
            w[j] = w[j] - eta * step


@njit(cache=_CACHE, error_model="numpy")
def epoch_map_steps(X, w, t0, t1, stride, eta0, a, loss_id, beta1, beta2, c_inc):
    """Prop. 2.5's epoch map: C_inc sum_i S1_i / sqrt(S2_i) with circulant sums

    S_i = sum_j beta^((i-j) mod N) H_j  (H_j = G_j for beta1, G_j^2 for beta2; G_j = -p_j x_j),
    computed in O(N d) instead of the plain path's O(N^2 d) matrix products:
    S_0 = H_0 + beta R with R = sum_{j=1}^{N-1} beta^(N-1-j) H_j (Horner, fused with the
    margins and an online maximum of the u's), then S_i = beta S_{i-1} + (1 - beta^N) H_i.
    """
    N, d = X.shape
    S1 = np.empty(d)
    S2 = np.empty(d)
    acc = np.empty(d)
    u = np.empty(N)
    k1 = 1.0 - beta1 ** N
    k2 = 1.0 - beta2 ** N
    for t in range(t0, t1):
        S1[:] = 0.0
        S2[:] = 0.0
        s = _log_neg_derivative(np.dot(X[0], w), loss_id)
        u[0] = s
        for i in range(1, N):  # Horner pass: R in units of e^s (e^{2s} for S2)
            ui = _log_neg_derivative(np.dot(X[i], w), loss_id)
            u[i] = ui
            if ui > s:
                f = np.exp(s - ui)
                f2 = f * f
                for j in range(d):
                    S1[j] *= f
                    S2[j] *= f2
                s = ui
            q = -np.exp(ui - s)
            for j in range(d):
                G = q * X[i, j]
                S1[j] = beta1 * S1[j] + G
                S2[j] = beta2 * S2[j] + G * G
        acc[:] = 0.0
        for i in range(N):
            q = -np.exp(u[i] - s)
            # S_0 = beta R + H_0;  S_i = beta S_{i-1} + (1 - beta^N) H_i
            h1 = k1 if i > 0 else 1.0
            h2 = k2 if i > 0 else 1.0
            for j in range(d):
                G = q * X[i, j]
                a1 = beta1 * S1[j] + h1 * G
                a2 = beta2 * S2[j] + h2 * (G * G)
                S1[j] = a1
                S2[j] = a2
                r = a1 / np.sqrt(a2)
                if a2 == 0.0:  # 0/0 := 0 (Backend.safe_ratio)
                    r = 0.0
                acc[j] += r
        eta = _eta(t, stride, eta0, a)
        for j in range(d):
            w[j] = w[j] - eta * (c_inc * acc[j])
