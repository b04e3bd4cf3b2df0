"""Certificate files: every proved object of ``predict --certify`` written for an independent checker."""

from .schema import CERTIFICATE_SCHEMA, FORMAT, VERSION
from .writer import build_certificate, write_certificate

__all__ = ["build_certificate", "write_certificate", "CERTIFICATE_SCHEMA", "FORMAT", "VERSION"]
