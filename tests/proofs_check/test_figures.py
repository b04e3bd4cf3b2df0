"""proofs_check.figures: every figure of the paper is drawn as a valid, non-trivial PNG (not pixel-exact)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

from proofs_check.figures import FIGURES, draw_all  # noqa: E402

EXPECTED = ("fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig8", "fig9", "fig10")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures") / "nested" / "dir"  # draw_all creates missing directories
    return out, draw_all(out, quick=True)


def test_every_figure_is_written(drawn):
    out, paths = drawn
    assert [p.name for p in paths] == [f"{name}.png" for name in EXPECTED]
    assert tuple(FIGURES) == EXPECTED
    assert all(p.parent == out and p.is_file() for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.png" for name in EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_figure_is_a_nontrivial_png(drawn, name):
    import matplotlib.image as mpimg

    path = drawn[0] / f"{name}.png"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert path.stat().st_size > 10_000
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 300 and img.shape[1] > 400
    rgb = img[..., :3]
    assert float(rgb.std()) > 0.05, "the image is (nearly) a single colour"
    # curves and text: a fair number of distinct colours, and some ink (dark pixels) on the page
    assert len(np.unique((rgb.reshape(-1, 3) * 255).astype(np.uint8), axis=0)) > 50
    assert float(np.mean(rgb.mean(axis=2) < 0.5)) > 0.005


def test_single_figure_function(tmp_path):
    path = FIGURES["fig9"](tmp_path, True, 0)
    assert path == tmp_path / "fig9.png" and path.read_bytes()[:8] == PNG_SIGNATURE


def test_drawing_needs_no_display_and_never_touches_pyplot(tmp_path):
    """Importing and drawing work headless and leave pyplot (and so the user's backend) alone."""
    code = ("import sys; import proofs_check.figures; assert 'matplotlib.pyplot' not in sys.modules; "
            "from proofs_check.figures._common import new_figure, save; fig, (ax,) = new_figure(); "
            f"ax.plot([1, 2], [3, 1]); save(fig, {str(tmp_path)!r}, 'probe'); "
            "assert 'matplotlib.pyplot' not in sys.modules; print('ok')")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"
    assert (tmp_path / "probe.png").read_bytes()[:8] == PNG_SIGNATURE


def test_plain_loop_fallback_gives_the_same_trajectory(monkeypatch):
    """Without numba the figures use numerics.optimizers.run (shorter horizons, same curves)."""
    from numerics.optimizers import inc_adam, run
    from proofs_check.figures import _common

    X, P, _ = _common.dataset("gr")
    fast = _common.simulate(X, inc_adam(), 500, {"l2": P.l2.direction}, checkpoints=5)
    monkeypatch.setattr(_common, "HAVE_NUMBA", False)
    assert _common.horizon(True) < _common.horizon(False) <= 50_000
    slow = _common.simulate(X, inc_adam(), 500, {"l2": P.l2.direction}, checkpoints=5)
    ref = run(X, inc_adam(), 500, references={"l2": P.l2.direction}, checkpoints=5, progress=False)
    np.testing.assert_allclose(slow.cos["l2"], ref.cos["l2"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(fast.cos["l2"], ref.cos["l2"], rtol=0, atol=1e-12)
