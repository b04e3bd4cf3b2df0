"""The trusted kernel: re-verify a ``predict --certificate-out`` file from the data alone.

Exact integers (Python ints, flint fmpz/nmod matrices) and python-flint balls only; nothing from
the solvers.  X is read by :mod:`proofs_check.certdata` as X_int 2^-E.  Checked, in order:

* the data file's SHA-256 and shape;
* l2 (Soudry et al.): w, lambda >= 0 give 1/2||w*||^2 in [1^T l - 1/2||X^T l||^2, 1/2||w/min Xw||^2] (weak duality)
  with relative gap <= GAP, and ||u - u*|| <= 2 sqrt(2 gap / dual) for u = w/||w|| (strong convexity);
* l_inf (Zhang et al.): min ||w||_inf s.t. Xw >= 1 lies in [1^T l/||X^T l||_1, ||w||_inf/min Xw], gap <= GAP;
* Thm 4.8 fixed point (docs/math.md §13.3): Krawczyk's test for F_S(l) = s A D(l)^-1 A^T l - 1 on the box
  L = l~ +- r with the shipped preconditioner Y: |Y F(l~)| + |I - Y J(L)| r 1 < r, where J(L) is enclosed
  as J_0 +- Eps with J_0 an exact integer matrix built from t-bit roundings and Eps a proved bound; then
  l > 0 on L, D > 0, <x_j, w> > 1 off S, LICQ (det of m columns of A nonzero mod a prime), and the
  claimed c and direction within the claimed radius of the proved enclosures.
"""

import hashlib  # noqa: F401 -- via certdata.sha256
import json
from fractions import Fraction

import flint

from .certdata import DataError, read, sha256

__all__ = ["CertificateError", "verify", "GAP"]

# Relative duality gap a max-margin certificate may leave: the solvers accept KKT residuals of 1e-8.
GAP = Fraction(1, 10**8)
T_BITS = 24  # roundings inside the Jacobian enclosure (2^-24 relative; products stay small fmpz)
BLOCK = 512  # columns per block when squaring A (bounds the memory of the big-integer matrices)


class CertificateError(Exception):
    """The first condition that does not hold (one line)."""


def _need(ok, what):
    if not ok:
        raise CertificateError(what)


def _pm(x):
    """A ball containing [-|x|, |x|]."""
    return flint.arb(0, 1) * x


def _q(x):
    """A ball around the rational x."""
    return flint.arb(flint.fmpq(x.numerator, x.denominator))


def _s(x):
    return x.str(10)


def _ints(values):
    """Exact (ints, e) with values = ints 2^e for JSON floats."""
    rat = [Fraction(v) for v in values]
    _need(all(q.denominator & (q.denominator - 1) == 0 for q in rat), "a number is not a binary float")
    e = max((q.denominator.bit_length() - 1 for q in rat), default=0)
    return [int(q * (1 << e)) for q in rat], -e


def _round(ints, t):
    """(r, sh): |v - r 2^sh| <= 2^(sh-1), r of at most t bits."""
    sh = max(max(abs(v) for v in ints).bit_length() - t, 0)
    if sh == 0:
        return list(ints), 0
    half = 1 << (sh - 1)
    return [(v + half) >> sh for v in ints], sh


def _mids(balls, t):
    """(ints, e): t-bit dyadic roundings of the balls' midpoints at one exponent e."""
    me = [tuple(int(v) for v in b.mid().man_exp()) for b in balls]
    e = max(m.bit_length() + x for m, x in me) - t
    return [m << (x - e) if x >= e else (m + (1 << (e - x - 1))) >> (e - x) for m, x in me], e


def _dev(balls, ints, e):
    """Proved upper bound of max_k |ball_k - ints_k 2^e|."""
    return max((b - flint.arb((v, e))).abs_upper() for b, v in zip(balls, ints))


def _maxabs(balls):
    return max(b.abs_upper() for b in balls)


def _prod_error(eps, bound):
    """|prod x - prod x^| <= sum_i eps_i prod_{j != i} bound_j when |x_i|, |x^_i| <= bound_i, |x_i - x^_i| <= eps_i."""
    total = flint.arb(0)
    for i, e in enumerate(eps):
        term = e
        for j, b in enumerate(bound):
            term = term * b if j != i else term
        total += term
    return total


def _max_margin(kind, cert, XM, X, E, out):
    w, ew = _ints(cert["w"])
    lam, el = _ints(cert["multipliers"])
    N, d = XM.nrows(), XM.ncols()
    _need(len(w) == d and len(lam) == N, f"{kind}: w needs d and the multipliers N entries")
    _need(min(lam) >= 0 and max(lam) > 0, f"{kind}: multipliers must be >= 0 and not all 0")
    z = (XM * flint.fmpz_mat(d, 1, w)).entries()  # X w = z 2^(ew - E)
    zmin = Fraction(int(min(z))) * Fraction(2) ** (ew - E)
    _need(zmin > 0, f"{kind}: w does not separate the data (min <x_i, w> <= 0)")
    v = [Fraction(int(x)) * Fraction(2) ** (el - E) for x in (flint.fmpz_mat(1, N, lam) * XM).entries()]
    s = Fraction(sum(lam)) * Fraction(2) ** el
    if kind == "l2":
        primal = Fraction(sum(x * x for x in w)) * Fraction(2) ** (2 * ew) / (2 * zmin * zmin)
        dual = s - sum(x * x for x in v) / 2
        _need(dual > 0 and primal - dual <= GAP * dual, f"l2: duality gap above {float(GAP):g} (relative)")
        with flint.ctx.workprec(128):
            lo, hi = (1 / (2 * _q(primal)).sqrt()), (1 / (2 * _q(dual)).sqrt())
            err = 2 * (2 * _q(primal - dual) / _q(dual)).sqrt()
            out.append(f"l2: max margin in [{_s(lo.lower())}, {_s(hi.upper())}]; the certified direction w/||w|| is "
                       f"within {_s(err.upper())} of the unique l2 max-margin direction")
    else:
        primal = Fraction(max(abs(x) for x in w)) * Fraction(2) ** ew / zmin
        dual = s / sum(abs(x) for x in v)
        _need(primal - dual <= GAP * dual, f"linf: duality gap above {float(GAP):g} (relative)")
        with flint.ctx.workprec(128):
            out.append(f"linf: max l_inf margin in [{_s((1 / _q(primal)).lower())}, {_s((1 / _q(dual)).upper())}], "
                       "the lower end attained by the certified w")


def _fixed_point(fp, X, E, out):
    N, d = len(X), len(X[0])
    S = [int(i) for i in fp["support"]]
    m = len(S)
    _need(m and S == sorted(set(S)) and S[0] >= 0 and S[-1] < N and m <= d, "support: sorted distinct rows, m <= d")
    lam, el = [int(v) for v in fp["lambda"]["m"]], int(fp["lambda"]["e"])
    rm, er = int(fp["radius"]["m"]), int(fp["radius"]["e"])
    _need(len(lam) == m and rm > 0, "lambda needs one entry per support index and the radius must be > 0")
    e0 = min(el, er)
    L, R = [v << (el - e0) for v in lam], rm << (er - e0)  # lambda~ = L 2^e0, r = R 2^e0
    _need(min(L) > R, "multipliers_positive: min lambda~ - r > 0 on the box")
    A = [X[i] for i in S]
    cols = list(zip(*A))
    _need(all(any(c) for c in cols), "preconditioner_positive: a coordinate vanishes on every support vector")
    colabs, rowabs = [sum(abs(v) for v in c) for c in cols], [sum(abs(v) for v in r) for r in A]
    del cols
    prec = max(L).bit_length() + 64  # L carries the box's scale: r is ~2^-190 relative at 50 digits
    with flint.ctx.workprec(prec):
        AM = flint.fmpz_mat(A)
        g = (flint.fmpz_mat(1, m, L) * AM).entries()  # A^T lambda~ = g 2^(e0 - E)
        W = flint.fmpz_mat([[v * v for v in L], [(v - R) ** 2 for v in L], [(v + R) ** 2 for v in L]])
        D2 = [[], [], []]  # sum_j A_jk^2 lambda_j^2 at lambda~, lambda~ - r, lambda~ + r (all >= 0: lambda > 0)
        for k0 in range(0, d, BLOCK):
            P = (W * flint.fmpz_mat([[v * v for v in r[k0:k0 + BLOCK]] for r in A])).entries()
            b = len(P) // 3
            for t in range(3):
                D2[t] += P[t * b:(t + 1) * b]
        sD = 2 * (e0 - E)
        u = [flint.arb((gk, e0 - E)) / flint.arb((dk, sD)).sqrt() for gk, dk in zip(g, D2[0])]
        ui, eu = _mids(u, prec)
        base = [flint.arb((v, eu - E)) + _pm(flint.arb((ra, -E)) * _dev(u, ui, eu))
                for v, ra in zip((AM * flint.fmpz_mat(d, 1, ui)).entries(), rowabs)]
        s = flint.arb((sum(L), e0))
        F = [s * b - 1 for b in base]
        ey = [int(v) for v in fp["preconditioner"]["row_exponents"]]
        raw = memoryview(bytes.fromhex(fp["preconditioner"]["int32_hex"]))
        Yflat = raw.cast("i").tolist()
        _need(len(ey) == m and len(Yflat) == m * m, "preconditioner: Y must be m x m")
        YM = flint.fmpz_mat(m, m, Yflat)
        yabs = [sum(abs(v) for v in Yflat[i * m:(i + 1) * m]) for i in range(m)]
        del Yflat
        Fi, eF = _mids(F, prec)
        radF = _dev(F, Fi, eF)
        z = [flint.arb((h, e + eF)) + _pm(flint.arb((ya, e)) * radF)
             for h, e, ya in zip((YM * flint.fmpz_mat(m, 1, Fi)).entries(), ey, yabs)]
        # -- the Jacobian on the box: J(lambda) = b 1^T + s A B(lambda), B_kl = A_lk (p_k - q_k A_lk lambda_l)
        r = flint.arb((R, e0))
        lamL = [flint.arb((v, e0)) + _pm(r) for v in L]
        sL = sum(lamL[1:], lamL[0])
        gL = [flint.arb((gk, e0 - E)) + _pm(flint.arb((R * ca, e0 - E))) for gk, ca in zip(g, colabs)]
        D2L = [flint.arb((lo + hi, sD - 1)) + _pm(flint.arb((hi - lo, sD - 1))) for lo, hi in zip(D2[1], D2[2])]
        DL = [v.sqrt() for v in D2L]
        pL, qL = [1 / v for v in DL], [gk / (v * w) for gk, v, w in zip(gL, DL, D2L)]
        du = max((gk / v - uk).abs_upper() for gk, v, uk in zip(gL, DL, u))
        bL = [b + _pm(flint.arb((ra, -E)) * du) for b, ra in zip(base, rowabs)]
        _need(all(v.is_finite() for v in pL + qL + bL), "krawczyk: the box is too wide to enclose the Jacobian")
        Ah, sh = _round([v for row in A for v in row], T_BITS)
        ea, alpha = sh - E, (flint.arb((1, sh - 1 - E)) if sh else flint.arb(0))
        amax = flint.arb((max(abs(v) for row in A for v in row), -E)) + alpha
        pi, ep = _mids(pL, T_BITS)
        qi, eq = _mids(qL, T_BITS)
        li, sl = _round(L, T_BITS)
        elh = e0 + sl
        bi, eb = _mids(bL, T_BITS)
        Pm = max(_maxabs(pL), flint.arb((max(abs(v) for v in pi), ep)))
        Qm = max(_maxabs(qL), flint.arb((max(abs(v) for v in qi), eq)))
        Lm = max(_maxabs(lamL), flint.arb((max(li), elh)))
        dp, dq, dl, db = _dev(pL, pi, ep), _dev(qL, qi, eq), _dev(lamL, li, elh), _dev(bL, bi, eb)
        tau = (_prod_error((alpha, dp, alpha), (amax, Pm, amax))
               + _prod_error((alpha, dq, alpha, alpha, dl), (amax, Qm, amax, amax, Lm)))
        shat = flint.arb((sum(li), elh))
        Tmax = d * (amax * amax * Pm + amax ** 3 * Qm * Lm)
        eps = db + m * dl * Tmax + abs(shat) * d * tau  # |J(lambda) - J_0| <= eps entrywise on L
        G1, G2 = flint.fmpz_mat(m, m), flint.fmpz_mat(m, m)
        for k0 in range(0, d, BLOCK):
            k1 = min(k0 + BLOCK, d)
            blk = [Ah[j * d + k0:j * d + k1] for j in range(m)]
            At = flint.fmpz_mat(blk).transpose()
            G1 += flint.fmpz_mat([[a * p for a, p in zip(row, pi[k0:k1])] for row in blk]) * At
            G2 += (flint.fmpz_mat([[a * q for a, q in zip(row, qi[k0:k1])] for row in blk])
                   * flint.fmpz_mat([[a * a for a in row] for row in blk]).transpose())
        sh_ = sum(li)  # J_0 = b^ 1^T + s^ (G1 2^(2ea+ep) - G2 diag(l^) 2^(3ea+eq+elh)), exactly, at exponent eJ
        e1, e2 = elh + 2 * ea + ep, elh + 3 * ea + eq + elh
        eJ = min(eb, e1, e2)
        g1, g2 = G1.entries(), G2.entries()
        J0 = [(bi[i] << (eb - eJ)) + ((sh_ * int(g1[i * m + l])) << (e1 - eJ))
              - ((sh_ * int(g2[i * m + l]) * li[l]) << (e2 - eJ)) for i in range(m) for l in range(m)]
        J1, shJ = _round(J0, T_BITS)
        del J0, g1, g2, G1, G2
        eps = eps + (flint.arb((1, shJ - 1 + eJ)) if shJ else 0)
        H = (YM * flint.fmpz_mat(m, m, J1)).entries()
        for i in range(m):
            f = ey[i] + eJ + shJ
            row = H[i * m:(i + 1) * m]
            rho = (flint.arb((sum(abs(int(v)) for v in row) - abs(int(row[i])), f)) + abs(1 - flint.arb((row[i], f)))
                   + m * eps * flint.arb((yabs[i], ey[i])))
            _need(abs(z[i]) + rho * r < r, f"krawczyk: K(L) not inside L in row {i} (box too wide or wrong centre)")
        w = [sL * gk / v for gk, v in zip(gL, DL)]
        rest = [j for j in range(N) if j not in set(S)]
        if rest:
            wi, ew = _mids(w, prec)
            radw = _dev(w, wi, ew)
            zr = (flint.fmpz_mat([X[j] for j in rest]) * flint.fmpz_mat(d, 1, wi)).entries()
            slack = [flint.arb((v, ew - E)) - 1 + _pm(flint.arb((sum(abs(x) for x in X[j]), -E)) * radw)
                     for v, j in zip(zr, rest)]
            _need(all(v > 0 for v in slack), "nonsupport_slack_positive: some <x_j, w> - 1 > 0 off S is not proved")
        licq, p = [int(k) for k in fp["licq"]["columns"]], int(fp["licq"]["prime"])
        _need(len(set(licq)) == m and all(0 <= k < d for k in licq) and flint.fmpz(p).is_prime(),
              "licq: need m distinct columns and a prime")
        _need(flint.nmod_mat(m, m, [A[i][k] % p for i in range(m) for k in licq], p).det() != 0,
              "licq: det of the chosen m x m block of A is 0 mod p, so LICQ is not proved")
        nrm = sum((v * v for v in w), flint.arb(0)).sqrt()
        direction, c = [v / nrm for v in w], [v / sL for v in lamL]
        claim = fp["claimed"]
        R_claim = flint.arb(claim["radius"])
        for name, vals, idx in (("c", c, S), ("direction", direction, range(d))):
            got = dict(zip(idx, vals))
            for k, text in enumerate(claim[name]):
                _need(abs(got.get(k, flint.arb(0)) - flint.arb(text)) < R_claim,
                      f"claimed {name}[{k}] is not within the claimed radius of the proved enclosure")
        out.append(f"fixed point (Thm 4.8): F_S has exactly one zero in the box of half-width {_s(r.upper())} around "
                   f"lambda~ (Krawczyk), support of {m} rows, lambda > 0, D > 0, LICQ (det mod {p}), non-support "
                   f"constraints strictly inactive; c and the AdamProxy direction lie within {_s(R_claim.upper())} of the "
                   "claimed values")


def verify(path: str, data: str | None = None) -> list[str]:
    """The statements proved by the certificate at ``path`` (data file from the certificate, or ``data``);
    raises CertificateError naming the first condition that fails."""
    try:
        with open(path, encoding="utf-8") as fh:
            cert = json.load(fh)
    except (OSError, ValueError) as exc:
        raise CertificateError(f"cannot read certificate {path}: {exc}") from None
    _need(isinstance(cert, dict) and cert.get("format") == "per-sample-adam-certificate" and cert.get("version") == 1,
          "not a version-1 per-sample-adam certificate")
    spec = cert["data"]
    data = data or spec["file"]
    try:
        digest = sha256(data)
    except OSError as exc:
        raise CertificateError(f"cannot read the data file {data}: {exc.strerror}") from None
    _need(digest == spec["sha256"], f"data: SHA-256 of {data} differs from the certified file's")
    try:
        N, d, E, X = read(data)
    except (DataError, OSError, ValueError, IndexError) as exc:
        raise CertificateError(f"data: cannot read {data}: {exc}") from None
    _need((N, d) == (spec["N"], spec["d"]), f"data: shape {N} x {d} differs from the certificate's")
    out = [f"data: {data} (sha256 {digest[:16]}...), N = {N}, d = {d}, read exactly"]
    XM = flint.fmpz_mat(X)
    for kind in ("l2", "linf"):
        if kind in cert:
            _max_margin(kind, cert[kind], XM, X, E, out)
    if "fixed_point" in cert:
        _fixed_point(cert["fixed_point"], X, E, out)
    return out
