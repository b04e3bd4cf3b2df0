"""Max-margin solvers (l2, l_inf, l1, Mahalanobis P(c) of Def. 4.6) with KKT certificates."""

from .kkt import KKT_TOL, SUPPORT_THRESHOLD, licq_holds
from .norms import L1, L2, LINF, NORMS, Mahalanobis, Norm, preconditioner_diag
from .problems import l1_max_margin, l2_max_margin, linf_max_margin, mahalanobis_max_margin, max_margin
from .result import KKTResiduals, MaxMarginResult

__all__ = ["l2_max_margin", "linf_max_margin", "l1_max_margin", "mahalanobis_max_margin", "max_margin",
           "preconditioner_diag", "licq_holds", "KKTResiduals", "MaxMarginResult", "KKT_TOL", "SUPPORT_THRESHOLD",
           "Norm", "L2", "LINF", "L1", "Mahalanobis", "NORMS"]
