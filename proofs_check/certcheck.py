"""The trusted kernel: re-verify a ``predict --certificate-out`` file from the data alone.

Exact integers (Python ints, flint fmpz matrices) and python-flint balls only; nothing from
the solvers.  X is read by :mod:`proofs_check.certdata` as X_int 2^-E.  Checked, in order:

* the data file's SHA-256 and shape;
* l2 (Soudry et al.): w, lambda >= 0 give 1/2||w*||^2 in [1^T l - 1/2||X^T l||^2, 1/2||w/min Xw||^2] (weak duality)
  with relative gap <= GAP, and ||u - u*|| <= 2 sqrt(2 gap / dual) for u = w/||w|| (strong convexity);
* l_inf (Zhang et al.): min ||w||_inf s.t. Xw >= 1 lies in [1^T l/||X^T l||_1, ||w||_inf/min Xw], gap <= GAP;
* Thm 4.8 fixed point (docs/math.md §13.3): Krawczyk's test for F_S(l) = s A D(l)^-1 A^T l - 1 on the box
  L = l~ +- r with the shipped preconditioner Y: |Y F(l~)| + rho r < r, where rho_i >= sum_l |I - Y J(l)|_il on L
  is |I - Y J_1| 1 + |Y| E: J_1 an integer matrix built from t-bit roundings, E a proved bound of the row sums of
  |J(l) - J_1| (or, for files that say ``"jacobian": "enclosure"``, J(L) enclosed directly as a ball matrix);
  then l > 0 on L, D > 0, <x_j, w> > 1 off S, and the claimed c and direction within the
  claimed radius of the proved enclosures.  LICQ needs no test: J = A (u 1^T + s du/dl) is nonsingular on L
  (the contraction), so the m rows of A are linearly independent.
"""

import json
from fractions import Fraction

import flint

from .certdata import DataError, read, sha256
from .certjacobian import BLOCK, ENCLOSURE_WORK, ball, ball_pm, grid_dev, grid_mids, jacobian_enclosure, jacobian_rows

__all__ = ["CertificateError", "verify", "GAP"]

# Relative duality gap a max-margin certificate may leave: the solvers accept KKT residuals of 1e-8.
GAP = Fraction(1, 10**8)


class CertificateError(Exception):
    """The first condition that does not hold (one line)."""


def _need(ok, what):
    if not ok:
        raise CertificateError(what)


def _q(x):  # a ball around the rational x
    return flint.arb(flint.fmpq(x.numerator, x.denominator))


def _s(x):
    return x.str(10)


def _ints(values):
    """Exact (ints, e) with values = ints 2^e for JSON floats."""
    rat = [Fraction(v) for v in values]
    _need(all(q.denominator & (q.denominator - 1) == 0 for q in rat), "a number is not a binary float")
    e = max((q.denominator.bit_length() - 1 for q in rat), default=0)
    return [int(q * (1 << e)) for q in rat], -e


def _max_margins(cert, X, E, out):
    """l2 and l_inf: one pass over row blocks of X for X w and X^T lambda of each."""
    N, d = len(X), len(X[0])
    kinds = [k for k in ("l2", "linf") if k in cert]
    vecs = {k: (_ints(cert[k]["w"]), _ints(cert[k]["multipliers"])) for k in kinds}
    for k, ((w, _), (lam, _)) in vecs.items():
        _need(len(w) == d and len(lam) == N, f"{k}: w needs d and the multipliers N entries")
        _need(min(lam) >= 0 and max(lam) > 0, f"{k}: multipliers must be >= 0 and not all 0")
    z = {k: [] for k in kinds}
    v = {k: flint.fmpz_mat(1, d) for k in kinds}
    for i0 in range(0, N, BLOCK):
        B = flint.fmpz_mat(X[i0:i0 + BLOCK])
        for k, ((w, _), (lam, _)) in vecs.items():
            z[k] += (B * flint.fmpz_mat(d, 1, w)).entries()
            v[k] += flint.fmpz_mat(1, B.nrows(), lam[i0:i0 + BLOCK]) * B
    for k, ((w, ew), (lam, el)) in vecs.items():
        zmin = Fraction(int(min(z[k]))) * Fraction(2) ** (ew - E)
        _need(zmin > 0, f"{k}: w does not separate the data (min <x_i, w> <= 0)")
        g = [Fraction(int(x)) * Fraction(2) ** (el - E) for x in v[k].entries()]
        s = Fraction(sum(lam)) * Fraction(2) ** el
        with flint.ctx.workprec(128):
            if k == "l2":
                primal = Fraction(sum(x * x for x in w)) * Fraction(2) ** (2 * ew) / (2 * zmin * zmin)
                dual = s - sum(x * x for x in g) / 2
                _need(dual > 0 and primal - dual <= GAP * dual, f"l2: duality gap above {float(GAP):g} (relative)")
                lo, hi = (1 / (2 * _q(primal)).sqrt()), (1 / (2 * _q(dual)).sqrt())
                err = 2 * (2 * _q(primal - dual) / _q(dual)).sqrt()
                out.append(f"l2: max margin in [{_s(lo.lower())}, {_s(hi.upper())}]; the certified direction w/||w|| "
                           f"is within {_s(err.upper())} of the unique l2 max-margin direction")
            else:
                primal = Fraction(max(abs(x) for x in w)) * Fraction(2) ** ew / zmin
                dual = s / sum(abs(x) for x in g)
                _need(primal - dual <= GAP * dual, f"linf: duality gap above {float(GAP):g} (relative)")
                out.append(f"linf: max l_inf margin in [{_s((1 / _q(primal)).lower())}, "
                           f"{_s((1 / _q(dual)).upper())}], the lower end attained by the certified w")


def _first_pass(A, E, L, R, e0, prec):
    """Column blocks of A: g = A^T l~, sum_j A_jk^2 w_j for w = l~^2, (l~ - r)^2, (l~ + r)^2, 1, sum_j |A_jk|,
    u = g / D and base = A u as balls."""
    m, d = len(A), len(A[0])
    Lrow = flint.fmpz_mat(1, m, L)
    W = flint.fmpz_mat([[v * v for v in L], [(v - R) ** 2 for v in L], [(v + R) ** 2 for v in L], [1] * m])
    g, D2, colabs, u, base = [], [[], [], [], []], [], [], [flint.arb(0)] * m
    for k0 in range(0, d, BLOCK):
        blk = [r[k0:k0 + BLOCK] for r in A]
        B = flint.fmpz_mat(blk)
        gb = (Lrow * B).entries()
        P = (W * flint.fmpz_mat([[x * x for x in r] for r in blk])).entries()
        n = len(gb)
        for t in range(4):
            D2[t] += P[t * n:(t + 1) * n]
        colabs += [sum(map(abs, c)) for c in zip(*blk)]
        ub = [ball(gk, e0 - E) / ball(dk, 2 * (e0 - E)).sqrt() for gk, dk in zip(gb, P[:n])]
        ui, eu = grid_mids(ub, prec)
        du = max(grid_dev(ub, ui, eu))
        Au = (B * flint.fmpz_mat(n, 1, ui)).entries()
        base = [b + ball(v, eu - E) + ball_pm(ball(sum(map(abs, r)), -E) * du) for b, v, r in zip(base, Au, blk)]
        g, u = g + gb, u + ub
    return g, D2, colabs, u, base


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
    ey = [int(v) for v in fp["preconditioner"]["row_exponents"]]
    Yflat = memoryview(bytes.fromhex(fp["preconditioner"]["int32_hex"])).cast("i").tolist()
    _need(len(ey) == m and len(Yflat) == m * m, "preconditioner: Y must be m x m")
    Y = flint.fmpz_mat(m, m, Yflat)
    del Yflat
    prec = max(L).bit_length() + 64  # L carries the box's scale: r is ~2^-190 relative at 50 digits
    with flint.ctx.workprec(prec):
        g, D2, colabs, u, base = _first_pass(A, E, L, R, e0, prec)
        _need(all(D2[1]), "preconditioner_positive: a coordinate vanishes on every support vector")
        F = [ball(sum(L), e0) * b - 1 for b in base]
        (Fi, eF), Yl = grid_mids(F, prec), Y.entries()
        radF = max(grid_dev(F, Fi, eF))
        z = [ball(h, e + eF) + ball_pm(ball(sum(abs(int(y)) for y in Yl[i * m:(i + 1) * m]), e) * radF)
             for i, (h, e) in enumerate(zip((Y * flint.fmpz_mat(m, 1, Fi)).entries(), ey))]
        r, sD = ball(R, e0), 2 * (e0 - E)
        lamL = [ball(v, e0) + ball_pm(r) for v in L]
        sL = sum(lamL[1:], lamL[0])
        gL = [ball(gk, e0 - E) + ball_pm(ball(R * ca, e0 - E)) for gk, ca in zip(g, colabs)]
        # D^2 is monotone
        D2L = [ball(lo + hi, sD - 1) + ball_pm(ball(hi - lo, sD - 1)) for lo, hi in zip(D2[1], D2[2])]
        DL = [x.sqrt() for x in D2L]
        du = max((gk / x - uk).abs_upper() for gk, x, uk in zip(gL, DL, u))
        bL = [b + ball_pm(ball(sum(map(abs, row)), -E) * du) for b, row in zip(base, A)]
        qL = [gk / (x * y) for gk, x, y in zip(gL, DL, D2L)]
        c = {"p": [1 / x for x in DL], "q": qL, "lam": lamL, "b": bL, "colabs": colabs, "colsq": D2[3]}
        _need(all(x.is_finite() for x in c["p"] + qL + bL), "krawczyk: the box is too wide to enclose the Jacobian")
        method = fp.get("jacobian", "rounded")
        _need(method in ("rounded", "enclosure"), "jacobian: 'rounded' or 'enclosure'")
        _need(method == "rounded" or m * m * d <= ENCLOSURE_WORK,
              f"jacobian: a ball-matrix enclosure of {m} x {m} x {d} is beyond this checker's {ENCLOSURE_WORK:g}")
        rho = jacobian_rows(A, E, c, Y, ey) if method == "rounded" else jacobian_enclosure(A, E, c, sL, Y, ey)
        for i in range(m):
            _need(abs(z[i]) + rho[i] * r < r, f"krawczyk: K(L) not inside L in row {i} (box too wide or wrong centre)")
        w = [sL * gk / x for gk, x in zip(gL, DL)]
        rest = sorted(set(range(N)) - set(S))
        if rest:
            wi, ew = grid_mids(w, prec)
            radw = max(grid_dev(w, wi, ew))
            slack = [ball(sum(x * y for x, y in zip(X[j], wi)), ew - E) - 1 + ball_pm(ball(sum(map(abs, X[j])), -E) * radw)
                     for j in rest]
            _need(all(x > 0 for x in slack), "nonsupport_slack_positive: some <x_j, w> - 1 > 0 off S is not proved")
        nrm, claim = sum((x * x for x in w), flint.arb(0)).sqrt(), fp["claimed"]
        direction, cvec, R_claim = [x / nrm for x in w], [x / sL for x in lamL], flint.arb(claim["radius"])
        for name, vals, idx in (("c", cvec, S), ("direction", direction, range(d))):
            got = dict(zip(idx, vals))
            for k, text in enumerate(claim[name]):
                _need(abs(got.get(k, flint.arb(0)) - flint.arb(text)) < R_claim,
                      f"claimed {name}[{k}] is not within the claimed radius of the proved enclosure")
        out.append(f"fixed point (Thm 4.8): F_S has exactly one zero in the box of half-width {_s(r.upper())} around "
                   f"lambda~ (Krawczyk), support of {m} rows, lambda > 0, D > 0, LICQ (nonsingular Jacobian), "
                   f"non-support constraints strictly inactive; c and the AdamProxy direction lie within "
                   f"{_s(R_claim.upper())} of the claimed values")


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
    _max_margins(cert, X, E, out)
    if "fixed_point" in cert:
        _fixed_point(cert["fixed_point"], X, E, out)
    return out
