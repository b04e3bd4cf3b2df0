"""Property-based robustness of the dataset loader and of `proofs-check predict` / `simulate`.

Every generated input (random shapes; NaN/inf; magnitudes 1e-300..1e300; non-separable data;
duplicate and zero rows; labels other than +-1; empty files; wrong file types; garbage bytes;
CSV with and without a header) must end in one of two ways:

* exit code 0 and valid JSON (no NaN/Infinity tokens) whose directions are finite unit vectors;
* exit code 2 and exactly one error line on stderr (``proofs-check: error: ...``), no traceback.

Besides the error line, stderr may only hold one-line ``proofs-check: warning:`` notes
(DatasetWarning: zero entries, duplicate rows).  The loader itself must return a Dataset or
raise a DatasetError with a one-line message.

The number of examples per CLI property is ``FUZZ_EXAMPLES`` (environment, default 60; the
loader gets 4x as many, the slow variants 10x); the number of generated cases is printed at the end of the session.
Examples are derandomized (the same cases on every run, so CI is reproducible); set
``FUZZ_RANDOM=1`` to explore new ones.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from collections import Counter
from pathlib import Path
import tempfile

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from numerics.datasets import load  # noqa: E402
from numerics.errors import DatasetError  # noqa: E402
from proofs_check.cli import main  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
CASES: Counter = Counter()
OUTCOMES: Counter = Counter()  # CLI exit codes seen
OPTIMIZERS = ("gd", "det-adam", "inc-adam", "adam", "adam-proxy", "epoch-map", "inc-signum", "det-signum", "signsgd")

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large], database=None)
FUZZ_SLOW = settings(FUZZ, max_examples=10 * EXAMPLES)
FUZZ_LOADER = settings(FUZZ, max_examples=4 * EXAMPLES)  # no solver behind it: cheap


@pytest.fixture(scope="module", autouse=True)
def report_case_count(request):
    yield
    line = (f"test_fuzz: {sum(CASES.values())} generated cases ("
            + ", ".join(f"{k} {v}" for k, v in sorted(CASES.items())) + "; CLI outcomes: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(OUTCOMES.items())) + ")")
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        with capman.global_and_fixture_disabled():
            print("\n" + line)
    else:  # pragma: no cover
        print(line)


# ----------------------------------------------------------------------------------------- inputs
MAGNITUDES = st.sampled_from([0.0, 1e-300, 1e-200, 1e-30, 1e-8, 1.0, 3.0, 1e8, 1e30, 1e200, 1e300])
SPECIAL = st.sampled_from([np.nan, np.inf, -np.inf])


@st.composite
def matrices(draw, allow_special: bool = True):
    """Random N x d matrices from a mix of regimes (N, d in 1..6)."""
    N = draw(st.integers(1, 6))
    d = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["gauss", "positive", "magnitudes", "mixed-scale", "gr", "raw"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "gauss":
        X = rng.standard_normal((N, d))
    elif kind == "positive":  # separable along e_0
        X = rng.standard_normal((N, d))
        X[:, 0] = np.abs(X[:, 0]) + 0.1
    elif kind == "magnitudes":  # one huge or tiny scale for everything
        X = rng.standard_normal((N, d)) * draw(MAGNITUDES.filter(bool))
        X[:, 0] = np.abs(X[:, 0])
    elif kind == "mixed-scale":  # entries of wildly different magnitudes
        X = rng.choice([-1.0, 1.0], (N, d)) * 10.0 ** rng.uniform(-300, 300, (N, d))
    elif kind == "gr":  # Generalized Rademacher: |x_i[k]| = alpha_i
        X = rng.uniform(0.5, 2, (N, 1)) * rng.choice([-1.0, 1.0], (N, d))
    else:  # arbitrary floats, including 0 and extreme values
        X = np.array(draw(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=N * d,
                                   max_size=N * d)), dtype=float).reshape(N, d)
    edits = draw(st.lists(st.sampled_from(["dup", "zero-row", "zero-entry", "special", "negate-row"]), max_size=3))
    for e in edits:
        i, k = draw(st.integers(0, N - 1)), draw(st.integers(0, d - 1))
        if e == "dup" and N > 1:
            X[draw(st.integers(0, N - 1))] = X[i]
        elif e == "zero-row":
            X[i] = 0
        elif e == "zero-entry":
            X[i, k] = 0
        elif e == "special" and allow_special:
            X[i, k] = draw(SPECIAL)
        elif e == "negate-row" and N > 1:  # x and -x: not separable
            X[draw(st.integers(0, N - 1))] = -X[i]
    return X


@st.composite
def labels(draw, N: int):
    kind = draw(st.sampled_from(["none", "pm1", "pm1", "bad", "wrong-length", "float-pm1"]))
    if kind == "none":
        return None
    if kind in ("pm1", "float-pm1"):
        return np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=N, max_size=N)))
    if kind == "wrong-length":
        return np.ones(N + draw(st.integers(1, 3)))
    bad = st.sampled_from([0.0, 2.0, -2.0, 0.5, np.nan, np.inf, 1e300, -1.0000001])
    y = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]) | bad, min_size=N, max_size=N)))
    if np.all(np.isin(y, (-1.0, 1.0))):
        y[0] = draw(bad)
    return y


def _fmt(v: float, style: str) -> str:
    return {"repr": repr(float(v)), "e": f"{v:.17e}", "g": f"{v:g}"}[style]


@st.composite
def separable(draw):
    """(X, y) well-formed and separable after label absorption, at any scale (a correct answer exists)."""
    N, d = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.standard_normal((N, d))
    X[:, 0] = np.abs(X[:, 0]) + draw(st.sampled_from([0.05, 0.5, 3.0]))
    X *= draw(st.sampled_from([1.0, 1.0, 1e-300, 1e-150, 1e-30, 1e30, 1e150, 1e300]))
    for e in draw(st.lists(st.sampled_from(["dup", "zero-entry", "gr"]), max_size=2)):
        i = draw(st.integers(0, N - 1))
        if e == "dup":
            X[draw(st.integers(0, N - 1))] = X[i]
        elif e == "zero-entry" and d > 1:
            X[i, draw(st.integers(1, d - 1))] = 0
        elif e == "gr":
            X = np.abs(X[:, :1]) * np.sign(X + (X == 0))
    y = None if draw(st.booleans()) else np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=N,
                                                                 max_size=N)))
    return (X if y is None else X * y[:, None]), y  # the file holds y_i x_i's preimage


@st.composite
def data_files(draw):
    """(name, bytes) of a data file: valid npz/csv (half the cases), fuzzed arrays, or broken files."""
    kind = draw(st.sampled_from(["npz", "npz", "csv", "csv", "csv-header", "empty", "garbage", "wrong-type",
                                 "npz-no-X", "npz-bad-shape", "npz-object", "npz-text", "csv-ragged", "csv-text",
                                 "header-only", "truncated-npz"]))
    if kind in ("npz", "csv", "csv-header") and draw(st.booleans()):
        X, y = draw(separable())
    else:
        X = draw(matrices())
        y = draw(labels(X.shape[0]))
    if kind == "npz":
        buf = io.BytesIO()
        np.savez(buf, X=X, **({} if y is None else {"y": y}))
        return "data.npz", buf.getvalue()
    if kind in ("csv", "csv-header"):
        style = draw(st.sampled_from(["repr", "e", "g"]))
        yy = np.ones(X.shape[0]) if y is None or len(y) != X.shape[0] else y
        rows = [",".join(_fmt(v, style) for v in (*row, lab)) for row, lab in zip(X, yy)]
        if kind == "csv-header":
            rows.insert(0, ",".join([f"x{k}" for k in range(X.shape[1])] + ["y"]))
        sep = draw(st.sampled_from(["\n", "\r\n"]))
        return "data.csv", (sep.join(rows) + draw(st.sampled_from(["", sep, sep * 3]))).encode()
    if kind == "empty":
        return draw(st.sampled_from(["e.npz", "e.csv"])), b""
    if kind == "garbage":
        return draw(st.sampled_from(["g.npz", "g.csv"])), draw(st.binary(min_size=1, max_size=200))
    if kind == "wrong-type":
        return draw(st.sampled_from(["d.txt", "d.json", "d.npy", "d", "d.CSV.bak"])), b"1,2,1\n3,4,-1\n"
    if kind == "npz-no-X":
        buf = io.BytesIO()
        np.savez(buf, A=X)
        return "d.npz", buf.getvalue()
    if kind == "npz-bad-shape":
        buf = io.BytesIO()
        np.savez(buf, X=draw(st.sampled_from([X.ravel(), X[None], np.float64(3.0), np.zeros((0, 3)),
                                                np.zeros((3, 0))])))
        return "d.npz", buf.getvalue()
    if kind == "npz-object":
        buf = io.BytesIO()
        np.savez(buf, X=np.array([[1, "a"], [None, 2]], dtype=object))
        return "d.npz", buf.getvalue()
    if kind == "npz-text":
        buf = io.BytesIO()
        np.savez(buf, X=np.array([["1", "2"], ["3", "4"]]))
        return "d.npz", buf.getvalue()
    if kind == "csv-ragged":
        return "r.csv", b"1,2,3,1\n4,5,-1\n"
    if kind == "csv-text":
        return "t.csv", b"a,b,y\n1,x,1\n2,3,-1\n"
    if kind == "header-only":
        return "h.csv", b"x0,x1,y\n"
    buf = io.BytesIO()
    np.savez(buf, X=X)
    raw = buf.getvalue()
    return "t.npz", raw[: draw(st.integers(1, max(1, len(raw) - 1)))]


# ------------------------------------------------------------------------------------------ checks
def _no_nan_json(text: str):
    def reject(token):
        raise AssertionError(f"JSON contains {token}")
    return json.loads(text, parse_constant=reject)


def _unit(v, what: str) -> None:
    d = np.array([float(x) for x in v])
    assert np.all(np.isfinite(d)), f"{what}: non-finite direction {d}"
    assert abs(np.linalg.norm(d) - 1) < 1e-9, f"{what}: norm {np.linalg.norm(d)}"


def _cli(capsys, argv) -> tuple[int, str, str]:
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Python warnings are not the CLI's output channel
        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _check_exit(code: int, out: str, err: str) -> dict | None:
    OUTCOMES[f"exit {code}"] += 1
    assert "Traceback" not in err and "Traceback" not in out, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    errors = [ln for ln in lines if not ln.startswith("proofs-check: warning: ")]
    if code == 0:
        assert errors == [], f"exit 0 with error output: {errors}"
        return _no_nan_json(out)
    if code == 4:  # predict: some prediction could not be computed; the others are printed, one line per failure
        res = _no_nan_json(out)
        assert res["failed"] and len(errors) == len(res["failed"]), f"stderr: {err!r}"
        assert all(ln.startswith("proofs-check: ") and "could not be computed: " in ln for ln in errors), err
        return res
    assert code == 2, f"exit code {code}; stderr: {err!r}"
    assert len(errors) == 1 and errors[0].startswith("proofs-check: error: "), f"stderr: {err!r}"
    return None


def _write(tmp: str, name: str, content: bytes) -> str:
    p = Path(tmp) / name
    p.write_bytes(content)
    return str(p)


# ------------------------------------------------------------------------------------------ properties
def _loader_property(name_content):
    name, content = name_content
    CASES["loader"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(tmp, name, content)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = load(path)
        except DatasetError as exc:
            assert str(exc) and "\n" not in str(exc), repr(str(exc))
            return
    assert ds.X.ndim == 2 and ds.N >= 1 and ds.d >= 1 and np.all(np.isfinite(ds.X))
    assert ds.assumptions.separable


@FUZZ_LOADER
@given(data_files())
def test_loader_loads_or_raises_one_line_dataset_error(name_content):
    _loader_property(name_content)


def _predict_property(capsys, name_content):
    name, content = name_content
    CASES["predict"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        code, out, err = _cli(capsys, ["predict", _write(tmp, name, content), "--json"])
    res = _check_exit(code, out, err)
    if res is not None:
        for key in ("l2", "linf", "adam_proxy", "signsgd", "degenerate"):
            if key in res.get("failed", {}):
                assert res[key]["direction"] is None and res[key]["error"] == res["failed"][key]
            elif key in res.get("not_applicable", {}):  # Thm 4.8 where D(c*) is singular: the levels stand in
                assert res[key]["direction"] is None and res[key]["not_applicable"] and "degenerate" in res
            elif key == "degenerate":
                if key in res:
                    _unit(res[key]["direction"], key)
            elif key != "signsgd" or res[key]["direction"] is not None:
                _unit(res[key]["direction"], key)


@FUZZ
@given(name_content=data_files())
def test_predict_json_or_one_line_error(capsys, name_content):
    _predict_property(capsys, name_content)


def _simulate_property(capsys, name_content, optimizer, loss):
    name, content = name_content
    CASES["simulate"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["simulate", _write(tmp, name, content), "--optimizer", optimizer, "--steps", "50", "--json",
                "--loss", loss]
        code, out, err = _cli(capsys, argv)
    res = _check_exit(code, out, err)
    if res is not None:
        _unit(res["direction"], f"simulate {optimizer}")
        assert res["steps"] == 50
        assert np.isfinite(res["norm"]) and res["norm"] > 0
        assert all(-1 - 1e-9 <= c <= 1 + 1e-9 for c in res["cos"].values()), res["cos"]


@FUZZ
@given(name_content=data_files(), optimizer=st.sampled_from(OPTIMIZERS), loss=st.sampled_from(["exp", "logistic"]))
def test_simulate_json_or_one_line_error(capsys, name_content, optimizer, loss):
    _simulate_property(capsys, name_content, optimizer, loss)


@pytest.mark.slow
@FUZZ_SLOW
@given(name_content=data_files())
def test_predict_many(capsys, name_content):
    _predict_property(capsys, name_content)


@pytest.mark.slow
@FUZZ_SLOW
@given(name_content=data_files(), optimizer=st.sampled_from(OPTIMIZERS), loss=st.sampled_from(["exp", "logistic"]))
def test_simulate_many(capsys, name_content, optimizer, loss):
    _simulate_property(capsys, name_content, optimizer, loss)


# ------------------------------------------------------------------------------- fixed odd inputs
@pytest.mark.parametrize("argv_tail", [[], ["--optimizer", "inc-adam", "--steps", "50"]], ids=["predict", "simulate"])
def test_paths_that_are_not_files(capsys, tmp_path, argv_tail):
    for path in (str(tmp_path), str(tmp_path / "missing.npz"), "no_such_example"):
        CASES["fixed"] += 1
        cmd = "simulate" if argv_tail else "predict"
        code, out, err = _cli(capsys, [cmd, path, "--json", *argv_tail])
        assert _check_exit(code, out, err) is None
