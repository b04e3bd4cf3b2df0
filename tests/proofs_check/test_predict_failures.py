"""`predict` on data where predictions fail or do not apply: named in the table and in JSON, never a bug exit.

The text formatter is fuzzed: any subset of the entries replaced by a failure (or a "does not apply") must
format, naming each, because a KeyError there used to turn digits 0 vs 1 into exit 3.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics.datasets import from_array
from proofs_check.cli import main
from proofs_check.predict import predict
from proofs_check.textfmt import prediction_table

KEYS = ("l2", "linf", "adam_proxy", "signsgd", "inc_adam", "degenerate")


@pytest.fixture(scope="module")
def full_prediction():
    """A prediction with every entry present (the finite-beta2 one asked for), on data without zeros."""
    ds = from_array(np.random.default_rng(0).standard_normal((5, 8)))
    return predict(ds, beta2=0.99)


@settings(max_examples=60, deadline=None)
@given(failed=st.sets(st.sampled_from(KEYS)), applicable=st.booleans(), reason=st.text(max_size=300))
def test_any_failed_entries_format_and_are_named(full_prediction, failed, applicable, reason):
    p = copy.deepcopy(full_prediction)
    for k in failed:
        p[k] = {"direction": None, "error": reason or "x", **({} if applicable else {"not_applicable": True})}
    text = prediction_table(p)
    for k in failed:
        row = next(line for line in text.splitlines() if line.startswith(k + " "))
        assert ("could not be computed" if applicable else "does not apply") in row


def test_two_points_with_a_zero_predict_by_levels(tmp_path, capsys):
    """X = [[1, 0], [4, 1]]: Thm 4.8 does not apply (D(c*) singular at coordinate 1), the limit by levels is
    (1, 1)/sqrt(2); exit 0: nothing failed, one theorem does not apply and says so."""
    path = tmp_path / "x.npz"
    np.savez(path, X=np.array([[1.0, 0.0], [4.0, 1.0]]))
    assert main(["predict", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "adam_proxy" in out and "does not apply" in out and "warning: adam_proxy does not apply" in err
    assert main(["predict", str(path), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["adam_proxy"]["not_applicable"] and "failed" not in js and "adam_proxy" in js["not_applicable"]
    assert np.allclose(js["degenerate"]["direction"], [2**-0.5, 2**-0.5], atol=1e-12)
    assert js["degenerate"]["levels"] == [[0], [1]] and js["degenerate"]["singular_coordinates"] == [1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["digits_0v1", "iris_setosa_versicolor", "wine_0v1", "wine_1v2",
                                  "sparse_planted_n60_d10"])
def test_real_data_predict_exits_0(name, capsys):
    """The bundled real data (and the sparse example): every prediction computed or named as not applying."""
    code = main(["predict", name, "--json"])
    js = json.loads(capsys.readouterr().out)
    assert code == 0, js.get("failed")
    if name in ("digits_0v1", "sparse_planted_n60_d10"):
        assert js["adam_proxy"].get("not_applicable") and js["degenerate"]["singular_coordinates"]


def test_not_separable_real_data_is_refused_by_its_margin(capsys):
    assert main(["predict", "breast_cancer"]) == 2
    assert "not linearly separable" in capsys.readouterr().err
