"""Sweeps on Dask: a LocalCluster with 2 worker processes gives the process pool's results bit for bit,
reached through an executor, the configuration's ``scheduler`` key and ``proofs-check sweep --scheduler``.

dask[distributed] is part of the ``test`` extra, so these run wherever the test suite does (no skip).
"""

import concurrent.futures as cf
import json
import logging

import dask
import distributed
import pytest

from numerics.sweeps import ConfigError, dask_executor, parse_config, run_sweep
from proofs_check.cli import main

from .test_sweeps import N_TINY, TINY

# generous: two worker processes import numba and cvxpy on a loaded 2-core machine
TIMEOUTS = {"distributed.comm.timeouts.connect": "120s", "distributed.comm.timeouts.tcp": "120s"}


@pytest.fixture(scope="module")
def cluster():
    with dask.config.set(TIMEOUTS), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None, silence_logs=logging.ERROR, death_timeout=120) as lc:
        yield lc


@pytest.fixture(scope="module")
def pool_run(tmp_path_factory):
    """The reference: the same grid through a local process pool of 2 workers."""
    out = tmp_path_factory.mktemp("pool")
    with cf.ProcessPoolExecutor(max_workers=2) as ex:
        res = run_sweep(parse_config(TINY.format(engine="auto")), out, ex, progress=False)
    assert res.ok and len(res.runs) == N_TINY
    return out


def results(out):
    """Every run and prediction file of a sweep, parsed, without the wall-clock seconds."""
    files = sorted((out / "runs").glob("*.json")) + sorted((out / "predictions").glob("*.json"))
    parsed = {f"{p.parent.name}/{p.name}": json.loads(p.read_text()) for p in files}
    for r in parsed.values():
        r.pop("seconds", None)
    return parsed


def runs_done_on(cluster) -> int:
    """How many sweep runs the cluster's workers have finished so far (the scheduler's cumulative count)."""
    prefix = cluster.scheduler.task_prefixes.get("execute_run")
    return 0 if prefix is None else prefix.state_counts["memory"]


def assert_same_as_pool(out, pool_out):
    got, want = results(out), results(pool_out)
    assert sorted(got) == sorted(want) and len(got) == N_TINY + 2
    for name in want:
        assert got[name] == want[name], name  # floats parsed from their repr: equal means bit for bit


def test_dask_executor_equals_process_pool_bit_for_bit(cluster, pool_run, tmp_path):
    before = runs_done_on(cluster)
    with distributed.Client(cluster, set_as_default=False, timeout=120) as client:
        res = run_sweep(parse_config(TINY.format(engine="auto")), tmp_path, client.get_executor(), progress=False)
    assert res.ok and len(res.runs) == N_TINY
    assert runs_done_on(cluster) == before + N_TINY and "predict_dataset" in cluster.scheduler.task_prefixes
    assert_same_as_pool(tmp_path, pool_run)


def test_cli_scheduler_flag(cluster, pool_run, tmp_path, capsys):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY.format(engine="auto"))
    before = runs_done_on(cluster)
    code = main(["sweep", str(cfg), "--out", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{N_TINY}/{N_TINY} runs ok on the Dask scheduler at {cluster.scheduler_address}" in out
    assert runs_done_on(cluster) == before + N_TINY
    assert_same_as_pool(tmp_path / "out", pool_run)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["sweep"]["scheduler"] == cluster.scheduler_address


def test_scheduler_key_in_the_configuration(cluster, pool_run, tmp_path):
    text = TINY.format(engine="auto").replace("[sweep]\n", f'[sweep]\nscheduler = "{cluster.scheduler_address}"\n')
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(text)
    before = runs_done_on(cluster)
    res = run_sweep(cfg, tmp_path / "out", progress=False)  # no executor given: the configuration's scheduler
    assert res.ok and runs_done_on(cluster) == before + N_TINY
    assert_same_as_pool(tmp_path / "out", pool_run)


@pytest.mark.parametrize("address,fragment", [
    ("localhost", "missing port"),
    ("nonsense://127.0.0.1:1", "unknown address scheme"),
])
def test_bad_scheduler_address_is_one_line_exit_2(tmp_path, capsys, address, fragment):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY.format(engine="auto"))
    assert main(["sweep", str(cfg), "--out", str(tmp_path / "o"), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot connect to the Dask scheduler" in err and fragment in err


def test_unreachable_scheduler_times_out_with_one_line():
    with pytest.raises(ConfigError, match="cannot connect to the Dask scheduler at tcp://127.0.0.1:1") as info:
        with dask_executor("tcp://127.0.0.1:1", timeout=1):
            pass
    assert "\n" not in str(info.value)


def test_workers_and_scheduler_together_are_a_usage_error(tmp_path, capsys):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY.format(engine="auto"))
    assert main(["sweep", str(cfg), "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "give one" in capsys.readouterr().err


def test_scheduler_key_is_checked(tmp_path):
    with pytest.raises(ConfigError, match="sweep.scheduler must be an address"):
        parse_config("[sweep]\nscheduler = 8786\n[datasets.a]\ndata = 'gr_n4_d6'\n[[grid]]\noptimizer = 'gd'\n")
