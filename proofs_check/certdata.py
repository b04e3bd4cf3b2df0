"""The data reader of the certificate checker: X (label-absorbed) as exact integers, from the file alone.

Part of the trusted base of :mod:`proofs_check.certcheck` and, like it, independent of the toolkit
(no numpy, no ``numerics``): it reads the two formats the toolkit loads, with the toolkit's rules --

* ``.npz`` as ``numpy.savez`` or ``numpy.savez_compressed`` writes it (a zip archive of ``.npy``
  members, read by the standard library's zipfile): array ``X`` (float64/float32/int64/int32, C or Fortran
  order) and optional labels ``y`` (+-1);
* ``.csv``: comma-separated, last column the +-1 label, an optional header line of names,
  blank lines skipped, numbers parsed by ``float`` (correctly rounded, as numpy's reader).

Rows become y_i x_i.  Every float64 value v is exactly ``n / 2^k``; the matrix is returned as integers
X_int with one exponent E, X = X_int 2^-E, so that every later computation is exact.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib

__all__ = ["DataError", "read", "sha256"]

_DTYPES = {"<f8": ("d", 8), "<f4": ("f", 4), "<i8": ("q", 8), "<i4": ("i", 4), "|b1": ("?", 1), "|i1": ("b", 1)}


class DataError(Exception):
    """A data file the checker cannot read (one line)."""


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _npy(buf: bytes, name: str):
    """(shape, flat list of Python numbers in C order, bytes used) of one .npy member."""
    if buf[:6] != b"\x93NUMPY":
        raise DataError(f"member {name} is not a .npy array")
    major = buf[6]
    hlen, start = (buf[8] + 256 * buf[9], 10) if major == 1 else (int.from_bytes(buf[8:12], "little"), 12)
    header = buf[start:start + hlen].decode("latin1")
    field = {k: header.split(f"'{k}':")[1].split(",")[0].strip() for k in ("descr", "fortran_order")}
    shape_text = header.split("'shape':")[1].split(")")[0].strip(" (")
    shape = tuple(int(v) for v in shape_text.split(",") if v.strip())
    descr = field["descr"].strip("'\"")
    if descr not in _DTYPES:
        raise DataError(f"array {name} has dtype {descr}; the checker reads {', '.join(_DTYPES)}")
    code, size = _DTYPES[descr]
    count = 1
    for n in shape:
        count *= n
    raw = memoryview(buf[start + hlen:start + hlen + count * size])
    if memoryview(b"\x01\x00\x00\x00").cast("i")[0] != 1:
        raise DataError("the checker needs a little-endian machine")
    values = raw.cast(code).tolist()
    if len(values) != count:
        raise DataError(f"array {name} is truncated")
    if field["fortran_order"] == "True" and len(shape) == 2:
        r, c = shape
        values = [values[j * r + i] for i in range(r) for j in range(c)]
    return shape, values, start + hlen + count * size


def _read_npz(path: str):
    arrays = {}
    try:
        with zipfile.ZipFile(path) as zf:  # stdlib: stored (numpy.savez) or deflated (savez_compressed) members
            for name in zf.namelist():
                shape, values, _ = _npy(zf.read(name), name)
                arrays[name.removesuffix(".npy")] = (shape, values)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz archive ({exc})") from None
    if "X" not in arrays or len(arrays["X"][0]) != 2:
        raise DataError(f"{path} has no 2-D array X")
    (N, d), flat = arrays["X"]
    rows = [flat[i * d:(i + 1) * d] for i in range(N)]
    y = arrays["y"][1] if "y" in arrays else None
    return rows, y


def _read_csv(path: str):
    with open(path, encoding="utf-8-sig") as fh:
        lines = [ln.strip() for ln in fh.read().splitlines() if ln.strip()]

    def number(text):
        try:
            float(text)
            return True
        except ValueError:
            return False

    if lines and not any(number(f) for f in lines[0].split(",")):
        lines = lines[1:]
    table = [[float(f) for f in ln.split(",")] for ln in lines]
    return [row[:-1] for row in table], [row[-1] for row in table]


def read(path: str):
    """(N, d, E, rows): X = [[X_int[i][k] 2^-E]] with rows y_i x_i (module docstring)."""
    rows, y = _read_npz(path) if path.lower().endswith(".npz") else _read_csv(path)
    if not rows or not rows[0]:
        raise DataError(f"{path} has no data")
    if y is not None:
        if len(y) != len(rows) or any(v not in (1, -1) for v in y):
            raise DataError(f"{path}: labels must be N values in {{-1, +1}}")
        rows = [row if v == 1 else [-x for x in row] for row, v in zip(rows, y)]
    ratios = [[float(x).as_integer_ratio() for x in row] for row in rows]  # exact: x = n / 2^k
    E = max((den.bit_length() - 1 for row in ratios for _, den in row), default=0)
    ints = [[n << (E - den.bit_length() + 1) for n, den in row] for row in ratios]
    return len(ints), len(ints[0]), E, ints
