"""theory: the paper's derivations in SymPy, exact and checkable (arXiv 2510.26303).

Modules, one concept each (numbering of the paper in brackets; formulas in ../shared/paper/math.md):

- :mod:`theory.kkt`            KKT systems of the l2 problem and of P(c) [Def. 4.6, Thm 4.8], ``verify_kkt``
- :mod:`theory.linf_lp`        the l_inf max-margin LP, exact simplex + certificate [Prop. 2.4, Ex. 4.11]
- :mod:`theory.fixed_point`    T(c) = lambda*(c)/||lambda*(c)||_1 and exact fixed-point checks [Thm 4.8]
- :mod:`theory.epoch_map`      C_inc, cyclic sums, eq. (2), beta2 -> 1 limit [Prop. 2.5, Prop. 4.1]
- :mod:`theory.generalized_rademacher`  D(c) scalar, P(c) = SVM, Cor. 3.2 weights [Def. 3.1, Cor. 3.2, Ex. 4.9]
- :mod:`theory.shifted_diagonal`  shifted-diagonal family and the l_inf mechanism (M) [Ex. 4.11]
- :mod:`theory.lemma_d1`       |m_t|/sqrt(v_t) bound and its condition beta1^2 < beta2 [Lemma D.1]
- :mod:`theory.signsgd`        SignSGD limit direction sum_i sign(x_i) [App. G remark]
- :mod:`theory.exact_path`     ``exact_answers(X)`` for a hand-typed rational dataset

Results are SymPy objects or frozen dataclasses; verifiers return :class:`theory.report.Report`
(one :class:`~theory.report.Condition` per checked statement, proved / failed / undecided).
See theory/README.md for extending a derivation to a new dataset family.
"""

from ._guards import TheoryError, as_exact_matrix, rationalize
from .exact_path import ExactAnswers, exact_answers
from .fixed_point import T_map, verify_fixed_point
from .kkt import (D_diag, l2_kkt, l2_max_margin_exact, mahalanobis_kkt, mahalanobis_max_margin_exact, quadratic_kkt,
                  verify_kkt)
from .linf_lp import linf_max_margin_exact, verify_linf
from .report import Condition, Report

__all__ = ["TheoryError", "as_exact_matrix", "rationalize", "exact_answers", "ExactAnswers", "T_map",
           "verify_fixed_point", "D_diag", "l2_kkt", "mahalanobis_kkt", "quadratic_kkt", "verify_kkt",
           "l2_max_margin_exact", "mahalanobis_max_margin_exact", "linf_max_margin_exact", "verify_linf",
           "Condition", "Report"]
