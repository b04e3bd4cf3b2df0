"""`simulate --budget`: runs longer until a prediction is the limit or the budget would be overrun (behaviour,
not seconds: the budgets below are either far above or far below any run's time)."""

import warnings

from numerics.datasets import resolve
from proofs_check.cli import main
from proofs_check.simulate import simulate


def _iris():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return resolve("iris_setosa_versicolor")


def test_budget_grows_the_horizon_until_decided():
    out = simulate(_iris(), "adam-proxy", steps=1000, settings={"a": 0.2}, budget=600.0, progress=False)
    steps = [r["steps"] for r in out["horizon"]["runs"]]
    assert out["converged_to"] == "adam_proxy" and out["horizon"]["runs"][-1]["decided"] == "adam_proxy"
    assert steps[0] == 1000 and len(steps) >= 2  # 1000 steps do not decide
    assert all(b >= 2 * a for a, b in zip(steps, steps[1:]))  # 4x, or the horizon the estimate's rate asks for
    assert all(r["decided"] is None for r in out["horizon"]["runs"][:-1]) and out["horizon"]["needed"] is None


def test_a_budget_too_small_for_a_second_run_says_what_is_needed():
    out = simulate(_iris(), "adam-proxy", steps=2000, settings={"a": 0.2}, budget=1e-6, progress=False)
    assert len(out["horizon"]["runs"]) == 1 and out["converged_to"] is None
    needed = out["horizon"]["needed"]
    assert needed is None or needed > 2000  # None: the estimate has not settled, so there is no rate to use


def test_budget_on_the_command_line(capsys):
    assert main(["simulate", "iris_setosa_versicolor", "--optimizer", "adam-proxy", "--decay", "0.2",
                 "--steps", "1000", "--budget", "600"]) == 0
    out = capsys.readouterr().out
    assert "budget 600 s: runs of 1000" in out and "limit" in out
    try:
        code = main(["simulate", "iris_setosa_versicolor", "--optimizer", "gd", "--budget", "-1"])
    except SystemExit as exc:  # argparse-level errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and "finite positive number" in err and len(err.strip().splitlines()) == 1
