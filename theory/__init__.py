"""theory: the paper's derivations in SymPy, exact and checkable (arXiv 2510.26303).

Modules, one concept each (the paper's numbering in brackets; see theory/README.md):

- :mod:`theory.kkt`            KKT systems of the l2 problem and of P(c) [Def. 4.6, Thm 4.8], ``verify_kkt``
- :mod:`theory.linf_lp`        the l_inf max-margin LP, exact simplex + certificate [Prop. 2.4, Ex. 4.11]
- :mod:`theory.linf_mechanism` condition (M): the l_inf direction as a fixed point of T [Ex. 4.11]
- :mod:`theory.fixed_point`    T(c) = lambda*(c)/||lambda*(c)||_1 and exact fixed-point checks [Thm 4.8]
- :mod:`theory.support_system`, :mod:`theory.polysolve`, :mod:`theory.algebraic`, :mod:`theory.exact_fixed_points`
                               every fixed point of T of small rational data, as certified algebraic numbers
- :mod:`theory.epoch_map`      C_inc, cyclic sums, eq. (2), beta2 -> 1 limit, per N [Prop. 2.5, Prop. 4.1]
- :mod:`theory.general_n`      the same for symbolic N, and the cyclic-sum lemmas they rest on
- :mod:`theory.sums`           sums with a symbolic number of terms: ``sum_zero``, geometric sum, Lagrange identity
- :mod:`theory.generalized_rademacher`  D(c) scalar, P(c) = SVM, Cor. 3.2 [Def. 3.1, Cor. 3.2, Ex. 4.9]
- :mod:`theory.gr_general`     the GR reduction and Cor. 3.2 for symbolic N and d
- :mod:`theory.shifted_diagonal`  the shifted-diagonal family [Ex. 4.11]
- :mod:`theory.lemma_d1`       |m_t|/sqrt(v_t) bound and its condition beta1^2 < beta2 [Lemma D.1], all t
- :mod:`theory.signsgd`        SignSGD limit direction sum_i sign(x_i) [App. G remark]
- :mod:`theory.exact_path`     ``exact_answers(X)`` for a hand-typed dataset
- :mod:`theory.decide`, :mod:`theory.report`, :mod:`theory.errors`, :mod:`theory.exact_input`, :mod:`theory.symbols`
                               decision procedures, verdicts, errors and guards, exact input, shared symbols

Results are SymPy objects or frozen dataclasses; verifiers return :class:`theory.report.Report`, whose
``verdict`` is proved / refuted (with a counterexample) / undecided (with the reason) and whose ``scope``
says what the proof covers.
"""

from .errors import LICQError, SizeGuardError, TheoryError
from .exact_fixed_points import all_fixed_points, fixed_points_on_support
from .exact_input import as_exact_matrix, rationalize
from .exact_path import ExactAnswers, exact_answers
from .fixed_point import T_map, verify_fixed_point
from .kkt import (D_diag, l2_kkt, l2_max_margin_exact, mahalanobis_kkt, mahalanobis_max_margin_exact, quadratic_kkt,
                  verify_kkt)
from .linf_lp import linf_max_margin_exact, verify_linf
from .report import Condition, Report, Verdict

__all__ = ["TheoryError", "LICQError", "SizeGuardError", "as_exact_matrix", "rationalize", "exact_answers",
           "ExactAnswers", "T_map", "verify_fixed_point", "all_fixed_points", "fixed_points_on_support", "D_diag",
           "l2_kkt", "mahalanobis_kkt", "quadratic_kkt", "verify_kkt", "l2_max_margin_exact",
           "mahalanobis_max_margin_exact", "linf_max_margin_exact", "verify_linf", "Condition", "Report", "Verdict"]
