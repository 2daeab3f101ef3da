"""Schemathesis hooks for tests/integration/test_fuzzing.py (loaded through SCHEMATHESIS_HOOKS): how to send
the request bodies the platform takes besides JSON — CSV files and XLSX workbooks."""

from typing import Any

import schemathesis

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _as_bytes(_context: Any, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


schemathesis.serializer("text/csv")(_as_bytes)
schemathesis.serializer(XLSX)(_as_bytes)
