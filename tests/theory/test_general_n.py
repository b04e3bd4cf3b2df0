"""theory.sums, theory.general_n, theory.gr_general and Lemma D.1 for symbolic N, d, t (scope 'general').

Each general verifier has a negative control run through the same code: a plausible wrong constant, a
wrong bound or a non-GR data model must be *refuted* (with a counterexample), not merely left undecided.
"""

import sympy as sp

from theory.gr_general import alpha, cor32_bounds_general, sigma, verify_cor32_general, verify_gr_reduction_general
from theory.general_n import (C_INC_SYMBOLIC, verify_beta2_limit_general, verify_C_inc_general, verify_cyclic_lemmas,
                              verify_frozen_epoch_general)
from theory.lemma_d1 import verify_lemma_d1_general
from theory.sums import sum_zero, verify_geometric_sum, verify_lagrange_identity
from theory.symbols import N, beta1, beta2


def _general(rep):
    assert rep.verdict.proved, rep.summary()
    assert rep.scope == "general"


def test_sum_lemmas():
    _general(verify_geometric_sum())
    _general(verify_lagrange_identity())
    _general(verify_cyclic_lemmas(beta1))
    _general(verify_cyclic_lemmas(beta2))


def test_sum_zero_refutes_with_witness():
    n, s = sp.Symbol("n", integer=True, nonnegative=True), sp.Symbol("s", integer=True, nonnegative=True)
    a = sp.IndexedBase("a", real=True)
    d = sum_zero(sp.Sum(a[s]**2, (s, 0, n)) - sp.Sum(a[s], (s, 0, n))**2, n)
    assert d.value is False and dict(d.witness)[n] == 1


def test_C_inc_general_and_wrong_constant():
    _general(verify_C_inc_general())
    wrong = (1 - beta1) / (1 - beta1**N) * sp.sqrt((1 - beta2**(N + 1)) / (1 - beta2))   # N -> N + 1 in beta2
    rep = verify_C_inc_general(wrong)
    assert rep.verdict.refuted and rep.verdict.counterexample[0] == "C_inc^2"
    pt = dict(rep.verdict.counterexample[3])
    assert pt[N] >= 1 and 0 < pt[beta1] < 1 and 0 < pt[beta2] < 1      # the witness lies in the domain


def test_frozen_epoch_general_and_wrong_constant():
    _general(verify_frozen_epoch_general())
    wrong = sp.sqrt(N) * C_INC_SYMBOLIC                                        # a stray sqrt(N)
    rep = verify_frozen_epoch_general(wrong)
    assert rep.verdict.refuted and rep.failed == ("constant",)


def test_beta2_limit_general():
    _general(verify_beta2_limit_general())


def test_gr_reduction_general_and_non_gr_model():
    _general(verify_gr_reduction_general())
    beta = sp.IndexedBase("beta", positive=True)
    rep = verify_gr_reduction_general(lambda j, k: alpha[j] * beta[k] * sigma[j, k])   # column-scaled: not GR
    assert rep.verdict.refuted and rep.failed == ("D(c) scalar",)
    assert dict(rep.verdict.counterexample[3])[N] == 1


def test_cor32_general_wrong_bound_and_non_gr_model():
    _general(verify_cor32_general())
    c1, c2 = cor32_bounds_general()
    rep = verify_cor32_general((c1, c2 * sp.sqrt(beta2)))                      # beta2^N instead of beta2^(N-1)
    assert rep.verdict.refuted and rep.failed == ("c2",)
    beta = sp.IndexedBase("beta", positive=True)
    bad = verify_cor32_general(entry=lambda j, k: alpha[j] * beta[k] * sigma[j, k])
    assert "denominators coordinate-free" in bad.failed


def test_lemma_d1_general_and_wrong_bound():
    _general(verify_lemma_d1_general())
    wrong = (1 - beta1) / sp.sqrt((1 - beta2) * (1 - beta1 / beta2))          # b1/b2 instead of b1^2/b2
    rep = verify_lemma_d1_general(wrong)
    assert rep.verdict.refuted and rep.failed == ("assembly",)
    pt = dict(rep.verdict.counterexample[3])
    assert pt[beta1]**2 < pt[beta2]                                              # the lemma's own condition holds there


def test_lemma_negative_controls():
    """Plausible wrong closed forms, run through the same verifiers, are refuted with a witness."""
    rep = verify_geometric_sum(closed=lambda b, n: (1 - b**(n + 1)) / (1 - b))          # off by one
    assert rep.verdict.refuted
    rep = verify_cyclic_lemmas(beta1, row_sum=N)                                          # the beta = 1 value
    assert rep.failed == ("cyclic row sum",)
    wrong_cross = lambda A2, B2, AB, a, b: b**2 * A2 + 2 * a * b * AB + a**2 * B2      # noqa: E731  sign slip
    rep = verify_lagrange_identity(cross=wrong_cross)
    assert set(rep.failed) == {"new cross terms", "step"}
    rep = verify_beta2_limit_general(lambda n, sg, g: sg / (n * sp.sqrt(g)))              # numerics' 1/N scaling
    assert rep.failed == ("limit",) and dict(rep.verdict.counterexample[3])[N] >= 1
