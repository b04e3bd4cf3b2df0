"""Sweeps: TOML grid -> runs, in a process pool and a thread pool (Dask: test_dask.py); output and progress."""

import argparse
import concurrent.futures as cf
import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from numerics.errors import ToolkitError
from numerics.sweeps import EXAMPLES_DIR, CSV_COLUMNS, ConfigError, load_config, parse_config, run_sweep
from numerics.sweeps import runner as sweep_runner
from proofs_check.cli import main
from proofs_check.sweep import add_parser, sweep_main

TINY = """
[sweep]
name = "tiny"
checkpoints = 4
engine = "{engine}"

[datasets.gr]
data = "gr_n4_d6"

[datasets.diag]
generator = "shifted_diagonal"
a = [1.0, 2.0, 3.0]
b = 0.5
d = 4

[[grid]]
optimizer = ["inc-adam", "adam", "inc-signum"]
sampling = "replacement"
beta = [0.9, 0.99]
beta2 = 0.999
seed = [0, 1]
steps = 300
"""
# inc-adam: 2 datasets (seed dropped: cyclic); adam: 2 datasets x 2 seeds; inc-signum: 2 datasets x 2 betas
N_TINY = 2 + 4 + 4


def tiny(engine="auto"):
    return parse_config(TINY.format(engine=engine), name="tiny")


def test_grid_expansion_drops_unused_settings_and_merges_duplicates():
    cfg = tiny()
    assert len(cfg.runs) == N_TINY
    assert [r.id for r in cfg.runs] == [f"r{i:04d}" for i in range(N_TINY)]
    by_opt = {}
    for r in cfg.runs:
        by_opt.setdefault(r.optimizer, []).append(r)
    assert all(dict(r.settings) == {"beta2": 0.999} and r.seed == 0 for r in by_opt["inc-adam"])
    assert {(r.dataset, r.seed) for r in by_opt["adam"]} == {(d, s) for d in ("gr", "diag") for s in (0, 1)}
    assert all(dict(r.settings) == {"beta2": 0.999, "sampling": "replacement"} for r in by_opt["adam"])
    assert {dict(r.settings)["beta"] for r in by_opt["inc-signum"]} == {0.9, 0.99}


def check_output(out, n, cfg):
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed"] == 0 and len(summary["runs"]) == n
    rows = list(csv.DictReader(open(out / "summary.csv")))
    assert len(rows) == n and tuple(rows[0]) == CSV_COLUMNS
    assert sorted(p.name for p in (out / "predictions").iterdir()) == ["diag.json", "gr.json"]
    for spec in cfg.runs:
        r = json.loads((out / "runs" / f"{spec.id}.json").read_text())
        assert r["status"] == "ok" and r["steps"] == spec.steps and r["optimizer"] == spec.optimizer
        d = np.asarray(r["direction"])
        assert np.all(np.isfinite(d)) and abs(np.linalg.norm(d) - 1) < 1e-12
        assert set(r["cos"]) == {"l2", "linf", "adam_proxy", "signsgd"}
        assert all(-1 - 1e-12 <= c <= 1 + 1e-12 for c in r["cos"].values())
        assert "mahalanobis" in r["margins"]
        assert len(r["trajectory"]["steps"]) == len(r["trajectory"]["log_loss"]) >= 2
    return summary


def test_process_pool_two_workers(tmp_path):
    cfg = tiny()
    with cf.ProcessPoolExecutor(max_workers=2) as ex:
        res = run_sweep(cfg, tmp_path, ex, progress=False)
    assert res.ok and len(res.runs) == N_TINY
    check_output(tmp_path, N_TINY, cfg)


def test_thread_pool_and_engines_agree(tmp_path):
    """Same grid, reference engine in a thread pool: the same numbers as the compiled engine (to rounding);
    "fast" and "plain" are still read as the old names of "auto" and "reference"."""
    lines = []
    with cf.ThreadPoolExecutor(max_workers=2) as ex:
        fast = run_sweep(tiny("fast"), tmp_path / "fast", ex, progress=lines.append)
        plain = run_sweep(tiny("plain"), tmp_path / "plain", ex, progress=False)
    assert any(line.startswith(f"[{N_TINY}/{N_TINY}]") for line in lines)
    check_output(tmp_path / "plain", N_TINY, tiny("plain"))
    for a, b in zip(fast.runs, plain.runs):
        assert a["id"] == b["id"] and a["engine"] == "compiled" and b["engine"] == "reference"
        assert a["log_loss"] == pytest.approx(b["log_loss"], rel=1e-10)
        for k in a["cos"]:
            assert a["cos"][k] == pytest.approx(b["cos"][k], abs=1e-10)


def test_failed_run_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch, capsys):
    import numerics.optimizers as optimizers

    real = optimizers.run

    def flaky(X, opt, steps, **kw):
        if opt.name == "inc-signum":
            raise ToolkitError("simulated failure\nsecond line")
        return real(X, opt, steps, **kw)

    monkeypatch.setattr(optimizers, "run", flaky)
    cfg_path = tmp_path / "tiny.toml"
    cfg_path.write_text(TINY.format(engine="fast"))
    with cf.ThreadPoolExecutor(max_workers=2) as ex:
        code = sweep_main(cfg_path, tmp_path / "out", ex, progress=False)
    assert code == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    failed = [r for r in summary["runs"] if r["status"] != "ok"]
    assert summary["failed"] == len(failed) == 4
    assert all(r["optimizer"] == "inc-signum" and r["error"] == "ToolkitError: simulated failure" for r in failed)
    out, err = capsys.readouterr()
    assert "6/10 runs ok" in out and err.count("simulated failure") == 4


def test_sweep_main_and_parser(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text(TINY.format(engine="fast"))
    args = parser.parse_args(["sweep", str(cfg_path), "--out", str(tmp_path / "o"), "--workers", "2"])
    assert args.func(args) == 0
    assert f"{N_TINY}/{N_TINY} runs ok" in capsys.readouterr().out


@pytest.mark.parametrize("text,match", [
    ("[sweep]\nname = 1\n", "name must be a string"),
    ("[sweep]\nengine = 'gpu'\n", "engine"),
    ("[sweep]\nfoo = 1\n", "unknown \\[sweep\\] key"),
    ("[[grid]]\noptimizer = 'gd'\n", "at least one dataset"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n", "at least one grid"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\nbeta1 = 0.5\n", "'optimizer' is required"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'sgd'\n", "unknown optimizer 'sgd'"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\ndataset = 'b'\n", "unknown dataset 'b'"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'inc-adam'\nbeta1 = 0.99\nbeta2 = 0.9\n", "beta1 <= beta2"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\nsteps = 0\n", "steps must be positive"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\nsteps = []\n", "empty list"),
    ("[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\nlr = 1\n", "unknown key"),
    ("[datasets.a]\ngenerator = 'mnist'\n[[grid]]\noptimizer = 'gd'\n", "unknown generator"),
    ("[datasets.a]\ndata = 'x'\ngenerator = 'gaussian'\n[[grid]]\noptimizer = 'gd'\n", "exactly one"),
    ("[sweep\n", "not valid TOML"),
    ("[sweep]\nengine = 'compiled'\nprecision = 30\n", "reference engine"),
])
def test_config_errors_are_one_line(text, match):
    with pytest.raises(ConfigError, match=match) as info:
        parse_config(text)
    assert "\n" not in str(info.value)


def test_data_errors_surface_before_any_run(tmp_path):
    bad = "[datasets.a]\ngenerator = 'gaussian'\nN = 10\nd = 50\nbogus = 1\n[[grid]]\noptimizer = 'gd'\nsteps = 5\n"
    with pytest.raises(ToolkitError, match="bogus"):
        run_sweep(parse_config(bad), tmp_path, cf.ThreadPoolExecutor(1), progress=False)
    toobig = "[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'adam'\nbatch_size = 5\nsteps = 5\n"
    with pytest.raises(ToolkitError, match="exceeds"):
        run_sweep(parse_config(toobig), tmp_path, cf.ThreadPoolExecutor(1), progress=False)
    with pytest.raises(ConfigError, match="no such sweep configuration"):
        load_config(tmp_path / "missing.toml")


def test_example_configs_parse():
    names = sorted(p.name for p in EXAMPLES_DIR.glob("*.toml"))
    assert names == ["fig6_batch.toml", "fig8_betas.toml", "quick.toml"]
    assert len(load_config(EXAMPLES_DIR / "fig6_batch.toml").runs) == 4 * 3 * 3 - 4 * 2  # cyclic: one seed
    assert len(load_config(EXAMPLES_DIR / "fig8_betas.toml").runs) == 4 + 5 - 1 + 1  # (0.5, 0.999) twice


def test_json_cleaning_turns_nonfinite_into_null():
    assert sweep_runner._clean({"a": np.float64("nan"), "b": [np.inf, 1.5], "c": np.int64(3), "d": np.bool_(True)}) \
        == {"a": None, "b": [None, 1.5], "c": 3, "d": True}


def test_existing_results_are_not_mixed_with_new_ones(tmp_path, capsys):
    """A second sweep into the same --out is refused (one line, exit 2) until --overwrite, which leaves
    only the new sweep's files."""
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(TINY.format(engine="auto"))
    second.write_text("[sweep]\ncheckpoints = 3\n[datasets.gr]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\n"
                      "steps = 50\n")
    out = tmp_path / "out"
    assert main(["sweep", str(first), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["sweep", str(second), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "already holds the results of a sweep" in err and "--overwrite" in err
    assert len(list((out / "runs").iterdir())) == N_TINY  # untouched
    assert main(["sweep", str(second), "--out", str(out), "--overwrite"]) == 0
    assert [p.name for p in (out / "runs").iterdir()] == ["r0000.json"]
    assert [p.name for p in (out / "predictions").iterdir()] == ["gr.json"]
    assert len(json.loads((out / "summary.json").read_text())["runs"]) == 1


def test_out_that_is_a_file_is_one_line(tmp_path, capsys):
    cfg, out = tmp_path / "c.toml", tmp_path / "afile"
    cfg.write_text(TINY.format(engine="auto"))
    out.write_text("x")
    assert main(["sweep", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is a file" in err


def test_csv_holds_the_effective_hyperparameters(tmp_path):
    """Settings left at their defaults appear in summary.csv with the values the optimizer used."""
    text = ("[sweep]\ncheckpoints = 3\npredict = false\n[datasets.gr]\ndata = 'gr_n4_d6'\n"
            "[[grid]]\noptimizer = ['inc-adam', 'inc-signum', 'gd']\nsteps = 50\n"
            "[[grid]]\noptimizer = 'inc-adam'\nbeta2 = 0.99\neta0 = 0.05\nsteps = 50\n")
    with cf.ThreadPoolExecutor(max_workers=1) as ex:
        run_sweep(parse_config(text), tmp_path, ex, progress=False)
    rows = {(r["optimizer"], r["beta2"]): r for r in csv.DictReader(open(tmp_path / "summary.csv"))}
    default = rows[("inc-adam", "0.999")]
    assert (default["beta1"], default["eta0"], default["a"], default["beta"]) == ("0.9", "0.1", "0.5", "")
    assert rows[("inc-adam", "0.99")]["eta0"] == "0.05" and rows[("inc-adam", "0.99")]["beta1"] == "0.9"
    signum = rows[("inc-signum", "")]
    assert (signum["beta"], signum["batch_size"], signum["eta0"], signum["beta1"]) == ("0.99", "1", "0.1", "")
    gd = rows[("gd", "")]
    assert gd["eta0"] == "0.1" and gd["a"] == ""  # GD: a constant step
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert all(r["hyper"] for r in summary["runs"])


def test_a_long_run_shows_it_is_alive(tmp_path, monkeypatch):
    """While no run finishes, progress still prints a line every `heartbeat` seconds."""
    import threading

    import numerics.optimizers as optimizers

    real, alive = optimizers.run, threading.Event()

    def slow(X, opt, steps, **kw):
        alive.wait(timeout=60)  # finishes once a heartbeat line was printed
        return real(X, opt, steps, **kw)

    monkeypatch.setattr(optimizers, "run", slow)
    lines = []

    def say(line):
        lines.append(line)
        if "running or queued" in line:
            alive.set()

    text = "[sweep]\ncheckpoints = 3\npredict = false\n[datasets.gr]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\n"
    with cf.ThreadPoolExecutor(max_workers=1) as ex:
        res = run_sweep(parse_config(text), tmp_path, ex, progress=say, heartbeat=0.01)
    assert res.ok
    assert "[0/1] runs done, 1 running or queued" in lines and lines[-1].startswith("[1/1] r0000 gd on gr: ok")


def test_cli_sweep_prints_progress_when_piped(tmp_path):
    """`proofs-check sweep` with stderr not a terminal: one progress line per finished run."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[sweep]\ncheckpoints = 3\nworkers = 1\n[datasets.gr]\ndata = 'gr_n4_d6'\n[[grid]]\n"
                   "optimizer = 'gd'\nseed = 0\nsteps = [10, 20]\n")
    r = subprocess.run([sys.executable, "-m", "proofs_check.cli", "sweep", str(cfg), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "predictions for gr: done" in r.stderr and "[2/2]" in r.stderr
    assert "2/2 runs ok" in r.stdout


def test_each_run_reports_its_estimated_limit(tmp_path):
    """Sweeps use the same limit estimate as the checks and `simulate`: resolution and 1 - cos per prediction,
    in the run JSON and the CSV."""
    import csv

    with cf.ThreadPoolExecutor(max_workers=2) as ex:
        res = run_sweep(tiny(), tmp_path / "o", ex, progress=False)
    for r in res.runs:
        if r["status"] == "ok":
            assert set(r["limit"]) >= {"resolution", "method", "one_minus_cos", "reason"}
            assert r["limit"]["resolution"] is not None or r["limit"]["reason"]  # a number, or why not
    rows = list(csv.DictReader(open(tmp_path / "o" / "summary.csv")))
    assert all("limit_resolution" in row and "limit_one_minus_cos_l2" in row for row in rows)
