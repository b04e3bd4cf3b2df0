"""Ball-arithmetic pieces of the Thm 4.8 certificate (docs/math.md §13.3), built for large supports.

On the support S (A = X_S, m rows) the fixed point solves F(l) = s A D(l)^{-1} A^T l - 1 = 0 with
D(l)_k = sqrt(sum_j l_j^2 A_jk^2), s = sum(l), and Jacobian J(l) = b 1^T + s A B(l),
B_kl = A_lk (p_k - q_k A_lk l_l), b = A (g/D), p = 1/D, q = g/D^3, g = A^T l.

* :class:`ExactSupport` holds A as integers A_int 2^-E (every float64 is a dyadic rational) in python-flint
  fmpz matrices, so A^T l, A^2 l^2 and A u are exact big-integer matrix products; F(l) is then a ball
  vector at any precision (only the d square roots and quotients round).
* :func:`jacobian_row_bounds` encloses every Jacobian on the box L = l~ +- r as J_0 +- eps: J_0 is an exact
  integer matrix built from 24-bit roundings of A, p, q, l (two fmpz products of m x d by d x m, no
  per-entry ball arithmetic) and eps a proved entrywise bound of everything the roundings and the box
  leave out.  Krawczyk's operator then needs only |I - Y J_0| row sums (one fmpz m^3 product) plus
  m eps |Y| 1.
"""

from __future__ import annotations

import functools

import flint
import numpy as np

__all__ = ["ExactSupport", "jacobian_row_bounds", "box_balls", "pm", "dyadic_mids", "deviation", "T_BITS"]

T_BITS = 24  # roundings inside J_0: 2^-24 relative, so products of two or three stay small fmpz entries
BLOCK = 512  # columns per block of the squared matrices (bounds their memory)


def pm(x):
    """A ball containing [-|x|, |x|]."""
    return flint.arb(0, 1) * x


def dyadic_mids(balls, t: int) -> tuple[list[int], int]:
    """(ints, e): t-bit roundings of the midpoints at one exponent, |mid - ints 2^e| <= 2^(e-1)."""
    me = [tuple(int(v) for v in b.mid().man_exp()) for b in balls]
    e = max(m.bit_length() + x for m, x in me) - t
    return [m << (x - e) if x >= e else (m + (1 << (e - x - 1))) >> (e - x) for m, x in me], e


def deviation(balls, ints, e):
    """Proved upper bound of max_k |ball_k - ints_k 2^e|."""
    return max((b - flint.arb((v, e))).abs_upper() for b, v in zip(balls, ints))


def _round(ints, t):
    sh = max(max(abs(v) for v in ints).bit_length() - t, 0)
    if sh == 0:
        return list(ints), 0
    half = 1 << (sh - 1)
    return [(v + half) >> sh for v in ints], sh


class ExactSupport:
    """A = X_S as fmpz matrices with its exponent; F at the current flint precision."""

    def __init__(self, XS: np.ndarray):
        XS = np.asarray(XS, float)
        self.m, self.d = XS.shape
        mant, expo = np.frexp(XS)  # XS = mant 2^expo, mant * 2^53 an integer
        ints = (mant * 2.0**53).astype(np.int64)
        low = expo - 53
        self.E = int(-low[ints != 0].min()) if np.any(ints) else 0
        shift = (low + self.E).ravel().tolist()
        self.rows = [[int(v) << s if v else 0 for v, s in zip(r, shift[i * self.d:(i + 1) * self.d])]
                     for i, r in enumerate(ints.tolist())]
        self.XS = XS
        self.M = flint.fmpz_mat(self.rows)
        self.rowabs = [sum(abs(v) for v in r) for r in self.rows]
        self.amax = max(max(abs(v) for v in r) for r in self.rows)

    @functools.cached_property
    def colabs(self) -> list[int]:
        return [sum(abs(v) for v in c) for c in zip(*self.rows)]

    @functools.cached_property
    def colsq(self) -> list[int]:
        return self._squares([[1] * self.m])[0]

    def _squares(self, W: list[list[int]]) -> list[list[int]]:
        """W (A∘A) for integer rows W (each of length m), by column blocks (squared once, then kept)."""
        if not hasattr(self, "_sq"):
            self._sq = [flint.fmpz_mat([[v * v for v in r[k0:k0 + BLOCK]] for r in self.rows])
                        for k0 in range(0, self.d, BLOCK)]
        out = [[] for _ in W]
        Wm = flint.fmpz_mat(W)
        for blk in self._sq:
            P = (Wm * blk).entries()
            b = len(P) // len(W)
            for t in range(len(W)):
                out[t] += [int(v) for v in P[t * b:(t + 1) * b]]
        return out

    def parts(self, L: list[int], e: int):
        """(s, g, D2, u, base) as balls for l = L 2^e (exact integer products, then d roots and quotients)."""
        g = (flint.fmpz_mat(1, self.m, L) * self.M).entries()
        D2 = self._squares([[v * v for v in L]])[0]
        E = self.E
        u = [flint.arb((gk, e - E)) / flint.arb((dk, 2 * (e - E))).sqrt() for gk, dk in zip(g, D2)]
        ui, eu = dyadic_mids(u, flint.ctx.prec)
        du = deviation(u, ui, eu)
        base = [flint.arb((v, eu - E)) + pm(flint.arb((ra, -E)) * du)
                for v, ra in zip((self.M * flint.fmpz_mat(self.d, 1, ui)).entries(), self.rowabs)]
        return flint.arb((sum(L), e)), g, D2, u, base

    def F(self, L: list[int], e: int) -> list:
        s, _, _, _, base = self.parts(L, e)
        return [s * b - 1 for b in base]


def _prod_error(eps, bound):
    """|prod x - prod x^| <= sum_i eps_i prod_{j != i} bound_j (|x_i|, |x^_i| <= bound_i, |x_i - x^_i| <= eps_i)."""
    total = flint.arb(0)
    for i, e in enumerate(eps):
        term = e
        for j, b in enumerate(bound):
            if j != i:
                term = term * b
        total += term
    return total


def box_balls(sys: ExactSupport, L: list[int], R: int, e: int):
    """Enclosures over the box l in L 2^e +- R 2^e: (lambda, s, g, D^2, D, b) as ball lists, or None if the box
    reaches D = 0.  g moves by at most r sum_j |A_jk|, D^2 by (2 r max|l| + r^2) sum_j A_jk^2."""
    E = sys.E
    _, g, D2c, u, base = sys.parts(L, e)
    r = flint.arb((R, e))
    lamL = [flint.arb((v, e)) + pm(r) for v in L]
    sL = sum(lamL[1:], lamL[0])
    gL = [flint.arb((gk, e - E)) + pm(flint.arb((R * ca, e - E))) for gk, ca in zip(g, sys.colabs)]
    spread = flint.arb((2 * R * max(abs(v) for v in L) + R * R, 2 * (e - E)))
    D2L = [flint.arb((dk, 2 * (e - E))) + pm(spread * cs) for dk, cs in zip(D2c, sys.colsq)]
    if not all(v > 0 for v in D2L):
        return None
    DL = [v.sqrt() for v in D2L]
    du = max((gk / v - uk).abs_upper() for gk, v, uk in zip(gL, DL, u))
    bL = [b + pm(flint.arb((ra, -E)) * du) for b, ra in zip(base, sys.rowabs)]
    return lamL, sL, gL, D2L, DL, bL


def jacobian_row_bounds(sys: ExactSupport, L: list[int], R: int, e: int, Y: np.ndarray, ey: list[int]):
    """Upper bounds rho_i >= sum_l |I - Y J(l)|_il for every l in the box L 2^e +- R 2^e (module docstring);
    Y = Y_int scaled by 2^ey (rows).  None if the box reaches D = 0."""
    m, d, E = sys.m, sys.d, sys.E
    balls = box_balls(sys, L, R, e)
    if balls is None:
        return None
    lamL, sL, gL, D2L, DL, bL = balls
    pL, qL = [1 / v for v in DL], [gk / (v * w) for gk, v, w in zip(gL, DL, D2L)]
    if not all(v.is_finite() for v in pL + qL + bL):
        return None
    top = int(np.frexp(np.abs(sys.XS).max())[1])  # max|A| < 2^top
    Ah = np.rint(sys.XS * 2.0 ** (T_BITS - top)).astype(np.int64)  # exact: power-of-two scaling, then rint
    ea = top - T_BITS
    alpha = flint.arb((1, ea - 1))  # |A - Ah 2^ea| <= 2^(ea-1)
    amax = flint.arb((sys.amax, -E)) + alpha
    pi, ep = dyadic_mids(pL, T_BITS)
    qi, eq = dyadic_mids(qL, T_BITS)
    li, sl = _round(L, T_BITS)
    elh = e + sl
    bi, eb = dyadic_mids(bL, T_BITS)
    Pm = max(max(v.abs_upper() for v in pL), flint.arb((max(abs(v) for v in pi), ep)))
    Qm = max(max(v.abs_upper() for v in qL), flint.arb((max(abs(v) for v in qi), eq)))
    Lm = max(max(v.abs_upper() for v in lamL), flint.arb((max(abs(v) for v in li), elh)))
    dp, dq, dl, db = deviation(pL, pi, ep), deviation(qL, qi, eq), deviation(lamL, li, elh), deviation(bL, bi, eb)
    tau = (_prod_error((alpha, dp, alpha), (amax, Pm, amax))
           + _prod_error((alpha, dq, alpha, alpha, dl), (amax, Qm, amax, amax, Lm)))
    shat = sum(li)
    Tmax = d * (amax * amax * Pm + amax ** 3 * Qm * Lm)
    eps = db + m * dl * Tmax + abs(flint.arb((shat, elh))) * d * tau
    G1, G2 = flint.fmpz_mat(m, m), flint.fmpz_mat(m, m)
    pn, qn = np.array(pi, np.int64), np.array(qi, np.int64)  # 24-bit, so the products below fit in int64
    for k0 in range(0, d, BLOCK):
        blk = Ah[:, k0:k0 + BLOCK]
        G1 += flint.fmpz_mat((blk * pn[k0:k0 + BLOCK]).tolist()) * flint.fmpz_mat(blk.T.tolist())
        G2 += flint.fmpz_mat((blk * qn[k0:k0 + BLOCK]).tolist()) * flint.fmpz_mat((blk * blk).T.tolist())
    # J_0 = b^ 1^T + s^ (G1 2^(2ea+ep) - G2 diag(l^) 2^(3ea+eq+elh)), exactly, as integers times 2^eJ
    e1, e2 = elh + 2 * ea + ep, 2 * elh + 3 * ea + eq
    eJ = min(eb, e1, e2)
    c1, c2 = shat << (e1 - eJ), shat << (e2 - eJ)
    g1, g2 = [int(v) for v in G1.entries()], [int(v) for v in G2.entries()]
    J0 = [(bi[i] << (eb - eJ)) + c1 * g1[i * m + l] - c2 * g2[i * m + l] * li[l] for i in range(m) for l in range(m)]
    J1, shJ = _round(J0, T_BITS)
    eps = eps + (flint.arb((1, shJ - 1 + eJ)) if shJ else 0)
    H = [int(v) for v in (flint.fmpz_mat(np.asarray(Y, np.int64).tolist()) * flint.fmpz_mat(m, m, J1)).entries()]
    yabs = np.abs(np.asarray(Y, np.int64)).sum(axis=1).tolist()
    rho = []
    for i in range(m):
        f, row = ey[i] + eJ + shJ, H[i * m:(i + 1) * m]
        off = sum(abs(v) for v in row) - abs(row[i])
        rho.append(flint.arb((off, f)) + abs(1 - flint.arb((row[i], f))) + m * eps * flint.arb((yabs[i], ey[i])))
    return rho
