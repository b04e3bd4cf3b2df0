"""Datasets: rows y_i x_i (labels absorbed), validated against the paper's assumptions (2.1, 2.2, Def. 3.1)."""

from .dataset import Assumptions, Dataset, DatasetWarning, from_array, is_separable
from .generators import GR_ALPHAS, GR_SIGNS, gaussian, generalized_rademacher, gr_example, shifted_diagonal
from .io import EXAMPLES, example_path, load, resolve, save_npz

__all__ = ["Assumptions", "Dataset", "DatasetWarning", "from_array", "is_separable", "gaussian",
           "generalized_rademacher", "gr_example", "GR_ALPHAS", "GR_SIGNS", "shifted_diagonal", "EXAMPLES", "example_path", "load", "resolve", "save_npz"]
