"""Write the bundled example datasets (deterministic): ``python -m numerics.datasets.make_examples``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .generators import gaussian, gr_example, shifted_diagonal

__all__ = ["write_examples"]


def write_examples(out: Path | None = None) -> list[Path]:
    """Write the bundled examples (Ex. 4.10 Gaussian, Def. 3.1 GR, Ex. 4.11 shifted diagonal) into ``out``."""
    out = Path(out) if out is not None else Path(__file__).parent / "examples"
    out.mkdir(parents=True, exist_ok=True)
    g = gaussian(10, 50, seed=0)
    written = []
    for name, ds in (("gaussian_n10_d50", g), ("gr_n4_d6", gr_example()),
                     ("shifted_diagonal_n4", shifted_diagonal())):
        np.savez(out / f"{name}.npz", X=ds.X)
        written.append(out / f"{name}.npz")
    # The CSV holds the Gaussian set with random labels un-absorbed: loading must re-absorb them.
    y = np.random.default_rng(1).choice([-1.0, 1.0], size=g.N)
    rows = np.hstack([g.X * y[:, None], y[:, None]])
    header = ",".join([f"x{k}" for k in range(g.d)] + ["y"])
    np.savetxt(out / "gaussian_n10_d50.csv", rows, delimiter=",", header=header, comments="", fmt="%.17g")
    written.append(out / "gaussian_n10_d50.csv")
    return written


if __name__ == "__main__":
    for p in write_examples():
        print(p)
