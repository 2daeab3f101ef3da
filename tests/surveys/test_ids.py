import time
import uuid

from fne_surveys.ids import new_id


def test_ids_are_version_7_uuids_in_creation_order():
    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    parsed = [uuid.UUID(found) for found in ids]
    assert len(set(ids)) == len(ids)
    assert all(found.version == 7 and found.variant == uuid.RFC_4122 for found in parsed)
    assert all(before <= found.int >> 80 <= after for found in parsed)
    # Time-ordered to the millisecond: an id is never before one made in an earlier millisecond.
    assert [found.int >> 80 for found in parsed] == sorted(found.int >> 80 for found in parsed)
