"""Rough edges of the command line that users met: where --debug goes, closed pipes, an --out that is a
file, the support column and LICQ of `predict`, `simulate --trajectory`, progress when piped or on a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from proofs_check.cli import main

CLI = [sys.executable, "-m", "proofs_check.cli"]


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- --debug
def test_debug_after_the_subcommand_shows_the_traceback(monkeypatch, capsys):
    import proofs_check.predict as predict_module

    def boom(*a, **k):
        raise OverflowError("simulated bug")

    monkeypatch.setattr(predict_module, "predict", boom)
    assert main(["predict", "gaussian_n10_d50"]) == 3  # without --debug: one line, exit 3
    assert "Traceback" not in capsys.readouterr().err
    for argv in (["predict", "gaussian_n10_d50", "--debug"], ["--debug", "predict", "gaussian_n10_d50"]):
        with pytest.raises(OverflowError, match="simulated bug"):
            main(argv)


def test_debug_after_the_subcommand_on_a_user_error(capsys):
    code, _, err = run_cli(capsys, "predict", "no/such/file.npz", "--debug")
    assert code == 2 and "Traceback" in err and err.strip().splitlines()[-1].startswith("proofs-check: error:")


# --------------------------------------------------------------------------- closed pipe
@pytest.mark.parametrize("argv", [["list", "-v"], ["predict", "gr_n4_d6"]])
def test_output_into_a_closed_pipe_is_not_an_error(argv):
    """As `proofs-check ... | head` once head has exited: the reader is gone before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        r = subprocess.run(CLI + argv, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=600)
    finally:
        os.close(write_end)
    assert r.returncode == 0 and r.stderr == ""


def test_piping_into_head(tmp_path):
    """The same through a shell pipeline: head's lines arrive, the command's own status is 0."""
    script = f"{' '.join(CLI)} list -v | head -n 2; echo status=${{PIPESTATUS[0]}}"
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("lemma-D.1") and lines[-1] == "status=0"
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- figures --out FILE
def test_figures_out_that_is_a_file_is_one_line_exit_2(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    code, out, err = run_cli(capsys, "figures", "--out", str(target), "--quick")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "is a file" in err and "internal error" not in err
    assert target.read_text() == "keep me"


# --------------------------------------------------------------------------- predict: support, LICQ
def test_support_column_lists_indices(capsys):
    code, out, _ = run_cli(capsys, "predict", "shifted_diagonal_n4")
    table = out.split("cosine between predictions")[0]  # the predictions table, not the cosine matrix
    rows = {line.split()[0]: line for line in table.splitlines()
            if line.split()[:1] in (["l2"], ["linf"], ["adam_proxy"])}
    assert code == 0 and "support (indices i)" in out
    assert "{0,1} (2 of 4)" in rows["l2"] and "{0} (1 of 4)" in rows["linf"] and "{0} (1 of 4)" in rows["adam_proxy"]


def test_support_cell_shapes():
    from proofs_check.textfmt import support_cell

    assert support_cell(list(range(10)), 10) == "{0..9} (10 of 10)"
    assert support_cell([0, 1, 4, 5, 6, 9], 10) == "{0,1,4..6,9} (6 of 10)"
    long = support_cell([i for i in range(200) if i % 7], 200)
    assert long.endswith(",...} (171 of 200)") and len(long) <= 24
    assert support_cell([], 4) == "-"


@pytest.mark.parametrize("large_path", [False, True])
def test_licq_is_a_bool_in_json_and_agrees_with_the_text(monkeypatch, capsys, large_path):
    """Both fixed-point paths (dense mpmath Newton; Newton on T(c) = c plus certificate above LARGE_N)."""
    from numerics.fixed_point import limit

    if large_path:
        monkeypatch.setattr(limit, "LARGE_N", 5)
    _, out, _ = run_cli(capsys, "predict", "gaussian_n10_d50", "--json")
    licq = json.loads(out)["adam_proxy"]["licq"]
    _, text, _ = run_cli(capsys, "predict", "gaussian_n10_d50")
    assert licq is True and "LICQ holds" in text


def test_licq_not_checked_is_said_so():
    from proofs_check.predict import predict
    from proofs_check.textfmt import prediction_table
    from numerics.datasets import resolve

    p = predict(resolve("gr_n4_d6"))
    p["adam_proxy"]["licq"] = None
    assert "LICQ not checked" in prediction_table(p)
    p["adam_proxy"]["licq"] = False
    assert "LICQ FAILS" in prediction_table(p)


def test_a_slow_predict_says_it_is_alive(monkeypatch, capsys):
    """predict has no step count; while it works, a line every few seconds (none when it is fast)."""
    import proofs_check.predict as predict_module
    from proofs_check import heartbeat

    real = predict_module.predict
    seen = []

    def slow(*a, **k):
        deadline = time.monotonic() + 60
        while not any("predict: still working" in s for s in seen) and time.monotonic() < deadline:
            seen.append(capsys.readouterr().err)
            time.sleep(0.01)
        return real(*a, **k)

    monkeypatch.setattr(heartbeat, "INTERVAL", 0.01)
    monkeypatch.setattr(predict_module, "predict", slow)
    assert main(["predict", "gr_n4_d6"]) == 0
    assert any("predict: still working" in s for s in seen)


def test_heartbeat_is_silent_when_fast():
    from proofs_check.heartbeat import Heartbeat

    lines = []
    with Heartbeat("x", interval=60, say=lines.append):
        pass
    assert lines == []


# --------------------------------------------------------------------------- simulate --trajectory
def test_simulate_trajectory_flag(capsys):
    base = ["simulate", "gr_n4_d6", "--optimizer", "inc-adam", "--steps", "500", "--json"]
    _, out, _ = run_cli(capsys, *base)
    assert "trajectory" not in json.loads(out)
    code, out, _ = run_cli(capsys, *base, "--trajectory")
    tr = json.loads(out)["trajectory"]
    assert code == 0 and tr["steps"][-1] == 500 and np.all(np.diff(tr["steps"]) > 0)
    assert len(tr["log_loss"]) == len(tr["steps"]) and all(len(v) == len(tr["steps"]) for v in tr["cos"].values())
    code, _, err = run_cli(capsys, "simulate", "gr_n4_d6", "--optimizer", "gd", "--trajectory")
    assert code == 2 and "--trajectory goes with --json" in err


# --------------------------------------------------------------------------- progress
def terminal_lines(raw: str) -> list[str]:
    """What a terminal shows: each line as left by its last carriage return."""
    return [line.split("\r")[-1].rstrip() for line in raw.replace("\r\n", "\n").split("\n")]


def test_progress_bar_leaves_no_blank_line_above_the_table():
    """On a terminal the run's bar is drawn and then cleared: the table starts on the first line."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(CLI + ["simulate", "gaussian_n10_d50", "--optimizer", "inc-adam", "--steps", "2e6"],
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=600) == 0
    raw = b"".join(chunks).decode(errors="replace")
    assert "step/s" in raw or "%|" in raw  # a bar was drawn
    assert terminal_lines(raw)[0].startswith("inc-adam (")


def test_figures_pass_progress_and_print_each_png(monkeypatch, capsys, tmp_path):
    """`figures` asks every run for progress (lines every few seconds when piped) and names each PNG as it
    is written; with --data the figures that keep their own data say so."""
    from proofs_check.figures import _common, adam, signum, sweeps

    asked = []
    real = _common.run

    def recording_run(*a, progress=None, **k):
        asked.append(progress)
        return real(*a, progress=False, **k)

    monkeypatch.setattr(_common, "run", recording_run)
    for module in (adam, signum, sweeps):
        monkeypatch.setattr(module, "horizon", lambda quick: 400)
    code, out, _ = run_cli(capsys, "figures", "--out", str(tmp_path), "--data", "gr_n4_d6")
    assert code == 0 and asked and all(p is True for p in asked)
    lines = out.strip().splitlines()
    assert [line.split()[1] for line in lines] == [str(tmp_path / f"fig{k}.png") for k in (1, 2, 3, 4, 5, 6, 8, 9, 10)]
    own = [line for line in lines if "its own data" in line]
    assert [line.split()[1][-8:] for line in own] == ["fig2.png", "fig4.png", "fig9.png"]
