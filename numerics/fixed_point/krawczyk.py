"""Ball-arithmetic pieces of the Thm 4.8 certificate (docs/math.md §13.3), built for large supports.

On the support S (A = X_S, m rows) the fixed point solves F(l) = s A D(l)^{-1} A^T l - 1 = 0 with
D(l)_k = sqrt(sum_j l_j^2 A_jk^2), s = sum(l), and Jacobian J(l) = b 1^T + s A B(l),
B_kl = A_lk (p_k - q_k A_lk l_l), b = A (g/D), p = 1/D, q = g/D^3, g = A^T l.

* :class:`ExactSupport` evaluates F(l) as balls at any precision from exact integer products
  (A^T l, (A o A)^T l^2 and A u through float64 BLAS on integer slices, :mod:`.sliced`); only the d
  square roots and quotients round.
* :func:`jacobian_row_bounds` bounds the rows of |I - Y J(l)| for every l in the box L = l~ +- r by
  |I - Y J_1| 1 + |Y| E: J_1 is a t-bit point matrix built from t-bit roundings (U1 = [A^ p^], U2 = [A^ q^],
  V2 = [A^ o A^], G1 = U1 A^T, G2 = U2 V2^T, J_0 = b^ 1^T + s^ (G1 - G2 diag(l^)), J_1 = [J_0]) and E_j a
  proved bound of sum_l |J(l)_jl - J_1,jl| assembled from column sums (docs/math.md §13.3), so |Y| E
  is a matrix-vector product and no entrywise worst case multiplies m.  The float64 products
  carry a priori error bounds gamma_n = n u / (1 - n u) (Higham, Accuracy and Stability, Thm 3.1;
  valid for any summation order), so these bounds hold for IEEE binary64 with round to nearest.
"""

from __future__ import annotations

import functools
import math

import flint
import numpy as np

from .sliced import SlicedMatrix

__all__ = ["ExactSupport", "jacobian_row_bounds", "enclosure_row_bounds", "box_balls", "pm", "dyadic_mids",
           "deviation", "T_BITS", "Y_BITS", "ENCLOSURE_WORK"]

T_BITS = 24  # roundings inside J_1: 2^-24 relative, so the checker's big-integer products stay small
#: bits of Krawczyk's preconditioner Y (int32 in the certificate): Y's own rounding adds ~cond(J) 2^-Y_BITS to
#: |I - Y J|, so 30 bits keep the test open up to cond(J) ~ 1e8 (24 bits closed it at ~1e6: wine, cond 6e5)
Y_BITS = 30
#: m^2 d at most for :func:`enclosure_row_bounds` (measured: 0.04 s at m = 85, d = 200, m^2 d = 1.4e6; a bound on
#: what the prover tries after the rounded bound failed, not a cost limit it is near)
ENCLOSURE_WORK = 2_000_000
BLOCK = 1024  # columns per block of the rounded m x d matrices (bounds their memory)
U = 2.0 ** -53  # unit roundoff of binary64


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


def _gamma(n: int) -> float:
    """An upper bound (as a float) of gamma_n = n u / (1 - n u), with room for the rounding of this formula."""
    return 1.01 * n * U / (1 - n * U)


def _up(x) -> float:
    """A float >= the ball x's upper end."""
    f = float(x.upper())
    return f if flint.arb(f) >= x.upper() else float(np.nextafter(f, np.inf))


class ExactSupport:
    """A = X_S as exact integer slices (A = A_int 2^-E); F at the current flint precision."""

    def __init__(self, XS: np.ndarray):
        self.XS = np.asarray(XS, float)
        self.m, self.d = self.XS.shape
        self.A = SlicedMatrix(self.XS)
        if self.A.tail:
            raise ValueError("the entries of X span more than 320 binades: F cannot be evaluated exactly")
        self.E = self.A.E
        self.rowabs = self.A.row_abs()

    @functools.cached_property
    def colabs(self) -> list[int]:
        return self.A.col_abs()

    @functools.cached_property
    def colsq(self) -> list[int]:
        return self.A.sq_vecmat([1] * self.m)

    def parts(self, L: list[int], e: int):
        """(s, g, D2, u, base) as balls for l = L 2^e (exact integer products, then d roots and quotients)."""
        g = self.A.vecmat(L)
        D2 = self.A.sq_vecmat([v * v for v in L])
        E = self.E
        u = [flint.arb((gk, e - E)) / flint.arb((dk, 2 * (e - E))).sqrt() for gk, dk in zip(g, D2)]
        ui, eu = dyadic_mids(u, flint.ctx.prec)
        du = deviation(u, ui, eu)
        base = [flint.arb((v, eu - E)) + pm(flint.arb((ra, -E)) * du) for v, ra in zip(self.A.matvec(ui), self.rowabs)]
        return flint.arb((sum(L), e)), g, D2, u, base

    def F(self, L: list[int], e: int) -> list:
        s, _, _, _, base = self.parts(L, e)
        return [s * b - 1 for b in base]


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


def _jacobian_parts(sys: ExactSupport, L: list[int], R: int, e: int):
    """(lambda, s, b, p = 1/D, q = g/D^3) enclosed on the box, or None where the box reaches D = 0 or a ball is not
    finite: what J(l) = b 1^T + s A B(l) is built from."""
    balls = box_balls(sys, L, R, e)
    if balls is None:
        return None
    lamL, sL, gL, D2L, DL, bL = balls
    pL, qL = [1 / v for v in DL], [gk / (v * w) for gk, v, w in zip(gL, DL, D2L)]
    return (lamL, sL, bL, pL, qL) if all(v.is_finite() for v in pL + qL + bL) else None


def enclosure_row_bounds(sys: ExactSupport, L: list[int], R: int, e: int, Y: np.ndarray, ey: list[int]):
    """Upper bounds rho_i >= sum_l |I - Y J(l)|_il on the box by direct ball arithmetic, or None if the box
    reaches D = 0.

    J(L) = b 1^T + s A B(L), B_kl = A_lk (p_k - q_k A_lk l_l), is evaluated as an arb matrix from the box's
    enclosures of l, s, p = 1/D, q = g/D^3 and b (each encloses its quantity for every l in the box, so J(L)
    encloses every J(l)).  No t-bit grid: exact where :func:`jacobian_row_bounds` is too coarse (one grid for all
    columns, so columns of X many binades apart lose their small entries to it), at m^2 d ball operations
    (ENCLOSURE_WORK bounds what the prover tries)."""
    parts = _jacobian_parts(sys, L, R, e)
    if parts is None:
        return None
    lamL, sL, bL, pL, qL = parts
    A = [[flint.arb(float(x)) for x in row] for row in sys.XS]  # float64 entries are exact balls
    m, d = sys.m, sys.d
    B = flint.arb_mat([[A[l][k] * (pL[k] - qL[k] * A[l][k] * lamL[l]) for l in range(m)] for k in range(d)])
    J = flint.arb_mat(A) * B * sL + flint.arb_mat([[bL[j]] * m for j in range(m)])
    Yb = flint.arb_mat([[flint.arb((int(y), int(ey[i]))) for y in row] for i, row in enumerate(np.asarray(Y))])
    M = flint.arb_mat([[1 if i == j else 0 for j in range(m)] for i in range(m)]) - Yb * J
    return [sum((M[i, j].abs_upper() for j in range(m)), flint.arb(0)) for i in range(m)]


def _grid(x: np.ndarray, t: int) -> tuple[np.ndarray, int]:
    """(n, sh): x rounded to the nearest multiple of 2^sh, |x - n 2^sh| <= 2^(sh-1) exactly and |n| <= 2^t."""
    top = int(np.frexp(np.abs(x).max())[1]) if np.any(x) else 0
    sh = top - t
    return np.rint(np.ldexp(x, -sh)), sh  # exact: a power-of-two scaling, then rounding to the nearest integer


def jacobian_row_bounds(sys: ExactSupport, L: list[int], R: int, e: int, Y: np.ndarray, ey: list[int]):
    """Upper bounds rho_i >= sum_l |I - Y J(l)|_il for every l in the box L 2^e +- R 2^e (module docstring);
    Y = Y_int scaled by 2^ey (rows).  None if the box reaches D = 0."""
    m, d, t = sys.m, sys.d, T_BITS
    parts = _jacobian_parts(sys, L, R, e)
    if parts is None:
        return None
    lamL, sL, bL, pL, qL = parts
    A = sys.XS
    Ah, ea = _grid(A, t)  # A^ 2^ea, |A - A^ 2^ea| <= alpha
    alpha = flint.arb((1, ea - 1))
    pi, ep = dyadic_mids(pL, t)
    qi, eq = dyadic_mids(qL, t)
    li, el = dyadic_mids(lamL, t)
    bi, eb = dyadic_mids(bL, t)
    dp = [(v - flint.arb((w, ep))).abs_upper() for v, w in zip(pL, pi)]  # per-k deviations over the box
    dq = [(v - flint.arb((w, eq))).abs_upper() for v, w in zip(qL, qi)]
    dl = deviation(lamL, li, el)
    db = [(v - flint.arb((w, eb))).abs_upper() for v, w in zip(bL, bi)]
    Pb = [max(v.abs_upper(), flint.arb((abs(w), ep))) for v, w in zip(pL, pi)]  # bounds of |p| and |p^|
    Qb = [max(v.abs_upper(), flint.arb((abs(w), eq))) for v, w in zip(qL, qi)]
    lam_max = max(max(v.abs_upper() for v in lamL), flint.arb((max(abs(v) for v in li), el)))
    shat = sum(li)
    ds = m * dl  # |s - s^| on the box
    pf, qf, lf = np.array(pi, float), np.array(qi, float), np.array(li, float)
    # rounded m x d matrices, column block by column block: G1 = U1 A^T, G2 = U2 V2^T and the row sums of |U1|, |U2|
    G1, G2 = np.zeros((m, m)), np.zeros((m, m))
    colA = np.zeros(d)
    sh1 = int(np.frexp(np.abs(Ah).max() * np.abs(pf).max())[1]) - t  # U1 = [A^ p^ 2^-sh1]: one grid for all blocks
    sh2 = int(np.frexp(np.abs(Ah).max() * np.abs(qf).max())[1]) - t
    shv = int(np.frexp(np.abs(Ah).max() ** 2)[1]) - t
    absU1, absU2, absV2l = np.zeros(m), np.zeros(m), np.zeros(d)
    for k0 in range(0, d, BLOCK):
        a = Ah[:, k0:k0 + BLOCK]
        U1 = np.rint(np.ldexp(a * pf[k0:k0 + BLOCK], -sh1))  # exact: a p^ has <= 2t bits, then one rounding
        U2 = np.rint(np.ldexp(a * qf[k0:k0 + BLOCK], -sh2))
        V2 = np.rint(np.ldexp(a * a, -shv))
        G1 += U1 @ a.T
        G2 += U2 @ V2.T
        colA[k0:k0 + BLOCK] = np.abs(a).sum(axis=0)
        absV2l[k0:k0 + BLOCK] = np.abs(V2).T @ np.abs(lf)
        absU1 += np.abs(U1) @ colA[k0:k0 + BLOCK]
        absU2 += np.abs(U2) @ absV2l[k0:k0 + BLOCK]
    # J_0 = b^ 1^T + s^ (G1 2^x1 - G2 diag(l^) 2^x2) in float64, then J_1 = [J_0] on a t-bit grid
    x1, x2 = sh1 + 2 * ea + ep, sh2 + eq + shv + 3 * ea + el  # units of G1 and of G2 diag(l^)
    T1, T2 = np.ldexp(G1, x1), np.ldexp(G2 * lf[None, :], x2)
    sf = math.ldexp(shat, el)
    J0 = np.ldexp(np.array(bi, float), eb)[:, None] + sf * (T1 - T2)
    J1, eJ = _grid(J0, t)
    # float errors: the two products (gamma_d, as row sums of |U1||A^|^T and |U2||V2|^T|l^|), the combination of J_0
    # (four roundings per entry, <= 5u of the magnitudes) and the rounding to the grid of J_1
    gd = _gamma(d + 2)
    mag = np.abs(np.ldexp(np.array(bi, float), eb))[:, None] + abs(sf) * (np.abs(T1) + np.abs(T2))
    ferr = 2 * (gd * abs(sf) * (np.ldexp(absU1, x1) + np.ldexp(absU2, x2)) + 6 * U * mag.sum(axis=1))
    del T1, T2, mag, G1, G2
    # E_j >= sum_l |J(l)_jl - J_1,jl| on the box: m db_j + c0 + sum_k (|A_jk| + alpha) v_k (docs/math.md §13.3)
    E_ = sys.E
    C1 = [flint.arb((c, -E_)) + m * alpha for c in sys.colabs]  # sum_l (|A_lk| + alpha)
    S2 = [flint.arb((c, -2 * E_)) + 2 * alpha * flint.arb((ca, -E_)) + m * alpha * alpha
          for c, ca in zip(sys.colsq, sys.colabs)]  # sum_l (|A_lk| + alpha)^2
    nu1, nu2, nu3 = flint.arb((1, sh1 + ea + ep - 1)), flint.arb((1, sh2 + ea + eq - 1)), flint.arb((1, shv + 2 * ea - 1))
    sabs = flint.arb((abs(shat), el))
    v = [ds * (P * c1 + Q * lam_max * s2)
         + sabs * (dpk * c1 + alpha * m * P + Q * dl * s2 + dqk * lam_max * s2 + Q * lam_max * (2 * alpha * c1 + m * nu3))
         for P, Q, c1, s2, dpk, dqk in zip(Pb, Qb, C1, S2, dp, dq)]
    c0 = sabs * sum(((alpha * P + nu1) * c1 + nu1 * alpha * m + (alpha * Q + nu2) * lam_max * s2
                     + nu2 * lam_max * (2 * alpha * c1 + m * nu3) for P, Q, c1, s2 in zip(Pb, Qb, C1, S2)),
                    flint.arb(0))
    vf = np.array([_up(x) for x in v])
    Av = (np.abs(A) @ vf) * (1 + _gamma(d + 2))  # an upper bound of sum_k |A_jk| v_k (nonnegative terms)
    const = _up(c0 + alpha * sum(v, flint.arb(0)) + m * flint.arb((1, eJ - 1)))
    Ej = [Av[j] + ferr[j] + const + _up(m * db[j]) for j in range(m)]
    # rows of |I - Y J_1| (float64 product with its own gamma_m bound) plus |Y| E
    Yf = np.asarray(Y, float)
    H = Yf @ J1  # (Y J_1)_il = H_il 2^(ey_i + eJ)
    f = np.array(ey) + eJ
    R0 = np.abs(np.eye(m) - np.ldexp(H, f[:, None])).sum(axis=1)
    Hb = np.ldexp((np.abs(Yf) @ np.abs(J1).sum(axis=1)) * _gamma(m + 2), f)
    YE = np.ldexp(np.abs(Yf) @ np.array(Ej), np.array(ey))
    rho = (R0 * (1 + _gamma(m + 2)) + Hb + YE * (1 + _gamma(m + 2))) * (1 + 64 * U)  # + the roundings of these sums
    return [flint.arb(float(x)) for x in rho]
