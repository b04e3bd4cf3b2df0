"""Robust solution of the Thm 4.8 fixed-point equation T(c) = c, and a search for all its fixed points.

Plain Algorithm 3 has no convergence guarantee (docs/math.md §10 item 6) and Thm 4.8 does
not claim uniqueness.  This module offers (a) Newton's method on the fixed-point
equation restricted to a support set S (the square system F_S(lambda) = 0 of
:mod:`numerics.fixed_point.newton`, in float64, with an active-set update of S),
(b) :func:`solve_fixed_point`, which tries plain, then damped Algorithm 3, then Newton
and keeps the record of every attempt, and (c) :func:`find_fixed_points`, a multistart
search (plain and Newton from each start) whose distinct results are reported with the
runs that reached each and their local rate (attracting or repelling for Algorithm 3),
and :func:`adam_proxy_limit_fixed_point`, which says which of them AdamProxy approaches
from w0 = 0.  Every returned point has |T(c) - c|_1, measured by an independent solve of
P(c) (Def. 4.6), below ``accept``; :func:`numerics.fixed_point.certify_fixed_point` can
prove each one (Thm 4.8 does not claim uniqueness, and T can have several fixed points).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..errors import ConvergenceError, HyperparameterError, SolverError
from ..maxmargin import mahalanobis_max_margin
from .iteration import algorithm3, fixed_point_map

__all__ = ["support_system", "newton_fixed_point", "local_rate", "solve_fixed_point", "find_fixed_points",
           "adam_proxy_limit_fixed_point", "Attempt", "FixedPointSolution", "FoundFixedPoint",
           "FixedPointSearch", "AdamProxyMatch", "METHODS"]

METHODS = ("auto", "plain", "damped", "newton")


@dataclass(frozen=True)
class Attempt:
    """One try of one method: ``detail`` is the failure message (or the residual on success)."""

    method: str
    converged: bool
    detail: str
    seconds: float


@dataclass(frozen=True)
class FixedPointSolution:
    """A fixed point c of T with w*(c), its unit direction and support; ``method`` is the one that found it.

    ``residual`` = |T(c) - c|_1 from an independent solve of P(c); ``attempts`` lists
    every method tried, in order, failures included.
    """

    c: np.ndarray
    w: np.ndarray
    direction: np.ndarray
    support: tuple[int, ...]
    residual: float
    method: str
    iterations: int
    attempts: tuple[Attempt, ...]

    def as_dict(self) -> dict:
        return {"c": self.c.tolist(), "direction": self.direction.tolist(), "support": list(self.support),
                "residual": self.residual, "method": self.method, "iterations": self.iterations,
                "attempts": [a.__dict__ for a in self.attempts]}


def support_system(XS: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F_S(lambda) = s A D(lambda)^{-1} A^T lambda - 1 and its Jacobian (float64; A = X_S, s = sum lambda)."""
    A, lam = np.asarray(XS, float), np.asarray(lam, float)
    A2 = A * A
    s = lam.sum()
    D = np.sqrt(A2.T @ (lam * lam))
    u = (A.T @ lam) / D
    base = A @ u
    J = base[:, None] + s * ((A / D) @ A.T) - s * ((A * (u / D**2)) @ A2.T) * lam[None, :]
    return s * base - 1.0, J


def newton_fixed_point(X: np.ndarray, c0: np.ndarray | None = None, *, tol: float = 1e-13, max_iter: int = 50,
                       accept: float = 1e-7, restarts: int = 8) -> FixedPointSolution:
    """Newton on T(c) = c through the support system.  One solve of P(c) gives a support S and
    lambda; damped Newton (backtracking on |F|) solves F_S(lambda) = 0; an active-set update drops
    lambda_i <= 0 (or an index, if Newton stalls) and adds violated constraints.  Newton is local
    (|F_S| can have spurious local minima), so after the k-th failure 2^(k-1) plain steps
    c <- T(c) move the start and Newton restarts, at most ``restarts`` times (<= 255 steps of T).

    Raises ConvergenceError if no round succeeds or the verified |T(c) - c|_1 exceeds ``accept``.
    """
    X = np.asarray(X, float)
    N = X.shape[0]
    c = np.full(N, 1.0 / N) if c0 is None else np.asarray(c0, float)
    total, errors = 0, []
    for k in range(restarts + 1):
        res = mahalanobis_max_margin(X, c)
        try:
            c, w, S, its = _active_set(X, list(res.support), res.dual, tol, max_iter)
        except ConvergenceError as exc:
            errors.append(str(exc))
            lam = np.clip(res.dual, 0.0, None)
            c = lam / lam.sum()  # T(c) from the solve above, then 2^k - 1 more plain Algorithm 3 steps
            for _ in range(2**k - 1):
                c = fixed_point_map(X, c)[0]
            total += 2**k
            continue
        Tc, _ = fixed_point_map(X, c)
        r = float(np.abs(Tc - c).sum())
        if r > accept:
            raise ConvergenceError(f"Newton point on support {list(S)} is not a fixed point: |T(c) - c|_1 = {r:.1e}")
        return FixedPointSolution(c=c, w=w, direction=w / np.linalg.norm(w), support=tuple(S), residual=r,
                                  method="newton", iterations=total + its, attempts=())
    raise ConvergenceError(f"Newton failed from {len(errors)} starts ({total} steps of T between them); "
                           f"last: {errors[-1]}")


def _active_set(X, S, dual, tol, max_iter):
    """Newton on F_S with active-set updates: drop lambda_i <= 0; add violated constraints; when Newton
    stalls (F_S has no zero nearby), drop one index -- the weakest whose removal gives a complete KKT
    point, else the weakest.  A support seen twice is a cycle.  Returns (c, w, S, steps)."""
    N = X.shape[0]
    lam = np.clip(dual[S], 1e-12 * dual.max(), None)
    total, seen = 0, set()
    while S and tuple(S) not in seen:
        seen.add(tuple(S))
        lam, its, converged = _newton(X[S], _fit_scale(X[S], lam), tol, max_iter)
        total += its
        if not converged:
            if len(S) == 1:
                break
            order = [int(k) for k in np.argsort(lam / np.abs(lam).max())]
            k = next((k for k in order if _drop_ok(X, S, lam, k, tol, max_iter)), order[0])
            S, lam = S[:k] + S[k + 1:], np.abs(np.delete(lam, k))
            continue
        s = lam.sum()
        w = s * (X[S].T @ lam) / np.sqrt((X[S] ** 2).T @ (lam * lam))
        z = X @ w
        if np.any(lam <= 0):
            S, lam = [i for i, v in zip(S, lam) if v > 0], lam[lam > 0]
        elif np.any(np.delete(z, S) < 1 - 1e-12):
            old = dict(zip(S, lam))
            S = sorted(S + [j for j in range(N) if j not in old and z[j] < 1 - 1e-12])
            lam = np.array([old.get(i, 1e-3 * s) for i in S])  # entering constraints start small
        else:
            c = np.zeros(N)
            c[S] = lam / s
            return c, w, S, total
    raise ConvergenceError(f"Newton's active-set update did not settle (support {S})" if S
                           else "Newton emptied the support")


def _fit_scale(XS, lam):
    """F(t lam) + 1 = t (F(lam) + 1): the t that makes the mean of F zero."""
    F, _ = support_system(XS, lam)
    return lam / np.mean(F + 1.0)


def _drop_ok(X, S, lam, k, tol, max_iter) -> bool:
    """Removing S[k] gives a complete KKT point: Newton converges, lambda > 0, other constraints inactive."""
    S2 = S[:k] + S[k + 1:]
    lam2, _, ok = _newton(X[S2], _fit_scale(X[S2], np.abs(np.delete(lam, k))), tol, max_iter)
    if not (ok and np.all(lam2 > 0)):
        return False
    w = lam2.sum() * (X[S2].T @ lam2) / np.sqrt((X[S2] ** 2).T @ (lam2 * lam2))
    return bool(np.all(np.delete(X @ w, S2) >= 1 - 1e-12))


def _newton(XS, lam, tol, max_iter):
    """Damped Newton on F_S: (lambda, steps, converged); not converged = |F| stopped decreasing (a stall)."""
    F, J = support_system(XS, lam)
    for k in range(1, max_iter + 1):
        try:
            step = np.linalg.solve(J, F)
        except np.linalg.LinAlgError:
            return lam, k, False
        t, f0 = 1.0, np.linalg.norm(F)
        while t > 1e-4:
            new = lam - t * step
            F_new, J_new = support_system(XS, new)
            if np.all(np.isfinite(F_new)) and np.linalg.norm(F_new) < (1 - 1e-4 * t) * f0 or f0 < 1e-14:
                break
            t /= 2
        else:
            return lam, k, False
        lam, F, J = new, F_new, J_new
        if np.abs(F).max() < tol or np.abs(t * step).max() < 1e-15 * np.abs(lam).max():
            return lam, k, True
    return lam, max_iter, False


def solve_fixed_point(X: np.ndarray, method: str = "auto", c0: np.ndarray | None = None, *, tol: float = 1e-9,
                      max_iter: int = 500, accept: float = 1e-7) -> FixedPointSolution:
    """T(c) = c by ``method``: "plain" (Algorithm 3), "damped" (theta = 0.5, then 0.25), "newton", or
    "auto" = all of them in that order, stopping at the first that converges with |T(c) - c|_1 <= ``accept``.

    Raises ConvergenceError listing every attempt if none succeeds.
    """
    if method not in METHODS:
        raise HyperparameterError(f"method must be one of {METHODS}, got {method!r}")
    plan = {"plain": [1.0], "damped": [0.5, 0.25], "newton": [None]}
    tries = [t for m in (("plain", "damped", "newton") if method == "auto" else (method,)) for t in plan[m]]
    attempts: list[Attempt] = []
    for theta in tries:
        name = "newton" if theta is None else ("plain" if theta == 1.0 else f"damped({theta:g})")
        t0 = time.perf_counter()
        try:
            if theta is None:
                sol = newton_fixed_point(X, c0, accept=accept)
            else:
                a = algorithm3(X, c0, tol=tol, max_iter=max_iter, damping=theta)
                Tc, _ = fixed_point_map(X, a.c)
                r = float(np.abs(Tc - a.c).sum())
                if r > accept:
                    raise ConvergenceError(f"stopped at |T(c) - c|_1 = {r:.1e} > {accept:.0e}")
                sol = FixedPointSolution(c=a.c, w=a.w, direction=a.direction, support=a.support, residual=r,
                                         method=name, iterations=a.iterations, attempts=())
        except (ConvergenceError, SolverError) as exc:
            attempts.append(Attempt(name, False, str(exc), time.perf_counter() - t0))
            continue
        attempts.append(Attempt(name, True, f"|T(c) - c|_1 = {sol.residual:.1e}", time.perf_counter() - t0))
        return FixedPointSolution(**{**sol.__dict__, "attempts": tuple(attempts)})
    raise ConvergenceError("no method found a fixed point: " + "; ".join(f"{a.method}: {a.detail}" for a in attempts))


@dataclass(frozen=True)
class FoundFixedPoint:
    """A distinct fixed point, the runs that reached it (``starts[k]`` by ``methods[k]``) and ``rate``, the
    spectral radius of T' at c on its support (plain Algorithm 3 is attracted iff rate < 1; Newton is not)."""

    solution: FixedPointSolution
    starts: tuple[str, ...]
    methods: tuple[str, ...]
    rate: float

    @property
    def hits(self) -> int:
        return len(self.starts)

    @property
    def c(self) -> np.ndarray:
        return self.solution.c

    @property
    def direction(self) -> np.ndarray:
        return self.solution.direction


@dataclass(frozen=True)
class FixedPointSearch:
    """Distinct fixed points found (most-reached first) and the runs (start, method, message) that failed."""

    points: tuple[FoundFixedPoint, ...]
    failures: tuple[tuple[str, str, str], ...]
    n_runs: int
    dedup_tol: float

    @property
    def unique(self) -> bool:
        """Only one fixed point was found (evidence, not proof, of uniqueness)."""
        return len(self.points) == 1

    def as_dict(self) -> dict:
        pts = [{**p.solution.as_dict(), "hits": p.hits, "rate": p.rate if np.isfinite(p.rate) else None,
                "attracting": bool(p.rate < 1),
                "runs": [f"{s}/{m}" for s, m in zip(p.starts, p.methods)]} for p in self.points]
        return {"points": pts, "n_runs": self.n_runs, "dedup_tol": self.dedup_tol,
                "failures": [{"start": s, "method": m, "error": e} for s, m, e in self.failures]}


def find_fixed_points(X: np.ndarray, starts: int = 20, seed: int = 0, *, methods=("plain", "newton"),
                      dedup_tol: float = 1e-6) -> FixedPointSearch:
    """Run each of ``methods`` (see :func:`solve_fixed_point`) from the uniform point, every vertex e_i
    and ``starts`` Dirichlet(1) points (``numpy.random.default_rng(seed)``); merge results with
    ||c - c'||_1 < ``dedup_tol``.  Plain iteration finds attracting fixed points only; Newton also
    finds repelling ones, so the default runs both."""
    X = np.asarray(X, float)
    N = X.shape[0]
    rng = np.random.default_rng(seed)
    plan = [("uniform", np.full(N, 1.0 / N))] + [(f"e_{i}", np.eye(N)[i]) for i in range(N)]
    plan += [(f"dirichlet_{k}", rng.dirichlet(np.ones(N))) for k in range(starts)]
    found: list[list] = []  # [solution, labels, methods]
    failures = []
    for label, c0 in plan:
        for method in methods:
            try:
                sol = solve_fixed_point(X, method, c0)
            except (ConvergenceError, SolverError) as exc:
                failures.append((label, method, str(exc)))
                continue
            entry = next((e for e in found if np.abs(e[0].c - sol.c).sum() < dedup_tol), None)
            if entry is None:
                found.append([sol, [], []])
                entry = found[-1]
            entry[1].append(label)
            entry[2].append(sol.method)
            if sol.residual < entry[0].residual:  # keep the most accurate representative
                entry[0] = sol
    found.sort(key=lambda e: -len(e[1]))
    points = tuple(FoundFixedPoint(s, tuple(lb), tuple(m), local_rate(X, s.c, s.support)) for s, lb, m in found)
    return FixedPointSearch(points=points, failures=tuple(failures), n_runs=len(plan) * len(methods),
                            dedup_tol=dedup_tol)


def local_rate(X: np.ndarray, c: np.ndarray, support, h: float = 1e-7) -> float:
    """Spectral radius of T'(c) (central differences, ~1e-7 accurate), valid where the support is stable.

    Near a strictly complementary fixed point T(c) = lambda / sum(lambda) with lambda = M(c)^{-1} 1,
    M(c) = X_S D(c)^{-1} X_S^T, and T'(c) is zero on the non-support rows; T is 0-homogeneous, so
    T'(c) c = 0 and the other eigenvalues are those on the simplex's tangent space.
    """
    A = np.asarray(X, float)[list(support)]

    def T(cs):
        lam = np.linalg.solve((A / np.sqrt((A * A).T @ (cs * cs))) @ A.T, np.ones(len(cs)))
        return lam / lam.sum()

    cs = np.asarray(c, float)[list(support)]
    try:
        J = np.column_stack([(T(cs + h * e) - T(cs - h * e)) / (2 * h) for e in np.eye(len(cs))])
        return float(np.abs(np.linalg.eigvals(J)).max())
    except np.linalg.LinAlgError:  # LICQ fails on the support: T is not differentiable there
        return float("nan")


@dataclass(frozen=True)
class AdamProxyMatch:
    """Which found fixed point AdamProxy (Def. 4.2, w0 = 0) approaches: ``index`` into ``search.points``.

    ``cosines[k]`` = cos(w_T, direction of point k) at the last step; ``history`` =
    ((step, 1 - cos to the chosen point), ...) at the checkpoints; ``gap`` = 1 - cos to the
    chosen point minus ... to the runner-up (negative: the choice is clear).
    """

    index: int
    cosines: tuple[float, ...]
    one_minus_cos: float
    gap: float
    steps: int
    history: tuple[tuple[int, float], ...]
    direction: np.ndarray
    search: FixedPointSearch


def adam_proxy_limit_fixed_point(X: np.ndarray, steps: int = 100_000, *, search: FixedPointSearch | None = None,
                                 starts: int = 20, seed: int = 0, eta0: float = 0.1, a: float = 0.5) -> AdamProxyMatch:
    """Run AdamProxy (eta_t = eta0 (t + 2)^-a) from w0 = 0 and pick the found fixed point of largest cosine."""
    from ..optimizers import adam_proxy, run  # local: optimizers are heavier and not needed elsewhere here

    X = np.asarray(X, float)
    search = search if search is not None else find_fixed_points(X, starts, seed)
    if not search.points:
        raise ConvergenceError("no fixed point was found to compare AdamProxy with")
    refs = {f"fp{k}": p.direction for k, p in enumerate(search.points)}
    marks = tuple(sorted({max(1, steps // 100), max(1, steps // 10), steps}))
    tr = run(X, adam_proxy(eta0, a), steps, references=refs, checkpoints=marks)
    cos = tuple(float(tr.cos[f"fp{k}"][-1]) for k in range(len(refs)))
    best = int(np.argmax(cos))
    others = [1 - v for k, v in enumerate(cos) if k != best]
    gap = (1 - cos[best]) - min(others) if others else float("-inf")
    hist = tuple((int(s), float(1 - v)) for s, v in zip(tr.steps, tr.cos[f"fp{best}"]))
    return AdamProxyMatch(index=best, cosines=cos, one_minus_cos=1 - cos[best], gap=gap, steps=steps, history=hist,
                          direction=tr.direction, search=search)
