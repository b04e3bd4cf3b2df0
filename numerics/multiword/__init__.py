"""Multi-word floating point for high-precision simulations: double-double (2 float64 words, 106 bits,
~31 digits) and quad-double (4 words, 212 bits, ~62 digits), compiled by numba.

Why.  A 30-digit run of the mpmath backend costs ~0.1-1 us per element operation in Python (68x the
float64 loop at N = 10, d = 50, 735x at 1000 x 2000); gmpy2, python-flint and xprec arrays pay the same
per-element toll (benchmarks/precision_bench.py).  Double-double arithmetic compiled into the loops
runs the sequential optimizers at 30 digits faster than the plain float64 loop at N = 10 and within
about 5x of it at 1000 x 2000.

One definition of the algorithms.  :mod:`.algebra` overloads Python's operators and :mod:`.elementary`
the operations of :mod:`numerics.ops` for the numba type ``Multiword`` (:mod:`.nbtypes`), so the functions
of :mod:`numerics.arith` compile unchanged on it; :mod:`.kernels` are the loops of
:mod:`numerics.fast.kernels` on :class:`.words.WordArray` state.  Reached through
``numerics.backend.backend_from_precision(DIGITS)`` / ``multiword_backend`` and
``numerics.optimizers.run(..., engine="auto" | "compiled")``.

Hand-written.  No maintained package provides double-double or quad-double numbers inside numba code
(xprec is a numpy dtype, doubledouble pure Python), so the error-free transformations (:mod:`.eft`) and
the operations on them follow the QD library: Hida, Li, Bailey 2001, "Algorithms for quad-double
precision floating point arithmetic", and Shewchuk 1997, "Adaptive precision floating-point
arithmetic and fast robust geometric predicates"; error bounds from Joldes, Muller, Popescu 2017.

Range.  The exponent range is float64's; the log-domain scaling of the optimizers (docs/math.md §13.5)
keeps the state inside it, so the extreme-magnitude behaviour is float64's.  Full precision needs the
lower words normal: magnitudes above ~1e-292 (double-double) and ~1e-260 (quad-double); below that the
precision falls towards float64's, as the float64 value itself does.
"""
