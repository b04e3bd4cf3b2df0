"""Write the bundled example datasets (deterministic): ``python -m numerics.datasets.make_examples [OUT_DIR]``.

gaussian_n10_d50.npz  gaussian(10, 50, seed=0)             (Ex. 4.10, Fig. 1: N = 10; d = 50 chosen)
gr_n4_d6.npz          gr_example() = GR_ALPHAS x GR_SIGNS  (Def. 3.1; a hand-picked seeded draw, see generators)
shifted_diagonal_n4.npz  shifted_diagonal()                (Ex. 4.11 reconstruction, a = (1, 2, 3, 4), b = 1/2)
sparse_planted_n60_d10.npz  sparse_planted()                 (71% zeros, D(c*) singular: docs/math.md §13.8)
gaussian_n10_d50.csv  the Gaussian rows times random labels y_i (default_rng(1)), with y as the last column and
                      a header line: loading re-absorbs the labels and reproduces the .npz's X exactly.
The real datasets beside them (numerics.datasets.bundled.REAL_EXAMPLES, examples/REAL_DATA.md) are data, not
written here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .generators import gaussian, gr_example, shifted_diagonal, sparse_planted

__all__ = ["write_examples"]

CSV_LABEL_SEED = 1


def write_examples(out: str | Path | None = None) -> list[Path]:
    """Write the bundled examples into ``out`` (default: the package's examples/ directory); returns the paths."""
    out = Path(out) if out is not None else Path(__file__).parent / "examples"
    out.mkdir(parents=True, exist_ok=True)
    g = gaussian(10, 50, seed=0)
    written = []
    for name, ds in (("gaussian_n10_d50", g), ("gr_n4_d6", gr_example()), ("shifted_diagonal_n4", shifted_diagonal()),
                     ("sparse_planted_n60_d10", sparse_planted())):
        np.savez(out / f"{name}.npz", X=ds.X)
        written.append(out / f"{name}.npz")
    y = np.random.default_rng(CSV_LABEL_SEED).choice([-1.0, 1.0], size=g.N)
    rows = np.hstack([g.X * y[:, None], y[:, None]])  # x_i = y_i * row_i, so y_i * x_i = row_i again
    header = ",".join([f"x{k}" for k in range(g.d)] + ["y"])
    np.savetxt(out / "gaussian_n10_d50.csv", rows, delimiter=",", header=header, comments="", fmt="%.17g")
    written.append(out / "gaussian_n10_d50.csv")
    return written


if __name__ == "__main__":
    for path in write_examples(sys.argv[1] if len(sys.argv) > 1 else None):
        print(path)
