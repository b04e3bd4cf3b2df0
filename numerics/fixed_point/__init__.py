"""Fixed point of Theorem 4.8: Algorithm 3 (float64) and its high-precision Newton refinement (mpmath)."""

from .iteration import Algorithm3Result, algorithm3, fixed_point_map
from .newton import FixedPointResult, adam_proxy_fixed_point, kkt_function

__all__ = ["fixed_point_map", "algorithm3", "Algorithm3Result", "adam_proxy_fixed_point", "FixedPointResult",
           "kkt_function"]
