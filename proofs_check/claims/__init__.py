"""The paper's claims, one check each, in the order of the paper (ids: `proofs-check list`; docs/math.md §9)."""

from .base import CheckResult, Claim, Context, Outcome, VERDICTS
from .degenerate import degenerate
from .large import finite_beta2, thm_4_8_n200
from .section2 import lemma_d1, prop_2_4, prop_2_5
from .section3 import cor_3_2, thm_3_3
from .section4 import ex_4_10, lemma_4_5, prop_4_3, thm_4_8
from .section4b import ex_4_9, ex_4_11, prop_4_1
from .section5 import det_adam_linf, gd_l2, signsgd_claim, thm_5_1

CLAIMS: tuple[Claim, ...] = (lemma_d1, prop_2_4, prop_2_5, cor_3_2, thm_3_3, prop_4_1, prop_4_3, lemma_4_5, thm_4_8,
                             ex_4_9, ex_4_10, ex_4_11, thm_5_1, signsgd_claim, gd_l2, det_adam_linf,
                             thm_4_8_n200, finite_beta2, degenerate)
BY_ID = {c.id: c for c in CLAIMS}

__all__ = ["CLAIMS", "BY_ID", "Claim", "CheckResult", "Context", "Outcome", "VERDICTS"]
