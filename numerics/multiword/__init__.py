"""Multi-word floating point (double-double, quad-double) for high-precision simulations."""
