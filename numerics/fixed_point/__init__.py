"""Fixed point of Theorem 4.8: Algorithm 3 (float64) and its high-precision Newton refinement (mpmath)."""

from .iteration import Algorithm3Result, algorithm3, fixed_point_map
from .newton import FixedPointResult, adam_proxy_fixed_point, kkt_function

__all__ = ["fixed_point_map", "algorithm3", "Algorithm3Result", "adam_proxy_fixed_point", "FixedPointResult",
           "kkt_function"]
from .certify import Certificate, Check, certify_fixed_point  # noqa: E402 -- the certificate (docs/math.md §13.3)
from .robust import (AdamProxyMatch, FixedPointSearch, FixedPointSolution, FoundFixedPoint,  # noqa: E402
                     adam_proxy_limit_fixed_point, find_fixed_points, local_rate, newton_fixed_point,
                     solve_fixed_point, support_system)  # robust solver (docs/math.md §13.4)

__all__ += ["certify_fixed_point", "Certificate", "Check", "solve_fixed_point", "newton_fixed_point",
            "find_fixed_points", "adam_proxy_limit_fixed_point", "local_rate", "support_system",
            "FixedPointSolution", "FoundFixedPoint", "FixedPointSearch", "AdamProxyMatch"]
