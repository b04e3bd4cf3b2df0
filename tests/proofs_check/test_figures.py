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


def capture_figures(mp: pytest.MonkeyPatch) -> dict:
    """Keep each matplotlib Figure as it is saved (name -> Figure), to look at its axes."""
    from proofs_check.figures import adam, signum, sweeps

    figures = {}
    for module in (adam, signum, sweeps):
        def save(fig, out_dir, name, _real=module.save):
            figures[name] = fig
            return _real(fig, out_dir, name)
        mp.setattr(module, "save", save)
    return figures


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures") / "nested" / "dir"  # draw_all creates missing directories
    with pytest.MonkeyPatch.context() as mp:
        figures = capture_figures(mp)
        paths = draw_all(out, quick=True)
    return out, paths, figures


def test_every_figure_is_written(drawn):
    out, paths, _ = drawn
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

    D = _common.default_data("gr")
    X, P = D.X, D.limits
    fast = _common.simulate(X, inc_adam(), 500, {"l2": P.l2.direction}, checkpoints=5)
    monkeypatch.setattr(_common, "HAVE_NUMBA", False)
    assert _common.horizon(True) < _common.horizon(False) <= 50_000
    slow = _common.simulate(X, inc_adam(), 500, {"l2": P.l2.direction}, checkpoints=5)
    ref = run(X, inc_adam(), 500, references={"l2": P.l2.direction}, checkpoints=5, progress=False)
    np.testing.assert_allclose(slow.cos["l2"], ref.cos["l2"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(fast.cos["l2"], ref.cos["l2"], rtol=0, atol=1e-12)


def test_fig5_shows_every_curve_whole(drawn):
    """The left panel's y range holds every plotted margin (early margins lie far below -gamma_inf)."""
    left = drawn[2]["fig5"].axes[0]
    low, high = left.get_ylim()
    curves = [line.get_ydata() for line in left.get_lines() if line.get_label().startswith("batch size")]
    assert len(curves) == 4
    assert all(low <= float(np.min(y)) and float(np.max(y)) <= high for y in curves)


def short(mp: pytest.MonkeyPatch, steps: int = 400) -> None:
    from proofs_check.figures import adam, signum, sweeps

    for module in (adam, signum, sweeps):
        mp.setattr(module, "horizon", lambda quick: steps)


def test_figures_on_user_data(tmp_path, monkeypatch):
    """With data, the figures that can use it draw on it (label in the title, batch sizes dividing its N);
    the GR and shifted-diagonal figures keep their own data."""
    from numerics.datasets import resolve
    from proofs_check.figures import OWN_DATA, user_data

    short(monkeypatch)
    figures = capture_figures(monkeypatch)
    paths = draw_all(tmp_path, data=user_data(resolve("gr_n4_d6")))
    assert [p.name for p in paths] == [f"{name}.png" for name in EXPECTED]
    for name, fig in figures.items():
        title = " ".join([t.get_text() for t in fig.texts] + [fig.axes[0].get_title()])  # suptitle or axes title
        assert ("gr_n4_d6 (N=4, d=6)" in title) == (name not in OWN_DATA), name
    labels = {line.get_label() for line in figures["fig6"].axes[0].get_lines()}
    assert labels == {"batch size 1", "batch size 2", "batch size 4"}


def test_batch_sizes_divide_n():
    from proofs_check.figures._common import batch_sizes

    assert batch_sizes(10) == (1, 2, 5, 10)
    assert batch_sizes(7) == (1, 7)
    assert all(12 % b == 0 for b in batch_sizes(12)) and len(batch_sizes(12)) == 4


def test_a_prediction_that_fails_on_user_data_is_one_line(monkeypatch, tmp_path):
    """A figure that needs the fixed point says so in one line when it cannot be computed for the data."""
    import dataclasses

    from numerics.datasets import resolve
    from numerics.errors import ToolkitError
    from numerics.limits import Failure
    from proofs_check.figures import fig3, user_data

    data = user_data(resolve("gr_n4_d6"))
    broken = dataclasses.replace(data, limits=dataclasses.replace(data.limits, adam_proxy=Failure("no convergence")))
    with pytest.raises(ToolkitError, match="fp prediction could not be computed for this data: no convergence"):
        fig3(tmp_path, True, 0, data=broken)


def test_out_that_is_a_file(tmp_path):
    from numerics.errors import ConfigError

    target = tmp_path / "f.png"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        draw_all(target, quick=True)
