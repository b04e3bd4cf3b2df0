"""`proofs-check run` / `list`: report formats, exit codes, user data."""

import json

import jsonschema
import numpy as np

from proofs_check import claims as claims_pkg
from proofs_check.claims.base import Outcome, claim
from proofs_check.cli import main
from proofs_check.report import REPORT_SCHEMA


def test_run_selected_claims_writes_valid_reports(tmp_path, capsys):
    js, md = tmp_path / "r.json", tmp_path / "r.md"
    code = main(["run", "ex-4.9", "signsgd", "--quick", "--json", str(js), "--markdown", str(md)])
    out = capsys.readouterr().out
    assert code == 0 and "ex-4.9" in out and "PASS" in out and "2 claims: 2 pass" in out
    report = json.loads(js.read_text())
    jsonschema.validate(report, REPORT_SCHEMA)
    assert [c["id"] for c in report["claims"]] == ["ex-4.9", "signsgd"]
    assert report["environment"]["versions"]["numpy"] == np.__version__
    assert "| ex-4.9 |" in md.read_text()


def test_run_on_user_data(tmp_path, capsys):
    path = tmp_path / "mine.npz"
    np.savez(path, X=np.random.default_rng(5).standard_normal((6, 12)))
    code = main(["run", "thm-4.8", "thm-3.3", "--quick", "--data", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "skip" in out and "PASS" in out  # thm-4.8 passes, thm-3.3 does not apply (not GR)


def test_failing_claim_gives_exit_1(monkeypatch, capsys):
    @claim("thm-4.8", "always wrong", "numeric")
    def wrong(ctx, prediction=None):
        return Outcome("fail", "x", "y", "z")

    monkeypatch.setitem(claims_pkg.BY_ID, "thm-4.8", wrong)
    assert main(["run", "thm-4.8"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_list_and_unknown_id(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == len(claims_pkg.CLAIMS)
    assert main(["list", "-v"]) == 0 and "Tolerance" in capsys.readouterr().out
    assert main(["run", "thm-9.9"]) == 2
    assert "unknown claim" in capsys.readouterr().err


def test_inconclusive_and_error_exit_codes(monkeypatch, capsys):
    """Exit 1 only on fail: an inconclusive claim exits 0 (the run could not decide), an error 4."""
    @claim("thm-4.8", "cannot decide", "numeric")
    def undecided(ctx, prediction=None):
        return Outcome("inconclusive", "x", "y", "z", reason="horizon too short")

    monkeypatch.setitem(claims_pkg.BY_ID, "thm-4.8", undecided)
    assert main(["run", "thm-4.8"]) == 0
    out = capsys.readouterr().out
    assert "inconcl." in out and "horizon too short" in out and "1 claim: 1 inconclusive" in out

    @claim("thm-4.8", "broken", "numeric")
    def broken(ctx, prediction=None):
        from numerics.errors import SolverError
        raise SolverError("no")

    monkeypatch.setitem(claims_pkg.BY_ID, "thm-4.8", broken)
    assert main(["run", "thm-4.8"]) == 4


def test_table_fits_the_terminal_width(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "72")
    assert main(["run", "signsgd", "--quick"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 72
