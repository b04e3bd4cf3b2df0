"""Max-margin solvers (l2, l_inf, l1, Mahalanobis P(c) of Def. 4.6) with KKT certificates."""

from .norms import (KKT_TOL, l1_max_margin, l2_max_margin, licq_holds, linf_max_margin, mahalanobis_max_margin,
                    norm_value, preconditioner_diag)
from .result import KKTResiduals, MaxMarginResult

__all__ = ["l2_max_margin", "linf_max_margin", "l1_max_margin", "mahalanobis_max_margin", "preconditioner_diag",
           "norm_value", "licq_holds", "KKTResiduals", "MaxMarginResult", "KKT_TOL"]
