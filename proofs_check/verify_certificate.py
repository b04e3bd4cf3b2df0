"""`proofs-check verify-certificate FILE.json`: re-check a certificate with the trusted kernel (certcheck)."""

from __future__ import annotations

import sys

from .certcheck import CertificateError, verify

__all__ = ["add_parser"]

EXIT_REJECTED = 1


def add_parser(sub) -> None:
    p = sub.add_parser(
        "verify-certificate", help="re-check a certificate written by `predict --certificate-out` from the data alone",
        description="Re-verify every proved object of a certificate (l2 and l_inf max-margin solutions by weak "
                    "duality, the Thm 4.8 fixed point by Krawczyk's test, its signs, slacks and LICQ) with a small "
                    "kernel that uses only exact integers and python-flint balls and shares no code with the "
                    "solvers. Prints what it proved and exits 0, or names the first failed condition and exits 1.",
        epilog="The certificate names its data file and its SHA-256; give --data when the file has moved.")
    p.add_argument("certificate", metavar="FILE.json")
    p.add_argument("--data", metavar="DATA", help="the data file (default: the path stored in the certificate)")
    p.set_defaults(func=_cmd)


def _cmd(args) -> int:
    try:
        lines = verify(args.certificate, args.data)
    except CertificateError as exc:
        print(f"proofs-check: certificate rejected: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print("\n".join(["certificate verified:"] + [f"  {line}" for line in lines]))
    return 0
