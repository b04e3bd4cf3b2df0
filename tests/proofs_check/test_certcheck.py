"""The certificate checker: bundled datasets verify, plausible tamperings are rejected, the kernel stays small."""

import ast
import copy
import json
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from numerics.certificates import CERTIFICATE_SCHEMA, build_certificate, write_certificate
from numerics.datasets import example_path, resolve
from numerics.limits import predict_limits
from proofs_check.certcheck import CertificateError, verify
from proofs_check.cli import main

EXAMPLES = ["gaussian_n10_d50", "gr_n4_d6", "shifted_diagonal_n4", "gaussian_n10_d50.csv"]


def _certificate(tmp_path, name):
    ds = resolve(name)
    data = tmp_path / Path(str(example_path(name))).name
    shutil.copy(example_path(name), data)
    cert, missing = build_certificate(ds.X, predict_limits(ds.X, certify=True), str(data))
    assert missing == {}
    return cert, data


@pytest.fixture(scope="module")
def gauss(tmp_path_factory):
    return _certificate(tmp_path_factory.mktemp("cert"), "gaussian_n10_d50")


def _verify(tmp_path, cert, data=None):
    path = tmp_path / "c.json"
    write_certificate(cert, str(path))
    return verify(str(path), data)


@pytest.mark.parametrize("name", EXAMPLES)
def test_bundled_certificates_verify_and_match_the_schema(tmp_path, name):
    cert, _ = _certificate(tmp_path, name)
    jsonschema.validate(cert, CERTIFICATE_SCHEMA)
    lines = _verify(tmp_path, cert)
    assert [ln.split(":")[0] for ln in lines] == ["data", "l2", "linf", "fixed point (Thm 4.8)"]


def _tamper_multiplier(c):  # the leading digit of the largest fixed-point multiplier
    m = c["fixed_point"]["lambda"]["m"]
    k = max(range(len(m)), key=lambda i: abs(int(m[i])))
    m[k] = str(int(m[k]) + 10 ** (len(m[k].lstrip("-")) - 1))


def _tamper_l2(c):  # the first significant digit of one l2 multiplier
    lam = c["l2"]["multipliers"]
    k = int(np.argmax(lam))
    lam[k] *= 1.1


def _tamper_support(c):  # swap a support index for a non-support one, keeping the sizes
    fp = c["fixed_point"]
    rest = sorted(set(range(c["data"]["N"])) - set(fp["support"]))
    fp["support"] = sorted(fp["support"][1:] + [rest[0]]) if rest else [(fp["support"][0] + 1) % c["data"]["N"]]


def _widen_box(c):  # half-width 0.9 min(lambda): the box still has lambda > 0 but is far past the contraction
    fp = c["fixed_point"]
    fp["radius"] = {"m": str(9 * min(int(v) for v in fp["lambda"]["m"]) // 10), "e": fp["lambda"]["e"]}


def _tamper_linf(c):
    c["linf"]["w"][0] *= -1


@pytest.mark.parametrize("tamper,fragment", [
    (_tamper_multiplier, "krawczyk"), (_tamper_l2, "l2: duality gap"), (_widen_box, "krawczyk"),
    (_tamper_linf, "linf"),
])
def test_tampered_certificates_are_rejected(tmp_path, gauss, tamper, fragment):
    cert = copy.deepcopy(gauss[0])
    tamper(cert)
    with pytest.raises(CertificateError, match=fragment):
        _verify(tmp_path, cert)


def test_wrong_support_is_rejected():
    """On the shifted-diagonal data (support {0}) another support index gives a system whose zero is not the
    fixed point: the checker names a failing condition (sign, slack or Krawczyk)."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        cert, _ = _certificate(Path(d), "gr_n4_d6")
        bad = copy.deepcopy(cert)
        _tamper_support(bad)
        with pytest.raises(CertificateError):
            _verify(Path(d), bad)


def test_tampered_data_file_is_rejected(tmp_path, gauss):
    cert, data = gauss
    changed = tmp_path / "changed.npz"
    X = np.load(data)["X"].copy()
    X[0, 0] = np.nextafter(X[0, 0], np.inf)  # one ulp in one entry
    np.savez(changed, X=X)
    with pytest.raises(CertificateError, match="SHA-256"):
        _verify(tmp_path, cert, str(changed))


def test_changed_data_with_a_matching_hash_fails_the_proof_itself(tmp_path, gauss):
    """The hash is what usually rejects other data; here it is updated too, so the mathematics must: one ulp in
    one entry moves the fixed point by ~1e-16, far outside a box of half-width ~1e-50."""
    from proofs_check.certdata import sha256

    cert, data = gauss
    changed = tmp_path / "changed.npz"
    X = np.load(data)["X"].copy()
    X[0, 0] = np.nextafter(X[0, 0], np.inf)
    np.savez(changed, X=X)
    bad = copy.deepcopy(cert)
    bad["data"]["sha256"] = sha256(str(changed))
    with pytest.raises(CertificateError, match="krawczyk"):
        _verify(tmp_path, bad, str(changed))


@pytest.mark.parametrize("k", [-40, 0, 2, 30])
def test_small_integer_data_at_any_power_of_two_verify(tmp_path, k):
    """The same data times 2^k: the proof is scale-free, so every scale must verify.  At k <= 0 the entries are
    integers of 3 bits, which the kernel multiplies without rounding; it once charged a rounding error anyway
    (half a unit, 3% of A o A) and rejected these certificates."""
    X = np.array([[3, -2, 1, -4, 3], [3, 0, 1, -4, 1], [1, -4, -4, -1, 2], [3, -3, -3, -2, -1]], float) * 2.0**k
    data = tmp_path / "x.npz"
    np.savez(data, X=X)
    cert, missing = build_certificate(X, predict_limits(X, certify=True), str(data))
    assert missing == {}
    assert _verify(tmp_path, cert)[-1].startswith("fixed point (Thm 4.8)")


@pytest.mark.slow
@pytest.mark.parametrize("N", [100, 300, 1000])
def test_certificates_of_every_benchmark_size_verify(tmp_path, N):
    """The sizes of benchmarks/certify_bench.py that fit in CI (Gaussian X, d = 2N; 3000 and 5000 are the
    benchmark's alone): predict writes a proved certificate and the trusted kernel re-proves it from the file."""
    X = np.random.default_rng(0).standard_normal((N, 2 * N))
    data = tmp_path / f"g{N}.npz"
    np.savez(data, X=X)
    cert, missing = build_certificate(X, predict_limits(X, certify=True), str(data))
    assert missing == {}
    lines = _verify(tmp_path, cert)
    assert [ln.split(":")[0] for ln in lines] == ["data", "l2", "linf", "fixed point (Thm 4.8)"]


def test_cli_verify_certificate(tmp_path, capsys):
    out = tmp_path / "g.json"
    code = main(["predict", "gaussian_n10_d50", "--certificate-out", str(out)])
    assert code == 0 and out.exists()
    capsys.readouterr()
    assert main(["verify-certificate", str(out)]) == 0
    assert "exactly one zero" in capsys.readouterr().out
    c = json.loads(out.read_text())
    c["data"]["sha256"] = "0" * 64
    out.write_text(json.dumps(c))
    assert main(["verify-certificate", str(out)]) == 1
    err = capsys.readouterr().err
    assert "rejected" in err and len(err.strip().splitlines()) == 1


def test_kernel_imports_only_exact_arithmetic():
    """The trusted kernel, its Jacobian bounds and its reader import only fractions, json, hashlib, zipfile/zlib
    (the standard library's .npz container) and flint (and each other); each file stays small."""
    import proofs_check.certcheck as kernel
    import proofs_check.certdata as reader
    import proofs_check.certjacobian as bounds

    for mod in (kernel, reader, bounds):
        tree = ast.parse(Path(mod.__file__).read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0}
        assert names <= {"fractions", "json", "hashlib", "zipfile", "zlib", "flint", "__future__"}, names
        assert len(Path(mod.__file__).read_text().splitlines()) <= 300


@pytest.fixture(scope="module")
def wine(tmp_path_factory):
    """Raw wine: columns 2^11 apart, where the 24-bit Jacobian grid cannot close the Krawczyk test."""
    tmp = tmp_path_factory.mktemp("wine")
    data = tmp / "wine_0v1.npz"  # stored deflated (savez_compressed): the reader takes both
    shutil.copy(example_path("wine_0v1"), data)
    ds = resolve("wine_0v1")
    cert, missing = build_certificate(ds.X, predict_limits(ds.X, certify=True), str(data))
    return cert, missing, tmp


def test_wide_scale_certificate_is_enclosed_and_verifies(wine):
    cert, missing, tmp = wine
    assert missing == {} and cert["fixed_point"]["jacobian"] == "enclosure"
    jsonschema.validate(cert, CERTIFICATE_SCHEMA)
    assert [ln.split(":")[0] for ln in _verify(tmp, cert)] == ["data", "l2", "linf", "fixed point (Thm 4.8)"]


@pytest.mark.parametrize("tamper,fragment", [(_tamper_multiplier, "krawczyk"), (_widen_box, "krawczyk"),
                                             (_tamper_l2, "l2: duality gap")])
def test_tampered_enclosure_certificates_are_rejected(wine, tamper, fragment):
    cert = copy.deepcopy(wine[0])
    tamper(cert)
    with pytest.raises(CertificateError, match=fragment):
        _verify(wine[2], cert)


def test_the_two_jacobian_bounds_agree_and_nothing_else_is_accepted(tmp_path, gauss):
    """A 'rounded' certificate verifies with the ball-matrix enclosure too (both bound the same |I - Y J|); an
    unknown method, or the 24-bit grid on raw wine, is rejected by name."""
    cert = copy.deepcopy(gauss[0])
    cert["fixed_point"]["jacobian"] = "enclosure"
    assert _verify(tmp_path, cert)[-1].startswith("fixed point (Thm 4.8)")
    cert["fixed_point"]["jacobian"] = "interval"
    with pytest.raises(CertificateError, match="jacobian"):
        _verify(tmp_path, cert)


def test_the_rounded_bound_cannot_prove_raw_wine(wine):
    """The negative control of the enclosure: the same file with the 24-bit grid fails the Krawczyk test."""
    cert = copy.deepcopy(wine[0])
    cert["fixed_point"]["jacobian"] = "rounded"
    with pytest.raises(CertificateError, match="krawczyk"):
        _verify(wine[2], cert)
