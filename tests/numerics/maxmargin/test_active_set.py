"""The dual active-set solver on badly scaled data: the QR re-solve of the support."""

import numpy as np

from numerics.datasets import resolve
from numerics.maxmargin import l2_max_margin
from numerics.maxmargin.active_set import dual_active_set


def test_raw_wine_support_margins_are_exact_to_cond_eps():
    """Raw wine: cond(X_S) ~ 1.5e4, so K_FF has cond ~ 2.5e8 and Cholesky alone left the support margins 7e-9 off
    1 (a 1.4e-8 duality gap, which the certificate checker rejects); the QR re-solve is ~ cond(X_S) eps ~ 1e-12."""
    X = resolve("wine_0v1").X
    r = l2_max_margin(X)
    assert r.solver == "active-set" and r.kkt.max() < 1e-11
    w, lam = r.w, np.clip(r.dual, 0, None)
    z = X @ w
    primal, g = 0.5 * (w @ w) / z.min() ** 2, X.T @ lam
    dual = lam.sum() - 0.5 * g @ g
    assert 0 <= (primal - dual) / dual < 1e-10


def test_refinement_keeps_the_support_of_a_well_conditioned_problem():
    """On Gaussian data Cholesky is already accurate: the answer is the same support, margins 1 to 1e-13."""
    X = np.random.default_rng(3).standard_normal((12, 30))
    w, lam = dual_active_set(X)
    F = np.flatnonzero(lam > 0)
    assert F.size > 0 and np.abs(X[F] @ w - 1).max() < 1e-13 and np.all((X @ w)[lam == 0] >= 1 - 1e-12)
