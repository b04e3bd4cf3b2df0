"""The optimizers' arithmetic, written once: small pure functions shared by every engine.

The reference engine (:mod:`numerics.optimizers.transforms`, float64 or mpmath arrays) calls them
on whole vectors; the compiled engine (:mod:`numerics.fast`) registers them with numba
(``register_jitable``) and calls them coordinate by coordinate inside its loops.  They use only
ordinary arithmetic and the operations of :mod:`numerics.ops`, so the same source serves float64,
mpmath and numba; nothing here allocates engine-specific state.

Log-scale convention (no under- or overflow, no clamping).  A batch of gradients is carried as
grad L_i = -exp(u_i) x_i with u_i = log|l'(<w, x_i>)| (:func:`log_neg_derivative`), relative to
s_g = max_i u_i (:func:`batch_weights`).  Moments are stored relative to a running log-scale s:
m = e^s m_hat, v = e^{2s} v_hat.  Adam's m/sqrt(v) and Signum's sign(m) are 0-homogeneous in that
scale, so it cancels exactly.  The scale follows the larger of the EMA's own decay and the newest
gradient, s' = max(s + decay, s_g) with decay = log(beta2)/2 (Adam) or log(beta) (Signum)
(:func:`rescale`), which keeps m_hat, v_hat bounded (Adam: beta1/sqrt(beta2) < 1 as beta1^2 < beta2).
"""

from __future__ import annotations

import math

from .ops import absolute, exp, log1p, maximum, safe_div, sign, sqrt

__all__ = ["EXP_LOSS", "LOGISTIC_LOSS", "eta", "log_neg_derivative", "batch_weights", "rescale", "adam_moments",
           "adam_direction", "ema", "signum_direction", "proxy_direction", "c_inc", "epoch_map_sum", "JITABLE"]

#: loss codes (numerics.losses.Loss.code)
EXP_LOSS, LOGISTIC_LOSS = 0, 1


def eta(t, eta0, a):
    """eta_t = eta0 (t + 2)^(-a) (the experiments' schedule, App. C; Assumption 2.3 for a in (0, 1])."""
    return eta0 * (t + 2.0) ** (-a)


def log_neg_derivative(z, loss_code):
    """u = log|l'(z)| (Sec. 1.2): -z for l = e^{-z}; -softplus(z) = -(max(z, 0) + log1p(e^{-|z|})) for the
    logistic loss, where |l'(z)| = 1/(1 + e^z).  Finite for every finite z."""
    if loss_code == EXP_LOSS:
        return -z
    return -(maximum(z, 0.0) + log1p(exp(-absolute(z))))


def batch_weights(u, s):
    """p_i = exp(u_i - s) <= 1 for s = max_i u_i: a batch's gradient weights relative to e^s
    (weights far below e^s may underflow to 0: they are negligible against the largest)."""
    return exp(u - s)


def rescale(s_old, s_g, decay):
    """(s, exp(s_old - s), exp(s_g - s)) with s = max(s_old + decay, s_g): the moments' new log-scale and
    the factors that carry the old moments and the new gradient to it (module docstring)."""
    s = max(s_old + decay, s_g)
    # with no memory (beta = 0: decay = -inf) the old moments are dropped outright: exp(s_old - s) is then
    # unbounded and beta * inf would be nan
    old = exp(s_old - s) if decay > -math.inf else 0.0
    return s, old, exp(s_g - s)


def ema(m, g, beta, old, new):
    """m_t = beta m_{t-1} + (1 - beta) g_t in the running log-scale (``old``, ``new`` from :func:`rescale`)."""
    return beta * old * m + (1 - beta) * new * g


def adam_moments(m, v, g, beta1, beta2, old, new):
    """Adam's moments (Alg. 1/2): m = beta1 m + (1-beta1) g, v = beta2 v + (1-beta2) g^2, in the log-scale."""
    return ema(m, g, beta1, old, new), beta2 * (old * old) * v + (1 - beta2) * (new * new) * (g * g)


def adam_direction(m, v):
    """m / sqrt(v) entrywise, epsilon = 0 and no bias correction (Sec. 2 conventions); 0/0 := 0."""
    return safe_div(m, sqrt(v))


def signum_direction(m):
    """sign(m) (Alg. 4)."""
    return sign(m)


def proxy_direction(num, sq, N):
    """AdamProxy (Def. 4.2, Eq. (4)): ((1/N) sum_i G_i) / sqrt(sum_i G_i^2) from the sums num, sq; 0/0 := 0."""
    return safe_div(num / N, sqrt(sq))


def c_inc(beta1, beta2, N):
    """C_inc(beta1, beta2) = (1-beta1)/(1-beta1^N) sqrt((1-beta2^N)/(1-beta2))  (Prop. 2.5)."""
    return (1 - beta1) / (1 - beta1**N) * sqrt((1 - beta2**N) / (1 - beta2))


def epoch_map_sum(p, X, beta1, beta2):
    """sum_i S1_i / sqrt(S2_i) of Prop. 2.5's Eq. (2) (without C_inc), with G_j = -p_j x_j and the
    circulant sums S1_i = sum_j beta1^((i-j) mod N) G_j, S2_i = sum_j beta2^((i-j) mod N) G_j^2.

    ``X`` is (N, d) (the reference engine: vectors) or one column (N,) (the compiled engine: one
    coordinate).  O(N) per coordinate instead of O(N^2): with R = sum_{j=1}^{N-1} beta^(N-1-j) H_j
    (Horner), S_0 = beta R + H_0 and S_i = beta S_{i-1} + (1 - beta^N) H_i.  0/0 := 0.
    """
    N = p.shape[0]
    k1, k2 = 1 - beta1**N, 1 - beta2**N
    G = -(p[0] * X[0])
    R1, R2 = G * 0.0, G * 0.0
    for i in range(1, N):  # Horner pass over samples 1 .. N-1
        Gi = -(p[i] * X[i])
        R1 = beta1 * R1 + Gi
        R2 = beta2 * R2 + Gi * Gi
    S1, S2 = beta1 * R1 + G, beta2 * R2 + G * G
    acc = safe_div(S1, sqrt(S2))
    for i in range(1, N):
        Gi = -(p[i] * X[i])
        S1 = beta1 * S1 + k1 * Gi
        S2 = beta2 * S2 + k2 * (Gi * Gi)
        acc = acc + safe_div(S1, sqrt(S2))
    return acc


#: the functions numerics.fast registers with numba (``register_jitable``)
JITABLE = (eta, log_neg_derivative, batch_weights, rescale, ema, adam_moments, adam_direction, signum_direction,
           proxy_direction, c_inc, epoch_map_sum)
