import os
import time
import uuid

_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62
_RANDOM = ((1 << 80) - 1) & ~(0xF << 76) & ~(0b11 << 62)


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): 48 bits of milliseconds, then 74 random bits, so that
    inserts extend the primary-key indexes at their last pages (same scheme as the other services)."""
    milliseconds = time.time_ns() // 1_000_000
    random = int.from_bytes(os.urandom(10), "big") & _RANDOM
    return str(uuid.UUID(int=milliseconds << 80 | _VERSION | _VARIANT | random))
