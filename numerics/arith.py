"""The optimizers' arithmetic, written once: small pure functions shared by every engine.

The reference engine (:mod:`numerics.optimizers.transforms`, float64 or mpmath arrays) calls them
on whole vectors; the compiled engines (:mod:`numerics.fast`, :mod:`numerics.multiword`) register
them with numba and call them coordinate by coordinate inside their loops.  They use only ordinary
arithmetic and the operations of :mod:`numerics.ops`, so the same source serves float64, mpmath,
double-double, quad-double and numba; nothing here allocates engine-specific state.

Per-coordinate log-scales (no under- or overflow, no clamping; docs/math.md §13.5).  Each
coordinate j carries its own log-scale: its gradient is e^{gamma_j} g_j and its moments are
m_j = e^{s_j} m_hat_j, v_j = e^{2 s_j} v_hat_j.  A batch's gradient is first formed relative to
the batch's largest log weight s_g = max_i u_i, u_i = log|l'(<w, x_i>)| (:func:`batch_weights`),
and gamma_j = s_g; a coordinate whose result there is below TINY (:func:`needs_own_scale`) may
have lost contributors to underflow (a pixel that is 0 on every near sample and fed only by far
ones), and is formed again relative to its own largest contributor, gamma_j = max{u_i : x_ij != 0}
(-inf when nothing feeds it).  Adam's m/sqrt(v), Signum's sign(m), AdamProxy's and the epoch map's
per-coordinate ratios are 0-homogeneous in each coordinate's scale, so it cancels exactly.  The
moments' scale follows, coordinate by coordinate, the larger of the EMA's own decay and the newest
gradient, s_j' = max(s_j + decay, gamma_j) with decay = log(beta2)/2 (Adam) or log(beta) (Signum)
(:func:`rescale`): the largest weighted contribution to a moment always has weight 1, so
m_hat, v_hat stay O(1) in every coordinate, however far below the others its contributors lie.
The engines may evaluate :func:`rescale` once for all coordinates that share (s_j, gamma_j) (the
same inputs give the same outputs); the arithmetic is the same.

What the arithmetic cannot carry is reported, never turned into a silent 0: :func:`lost_moment`,
:func:`lost_sign`, :func:`lost_ratio` and :func:`lost_step` say when a coordinate's update lost
its contributors (a quantity that the scaling keeps O(1) fell below FLOOR, or GD's unscaled step
underflowed where it would have moved w); the engines count them per coordinate (``Trajectory.lost``).
"""

from __future__ import annotations

import math

from .ops import absolute, exp, exp_sub, log1p, maximum, minimum, safe_div, sign, sqrt

__all__ = ["EXP_LOSS", "LOGISTIC_LOSS", "TINY", "FLOOR", "MIN_NORMAL", "eta", "log_neg_derivative", "batch_weights",
           "needs_own_scale", "rescale", "adam_moments", "adam_direction", "ema", "signum_direction",
           "proxy_direction", "c_inc", "epoch_map_sum", "lost_moment", "lost_sign", "lost_ratio", "lost_step",
           "JITABLE"]

#: loss codes (numerics.losses.Loss.code)
EXP_LOSS, LOGISTIC_LOSS = 0, 1

#: a gradient coordinate formed relative to the batch's scale and smaller than TINY is formed again at its own
#: scale: below it, contributors lost to underflow (each < 2^-1074 * 2) could matter at quad-double precision
#: (2^-1073 / 2^-300 = 2^-773 < 2^-212), and its square (>= 2^-600) stays a normal number in every format.
TINY = 2.0**-300
#: a quantity the per-coordinate scaling keeps O(1) (v_hat >= (1 - beta2) g^2 >= 2^-610, a ratio's sum of
#: squares >= 2^-600, |m_hat| >= 2^-52 of its largest term) that falls below FLOOR has lost precision: in
#: quad-double the lower words are subnormal below ~2^-860, in float64 the number itself below 2^-1022.
FLOOR = 2.0**-800
#: float64's smallest normal number: a GD step below it has lost digits to underflow
MIN_NORMAL = 2.0**-1022
_EPS = 2.0**-52


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
    """p_i = exp(u_i - s) <= 1 for s = max_i u_i: a batch's gradient weights relative to e^s.  Weights far
    below e^s underflow to 0; a coordinate fed only by such samples comes out below TINY and is formed
    again at its own scale (:func:`needs_own_scale`, module docstring)."""
    return exp(u - s)


def needs_own_scale(x, tiny=TINY):
    """True where a coordinate's quantity formed at the batch's scale (a gradient coordinate; a sum of
    squares with ``tiny = TINY**2``) is too small to exclude lost contributors: form it at its own scale."""
    return absolute(x) < tiny


def rescale(s_old, s_g, decay):
    """(s, exp(s_old - s), exp(s_g - s)) with s = max(s_old + decay, s_g), coordinate by coordinate: the
    moments' new log-scale and the factors that carry the old moments and the new gradient to it (module
    docstring).  s_old = -inf is a coordinate never fed, s_g = -inf a gradient coordinate with no
    contributor: their factor is 0 (``exp_sub``), never exp(nan)."""
    s = maximum(s_old + decay, s_g)
    # with no memory (beta = 0: decay = -inf) the old moments are dropped outright: exp(s_old - s) is then
    # unbounded and beta * inf would be nan
    old = exp_sub(s_old, s) if decay > -math.inf else 0.0
    return s, old, exp_sub(s_g, s)


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
    """(sum_i S1_i / sqrt(S2_i), min_i S2_i) of Prop. 2.5's Eq. (2) (without C_inc), with G_j = -p_j x_j
    and the circulant sums S1_i = sum_j beta1^((i-j) mod N) G_j, S2_i = sum_j beta2^((i-j) mod N) G_j^2.

    ``X`` is (N, d) (the reference engine: vectors) or one column (N,) (the compiled engine: one
    coordinate); ``p`` is (N,), or (N, d) like X for weights of each coordinate's own scale.  O(N) per
    coordinate instead of O(N^2): with R = sum_{j=1}^{N-1} beta^(N-1-j) H_j (Horner), S_0 = beta R + H_0
    and S_i = beta S_{i-1} + (1 - beta^N) H_i.  0/0 := 0.  min_i S2_i says whether the ratios kept their
    precision (:func:`needs_own_scale` with TINY^2, :func:`lost_ratio`).
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
    acc, low = safe_div(S1, sqrt(S2)), S2
    for i in range(1, N):
        Gi = -(p[i] * X[i])
        S1 = beta1 * S1 + k1 * Gi
        S2 = beta2 * S2 + k2 * (Gi * Gi)
        acc = acc + safe_div(S1, sqrt(S2))
        low = minimum(low, S2)
    return acc, low


def lost_moment(v, g):
    """Adam: the second moment v_hat (>= (1 - beta2) times its largest squared contribution, module
    docstring) fell below FLOOR although the coordinate has been fed: its update lost precision."""
    return (v < FLOOR) & ((v != 0) | (g != 0))


def lost_sign(m):
    """Signum: a nonzero m_hat below FLOOR (cancellation leaves at least 2^-52 of its largest term, which the
    scaling keeps O(1)): its sign may have been decided by underflow."""
    return (absolute(m) < FLOOR) & (m != 0)


def lost_ratio(sq):
    """AdamProxy / the epoch map at a coordinate's own scale: a sum of squares below FLOOR (its largest term
    is the square of a data entry of the coordinate): the ratio lost precision."""
    return sq < FLOOR


def lost_step(step, g, w):
    """GD (not scale-invariant): the step of a fed coordinate underflowed below MIN_NORMAL where it could
    still have moved w (|w| below MIN_NORMAL / eps, so an ulp of w is no larger than what was lost)."""
    return (absolute(step) < MIN_NORMAL) & (g != 0) & (absolute(w) < MIN_NORMAL / _EPS)


#: the functions numerics.fast registers with numba (``register_jitable``)
JITABLE = (eta, log_neg_derivative, batch_weights, needs_own_scale, rescale, ema, adam_moments, adam_direction,
           signum_direction, proxy_direction, c_inc, epoch_map_sum, lost_moment, lost_sign, lost_ratio, lost_step)
