"""`proofs-check predict` and `simulate`: JSON contract, readable tables, one-line errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

from proofs_check.cli import main

GAUSS = np.random.default_rng(0).standard_normal((10, 50))


@pytest.fixture(scope="module")
def gauss_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("data") / "gauss.npz"
    np.savez(p, X=GAUSS)
    return str(p)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_json_contract(capsys, gauss_file):
    code, out, _ = run_cli(capsys, "predict", gauss_file, "--json")
    assert code == 0
    p = json.loads(out)
    for key in ("l2", "linf", "adam_proxy", "signsgd"):
        d = np.array([float(v) for v in p[key]["direction"]])
        assert abs(np.linalg.norm(d) - 1) < 1e-12 and isinstance(p[key]["margin"], float)
    ap = p["adam_proxy"]
    assert set(ap) >= {"c", "support", "iterations", "kkt_residual"}
    assert ap["support"] == list(range(10)) and ap["kkt_residual"] < 1e-40 and ap["licq"]
    # the l2 margin of the l2 solution is the largest l2 margin of all predictions
    l2dirs = {k: np.array(p[k]["direction"], float) for k in ("l2", "adam_proxy", "signsgd")}
    margins = {k: np.min(GAUSS @ v) for k, v in l2dirs.items()}
    assert margins["l2"] == pytest.approx(p["l2"]["margin"], rel=1e-9) and margins["l2"] >= max(margins.values())


def test_predict_precision_gives_strings_in_their_own_key(capsys, gauss_file):
    """One type per key: ``direction`` stays floats, the 40 digits are strings in ``direction_digits``."""
    code, out, _ = run_cli(capsys, "predict", gauss_file, "--json", "--precision", "40")
    ap = json.loads(out)["adam_proxy"]
    assert code == 0 and all(isinstance(v, float) for v in ap["direction"])
    assert all(isinstance(v, str) for v in ap["direction_digits"] + ap["c_digits"])
    assert len(ap["direction_digits"][0].lstrip("-0.")) >= 35  # about 40 significant digits
    assert np.allclose([float(v) for v in ap["direction_digits"]], ap["direction"], rtol=0, atol=1e-16)


def test_predict_table_is_readable(capsys):
    code, out, _ = run_cli(capsys, "predict", "shifted_diagonal_n4")
    assert code == 0 and "adam_proxy" in out and "cosine between predictions" in out


def test_simulate_json_contract(capsys, gauss_file):
    code, out, _ = run_cli(capsys, "simulate", gauss_file, "--optimizer", "adam-proxy", "--steps", "2000", "--json")
    s = json.loads(out)
    assert code == 0 and s["steps"] == 2000
    assert abs(np.linalg.norm(s["direction"]) - 1) < 1e-12 and s["norm"] > 0 and s["log_loss"] < 0
    assert set(s["cos"]) == {"l2", "linf", "adam_proxy", "signsgd"}
    assert s["cos"]["adam_proxy"] > s["cos"]["linf"]  # already closer to its own prediction


@pytest.mark.parametrize("name,extra", [
    ("gd", []), ("det-adam", []), ("inc-adam", ["--beta1", "0.5", "--beta2", "0.9"]),
    ("adam", ["--batch-size", "2", "--sampling", "reshuffle"]), ("epoch-map", []),
    ("inc-signum", ["--batch-size", "5", "--beta", "0.9"]), ("det-signum", []), ("signsgd", []),
    ("inc-adam", ["--precision", "20", "--steps", "50"]), ("adam-proxy", ["--loss", "logistic"]),
])
def test_simulate_every_optimizer(capsys, gauss_file, name, extra):
    args = ["simulate", gauss_file, "--optimizer", name, "--steps", "200", "--json", *extra]
    code, out, _ = run_cli(capsys, *args)
    assert code == 0 and np.isfinite(json.loads(out)["norm"])


def test_simulate_reports_lost_precision_and_decides_nothing(capsys, tmp_path):
    """GD with subnormal steps (tests/numerics/test_arith.py): the run is flagged in text and JSON, and no
    prediction is called its limit; the control (normal steps) is exact."""
    for entry, exact in ((2.0**-1021, False), (2.0**-1000, True)):
        p = tmp_path / f"d{exact}.npz"
        np.savez(p, X=np.array([[1.0, 0.0], [0.5, entry]]))
        code, out, err = run_cli(capsys, "simulate", str(p), "--optimizer", "gd", "--eta0", "0.5", "--steps", "300",
                                 "--json")
        s = json.loads(out)
        assert code == 0 and s["exact"] is exact and (s["lost"][1] > 0) is not exact
        if not exact:
            assert all(v["status"] == "undecided" for v in s["predictions"].values())
            assert "lost precision" in err
        code, out, _ = run_cli(capsys, "simulate", str(p), "--optimizer", "gd", "--eta0", "0.5", "--steps", "300")
        assert ("arithmetic: exact" in out) is exact


@pytest.mark.parametrize("argv,fragment", [
    (["predict", "no/such/file.npz"], "no such file"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "nope"], "invalid choice"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "inc-adam", "--beta1", "0.99", "--beta2", "0.9"], "beta1"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "inc-adam", "--beta2", "1.0"], "beta2"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "gd", "--beta1", "0.5"], "does not take"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "adam", "--batch-size", "3"], "divide"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "gd", "--steps", "0"], "positive integer"),
    (["simulate", "gaussian_n10_d50", "--optimizer", "gd", "--precision", "abc"], "precision"),
    (["predict", "gaussian_n10_d50", "--precision", "5"], ">= 15"),
])
def test_bad_input_is_one_line_and_nonzero(capsys, argv, fragment):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse-level errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err.lower() and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_malformed_files(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    nonsep = tmp_path / "nonsep.npz"
    np.savez(nonsep, X=np.array([[1.0, 0.0], [-1.0, 0.0]]))
    for path, fragment in ((bad, ""), (nonsep, "separable")):
        code, _, err = run_cli(capsys, "predict", str(path))
        assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_console_script_help_and_pipe():
    """The installed entry point works, --help answers, and piping gives no progress bar."""
    r = subprocess.run([sys.executable, "-m", "proofs_check.cli", "simulate", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "--optimizer" in r.stdout and "bundled example" in r.stdout
    r = subprocess.run([sys.executable, "-m", "proofs_check.cli", "simulate", "gaussian_n10_d50", "--optimizer",
                        "inc-adam", "--steps", "300"], capture_output=True, text=True)
    assert r.returncode == 0 and "inc-adam" in r.stdout and "step/s" not in r.stderr and "%|" not in r.stderr


def test_predict_certify_and_finite_beta2(capsys):
    """--certify adds a proved Krawczyk box whose centre is the direction (digits as strings); --beta2 adds inc_adam."""
    code, out, _ = run_cli(capsys, "predict", "gaussian_n10_d50", "--json", "--certify", "--beta1", "0.0",
                           "--beta2", "0.5")
    p = json.loads(out)
    cert = p["adam_proxy"]["certificate"]
    assert code == 0 and cert["proved"] is True and cert["radius"] < 1e-30
    assert all(isinstance(v, str) for v in p["adam_proxy"]["direction_digits"])
    d_box = np.array([float(v) for v in p["adam_proxy"]["direction_digits"]])
    assert np.array_equal(d_box, p["adam_proxy"]["direction"])  # the float direction is the box centre
    assert abs(np.linalg.norm(d_box) - 1) < 1e-12
    ia = p["inc_adam"]
    assert ia["beta2"] == 0.5 and ia["conjecture"] is True and abs(np.linalg.norm(ia["direction"]) - 1) < 1e-12
    # finite beta2 = 0.5 moves the prediction visibly away from the beta2 -> 1 fixed point (7.8e-2 measured)
    assert 1 - d_box @ np.array(ia["direction"]) > 1e-2


def test_large_n_path_agrees_with_the_mpmath_path(monkeypatch):
    """Above LARGE_N, predict uses Newton on T(c) = c plus the Krawczyk certificate instead of
    the dense mpmath refinement; on the same data both paths give the same fixed point (to the 50-digit
    refinement's float64 rounding, far below Algorithm 3's 1e-9)."""
    from numerics.datasets import resolve
    from numerics.fixed_point import limit
    from proofs_check import predict as predict_module

    ds = resolve("gaussian_n10_d50")
    small = predict_module.predict(ds)["adam_proxy"]
    monkeypatch.setattr(limit, "LARGE_N", 5)
    large = predict_module.predict(ds)["adam_proxy"]
    assert large["certificate"]["proved"] and large["refined"]
    assert np.allclose(large["direction"], small["direction"], atol=1e-14)
    assert np.allclose(large["c"], small["c"], atol=1e-14) and large["support"] == small["support"]
    assert abs(large["margin"] - small["margin"]) < 1e-12 * small["margin"]


def test_a_bug_is_one_line_without_debug(monkeypatch, capsys):
    """An unexpected exception (a bug) gives one line and exit 3; --debug shows the traceback."""
    import proofs_check.predict as predict_module

    def boom(*a, **k):
        raise OverflowError("(34, 'Numerical result out of range')")

    monkeypatch.setattr(predict_module, "predict", boom)
    assert main(["predict", "gaussian_n10_d50"]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "internal error: OverflowError" in err and "Traceback" not in err
    with pytest.raises(OverflowError):
        main(["--debug", "predict", "gaussian_n10_d50"])
