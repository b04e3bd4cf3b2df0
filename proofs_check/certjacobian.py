"""The trusted kernel's bounds of |I - Y J(l)| on a Krawczyk box (docs/math.md §13.3), and its exact helpers.

Part of the trusted base of :mod:`proofs_check.certcheck` (python-flint balls and integers only).  Two ways to
bound the rows rho_i >= sum_l |I - Y J(l)|_il for every l on the box, as the certificate says:

* ``rounded`` (:func:`jacobian_rows`): J_1 an integer matrix built from T_BITS-bit roundings, plus E, a proved
  bound of the row sums of |J(l) - J_1|: |I - Y J_1| 1 + |Y| E.  Big-integer products only: any support size.
* ``enclosure`` (:func:`jacobian_enclosure`): J(L) itself as a ball matrix.  No grid, so nothing is lost to
  columns many binades apart, at m^2 d ball operations (ENCLOSURE_WORK at most).
"""

import flint

__all__ = ["jacobian_rows", "jacobian_enclosure", "ball", "ball_pm", "grid_mids", "grid_dev", "T_BITS", "BLOCK",
           "ENCLOSURE_WORK"]

T_BITS = 24  # roundings inside J_1 (2^-24 relative; products of two stay below 2^62: fast fmpz products)
BLOCK = 512  # rows or columns per block of the big-integer matrices (bounds their memory)
ENCLOSURE_WORK = 5_000_000  # m^2 d at most for a 'jacobian': 'enclosure' file (>= the prover's 2e6; ~0.1 s)


def ball(m, e=0):  # the ball m 2^e (exact)
    return flint.arb((m, e))


def ball_pm(x):  # a ball containing [-|x|, |x|]
    return flint.arb(0, 1) * x


def grid_mids(balls, t):
    """(ints, e): t-bit roundings of the balls' midpoints at one exponent e, |mid - ints 2^e| <= 2^(e-1)."""
    me = [tuple(int(v) for v in b.mid().man_exp()) for b in balls]
    e = max(m.bit_length() + x for m, x in me) - t
    return [m << (x - e) if x >= e else (m + (1 << (e - x - 1))) >> (e - x) for m, x in me], e


def grid_dev(balls, ints, e):
    """Proved upper bounds of |ball_k - ints_k 2^e|, one per k."""
    return [(b - ball(v, e)).abs_upper() for b, v in zip(balls, ints)]


def _upper_ints(balls, t=30):
    """(ints, e) with ints_k 2^e >= the upper end of ball_k (nonnegative balls; t-bit ints, rounded up)."""
    me = [tuple(int(x) for x in b.upper().mid().man_exp()) for b in balls]
    e = max(m.bit_length() + x for m, x in me) - t
    return [m << (x - e) if x >= e else -((-m) >> (e - x)) for m, x in me], e


def _shift(t, *maxima):
    """(sh, half): rounding (v + half) >> sh of values below prod(maxima) keeps at most t bits (half up)."""
    p = 1
    for v in maxima:
        p *= v
    sh = max(p.bit_length() - t, 0)
    return sh, (1 << (sh - 1)) if sh else 0


def jacobian_rows(A, E, c, Y, ey):
    """rho_i >= sum_l |I - Y J(l)|_il for every l on the box (module docstring; docs/math.md §13.3)."""
    m, d, t = len(A), len(A[0]), T_BITS
    sa, ha = _shift(t, max(max(map(abs, r)) for r in A))
    ea, alpha = sa - E, (ball(1, sa - E - 1) if sa else flint.arb(0))
    (pi, ep), (qi, eq) = grid_mids(c["p"], t), grid_mids(c["q"], t)
    (li, el), (bi, eb) = grid_mids(c["lam"], t), grid_mids(c["b"], t)
    dp, dq, db = grid_dev(c["p"], pi, ep), grid_dev(c["q"], qi, eq), grid_dev(c["b"], bi, eb)
    dl = max(grid_dev(c["lam"], li, el))
    Pb = [max(v.abs_upper(), ball(abs(w), ep)) for v, w in zip(c["p"], pi)]
    Qb = [max(v.abs_upper(), ball(abs(w), eq)) for v, w in zip(c["q"], qi)]
    lmax = max(max(v.abs_upper() for v in c["lam"]), ball(max(map(abs, li)), el))
    ah = (max(max(map(abs, r)) for r in A) + ha) >> sa
    (s1, h1), (s2, h2), (sv, hv) = _shift(t, ah, max(map(abs, pi))), _shift(t, ah, max(map(abs, qi))), _shift(t, ah, ah)
    # rounding errors of U1, U2, V2 (half a unit of their grids); none where the shift is 0 (small integer data)
    nu1, nu2, nu3 = (ball(1, s + x - 1) if s else flint.arb(0) for s, x in ((s1, ea + ep), (s2, ea + eq), (sv, 2 * ea)))
    C1 = [ball(x, -E) + m * alpha for x in c["colabs"]]
    S2 = [ball(x, -2 * E) + 2 * alpha * ball(y, -E) + m * alpha * alpha for x, y in zip(c["colsq"], c["colabs"])]
    sabs, ds = ball(abs(sum(li)), el), m * dl
    v = [ds * (P * c1 + Q * lmax * s2) + sabs * (dpk * c1 + alpha * m * P + Q * dl * s2 + dqk * lmax * s2
                                                 + Q * lmax * (2 * alpha * c1 + m * nu3))
         for P, Q, c1, s2, dpk, dqk in zip(Pb, Qb, C1, S2, dp, dq)]
    c0 = sabs * sum(((alpha * P + nu1) * c1 + nu1 * alpha * m + (alpha * Q + nu2) * lmax * s2
                     + nu2 * lmax * (2 * alpha * c1 + m * nu3) for P, Q, c1, s2 in zip(Pb, Qb, C1, S2)), flint.arb(0))
    vi, ev = _upper_ints(v)
    G1, G2, Av = flint.fmpz_mat(m, m), flint.fmpz_mat(m, m), [0] * m
    for k0 in range(0, d, BLOCK):
        hb = [[(x + ha) >> sa for x in r[k0:k0 + BLOCK]] for r in A]
        U1 = [[(x * p + h1) >> s1 for x, p in zip(r, pi[k0:k0 + BLOCK])] for r in hb]
        U2 = [[(x * q + h2) >> s2 for x, q in zip(r, qi[k0:k0 + BLOCK])] for r in hb]
        V2 = [[(x * x + hv) >> sv for x in r] for r in hb]
        G1 += flint.fmpz_mat(U1) * flint.fmpz_mat(hb).transpose()
        G2 += flint.fmpz_mat(U2) * flint.fmpz_mat(V2).transpose()
        Av = [s + sum(abs(x) * y for x, y in zip(r[k0:k0 + BLOCK], vi[k0:k0 + BLOCK])) for s, r in zip(Av, A)]
    # J_0 = b^ 2^eb + s^ 2^el (G1 2^x1 - G2 diag(l^) 2^x2), exactly, as integers times 2^e; J_1 its t-bit rounding
    x1, x2 = s1 + 2 * ea + ep + el, s2 + eq + sv + 3 * ea + 2 * el
    e, sh_ = min(eb, x1, x2), sum(li)
    g1, g2 = [int(x) for x in G1.entries()], [int(x) for x in G2.entries()]
    del G1, G2
    J0 = [(bi[i] << (eb - e)) + ((sh_ * g1[i * m + k]) << (x1 - e)) - ((sh_ * g2[i * m + k] * li[k]) << (x2 - e))
          for i in range(m) for k in range(m)]
    del g1, g2
    sj, hj = _shift(t, max(map(abs, J0)))
    H = (Y * flint.fmpz_mat(m, m, [(x + hj) >> sj for x in J0])).entries()
    del J0
    const = c0 + alpha * sum(v, flint.arb(0)) + m * ball(1, e + sj - 1)
    Ej, eE = _upper_ints([ball(a, ev - E) + const + m * x for a, x in zip(Av, db)])
    Yl = Y.entries()
    rho = []
    for i in range(m):
        f, row = ey[i] + e + sj, H[i * m:(i + 1) * m]
        yE = sum(abs(int(y)) * x for y, x in zip(Yl[i * m:(i + 1) * m], Ej))
        rho.append(ball(sum(abs(int(h)) for h in row) - abs(int(row[i])), f) + abs(1 - ball(row[i], f)) + ball(yE, eE + ey[i]))
    return rho


def jacobian_enclosure(A, E, c, s, Y, ey):
    """rho_i >= sum_l |I - Y J(l)|_il on the box from J(L) = b 1^T + s A B(L), B_kl = A_lk (p_k - q_k A_lk l_l),
    evaluated directly in ball arithmetic (each ball encloses its quantity on the whole box)."""
    m, d = len(A), len(A[0])
    a = [[ball(x, -E) for x in r] for r in A]
    p, q, lam = c["p"], c["q"], c["lam"]
    B = flint.arb_mat([[a[l][k] * (p[k] - q[k] * a[l][k] * lam[l]) for l in range(m)] for k in range(d)])
    J = flint.arb_mat(a) * B * s + flint.arb_mat([[b] * m for b in c["b"]])
    Yl = Y.entries()
    M = flint.arb_mat([[int(i == j) for j in range(m)] for i in range(m)]) - flint.arb_mat(
        [[ball(int(Yl[i * m + j]), ey[i]) for j in range(m)] for i in range(m)]) * J
    return [sum((M[i, j].abs_upper() for j in range(m)), flint.arb(0)) for i in range(m)]
