"""Datasets: rows y_i x_i (labels absorbed, Sec. 1.2), validated against the paper's assumptions (2.1, 2.2, Def. 3.1).

``from_array`` validates user data; ``gaussian`` (Ex. 4.10), ``generalized_rademacher`` (Def. 3.1)
and ``shifted_diagonal`` (Ex. 4.11) generate the paper's families; ``load``/``save_npz`` read and
write .npz/.csv files; ``resolve`` takes a file path or a bundled example name (``EXAMPLES``).
"""

from .bundled import EXAMPLES, example_path, resolve
from .dataset import Assumptions, Dataset, DatasetWarning
from .generators import (GR_ALPHAS, GR_SIGNS, gaussian, generalized_rademacher, gr_example, shifted_diagonal,
                         sparse_planted)
from .io import load, save_npz
from .validate import SEPARABILITY_THRESHOLD, from_array, is_separable

__all__ = ["Assumptions", "Dataset", "DatasetWarning", "from_array", "is_separable", "SEPARABILITY_THRESHOLD",
           "gaussian", "generalized_rademacher", "gr_example", "GR_ALPHAS", "GR_SIGNS", "shifted_diagonal", "sparse_planted",
           "load", "save_npz", "EXAMPLES", "example_path", "resolve"]
