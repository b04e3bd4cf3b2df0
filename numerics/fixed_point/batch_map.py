"""The maps of Eq. (2_b) and of the finite-beta2 closure (docs/math.md §13.1-13.2): circulants, C_inc,
the batch epoch map and the direction u_b(c) with its Jacobian."""

from __future__ import annotations

import math

import numpy as np

from ..errors import HyperparameterError

__all__ = ["epoch_map_batch", "mixed_direction", "circulant", "batch_c_inc", "check_betas"]


def check_betas(beta1: float, beta2: float, N: int, b: int) -> tuple[float, float, int]:
    beta1, beta2 = float(beta1), float(beta2)
    if not (0 <= beta1 < 1) or not (0 <= beta2 <= 1):
        raise HyperparameterError(f"need 0 <= beta1 < 1 and 0 <= beta2 <= 1, got beta1={beta1}, beta2={beta2}")
    if beta1 > beta2:
        raise HyperparameterError(f"the paper's results need beta1 <= beta2, got beta1={beta1} > beta2={beta2}")
    b = int(b)
    if b < 1 or N % b:
        raise HyperparameterError(f"batch size b must divide N = {N}, got {b}")
    return beta1, beta2, N // b


def circulant(beta: float, M: int) -> np.ndarray:
    """B[k, l] = beta^((k - l) mod M) (0^0 = 1)."""
    k = np.arange(M)
    return float(beta) ** ((k[:, None] - k[None, :]) % M).astype(float)


def batch_c_inc(beta1: float, beta2: float, M: int) -> float:
    """C_inc(beta1, beta2, M) = (1-beta1)/(1-beta1^M) sqrt((1-beta2^M)/(1-beta2)) (limit M at beta -> 1)."""
    a = (1 - beta1) / (1 - beta1**M) if beta1 < 1 else 1.0 / M
    s = (1 - beta2**M) / (1 - beta2) if beta2 < 1 else float(M)
    return a * math.sqrt(s)


def _aggregation(N: int, b: int) -> np.ndarray:
    """A[l, j] = 1 if sample j is in batch B_l = {lb, ..., lb+b-1}."""
    return (np.arange(N)[None, :] // b == np.arange(N // b)[:, None]).astype(float)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(a, b).shape)
    np.divide(a, b, out=out, where=b > 0)
    return out


def epoch_map_batch(X: np.ndarray, w: np.ndarray, beta1: float, beta2: float, b: int) -> np.ndarray:
    """Eq. (2_b) (module docstring): the epoch update of cyclic mini-batch Adam, exponential loss, eps_r = 0.

    Returns  C_inc(beta1, beta2, M) sum_k [sum_l beta1^((k-l) mod M) g_l] / sqrt(sum_l beta2^((k-l) mod M) g_l^2)
    with g_l = (1/b) sum_{j in B_l} grad L_j(w), grad L_j(w) = -exp(-<w, x_j>) x_j; w^{r+1} = w^r - eta_{rM} * this.
    b = 1 is Prop. 2.5's Eq. (2); b = N is sign(grad L).  The map is 0-homogeneous in the gradients,
    so they are taken relative to max_j exp(-<w, x_j>) (no underflow).
    """
    X = np.asarray(X, float)
    N = X.shape[0]
    beta1, beta2, M = check_betas(beta1, beta2, N, b)
    z = X @ np.asarray(w, float)
    G = -np.exp(-(z - z.min()))[:, None] * X
    g = _aggregation(N, b) @ G / b
    num = circulant(beta1, M) @ g
    den = np.sqrt(circulant(beta2, M) @ (g * g))
    return batch_c_inc(beta1, beta2, M) * np.sum(_safe_div(num, den), axis=0)


def direction_map(X: np.ndarray, beta1: float, beta2: float, b: int = 1):
    """c -> u_b(c) of :func:`mixed_direction` (``u(c, jacobian=True)``: also du/dc, d x N), for many calls on the
    same data: the circulants are built once, and the Jacobian is summed in O(M^2 d + N d).  With g = A (c x),
    num = B1 g, V = B2 g^2, rs = V^(-1/2): du_p/dg_lp = (B1^T rs - g B2^T (num rs^3))_lp =: G_lp, so
    du_p/dc_j = x_jp (A^T G)_jp (entries with V = 0 contribute 0, as in the closure's convention 0/0 = 0)."""
    X = np.asarray(X, float)
    N, d = X.shape
    beta1, beta2, M = check_betas(beta1, beta2, N, b)
    A = None if b == 1 else _aggregation(N, b)  # b = 1: A = I
    B1, B2 = circulant(beta1, M), circulant(beta2, M)

    def u(c, jacobian=False):
        cX = np.asarray(c, float)[:, None] * X
        g = cX if A is None else A @ cX  # (M, d)
        num, V = B1 @ g, B2 @ (g * g)  # (M, d)
        rs = _safe_div(np.ones_like(V), np.sqrt(V))
        uu = np.sum(num * rs, axis=0)
        if not jacobian:
            return uu
        G = B1.T @ rs - g * (B2.T @ (num * rs**3))
        return uu, (X * (G if A is None else A.T @ G)).T
    return u


def mixed_direction(X: np.ndarray, c: np.ndarray, beta1: float, beta2: float, b: int = 1,
                    jacobian: bool = False):
    """u_b(c) = sum_k [sum_l beta1^((k-l) mod M) gbar_l] / sqrt(sum_l beta2^((k-l) mod M) gbar_l^2), gbar = A (c x).

    b = 1 is Eq. (8)'s right-hand side (without C_inc).  With ``jacobian``, also du/dc (d x N); see
    :func:`direction_map` for repeated calls.
    """
    return direction_map(X, beta1, beta2, b)(c, jacobian)
