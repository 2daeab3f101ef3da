"""The merge state of source records (status, normalised input, warnings, place): set in memory while a
batch is merged, then written in one statement per batch.
"""

from typing import Any

import orjson
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from fne_directory.sync.models import SourceRecord

# The columns of a source record that merging decides.
MERGE_STATE = (
    "status",
    "normalised",
    "quarantine_reasons",
    "warnings",
    "date_maj",
    "place_id",
    "needs_merge",
)


def set_state(record: SourceRecord, **values: Any) -> None:
    """Changes what merging decides about a record, written by `_save`: the unit of work would send one UPDATE
    per record (asyncpg does not report the rows an executemany matched, so SQLAlchemy will not batch
    them)."""
    for name, value in values.items():
        set_committed_value(record, name, value)


# PostgreSQL: the merge state of a batch's records in one statement from one array per column (rather than one
# UPDATE per record), the JSON columns as text serialised by orjson.
SAVE_MERGE_STATE = text(f"""
    UPDATE {SourceRecord.__tablename__} AS r SET status = f.status, normalised = CAST(f.normalised AS json),
        quarantine_reasons = CAST(f.quarantine_reasons AS json), warnings = CAST(f.warnings AS json),
        date_maj = f.date_maj, place_id = f.place_id, needs_merge = f.needs_merge
    FROM unnest(CAST(:id AS integer[]), CAST(:status AS varchar[]), CAST(:normalised AS text[]),
                CAST(:quarantine_reasons AS text[]), CAST(:warnings AS text[]), CAST(:date_maj AS date[]),
                CAST(:place_id AS varchar[]), CAST(:needs_merge AS boolean[]))
        AS f(id, status, normalised, quarantine_reasons, warnings, date_maj, place_id, needs_merge)
    WHERE r.id = f.id""")
JSON_STATE = frozenset({"normalised", "quarantine_reasons", "warnings"})


async def save_state(session: AsyncSession, records: list[SourceRecord]) -> None:
    if not records:
        return
    if session.get_bind().dialect.name != "postgresql":
        await session.execute(
            update(SourceRecord),
            [
                {"id": record.id, **{name: getattr(record, name) for name in MERGE_STATE}}
                for record in records
            ],
        )
        return
    columns: dict[str, list[Any]] = {"id": [record.id for record in records]}
    for name in MERGE_STATE:
        values = [getattr(record, name) for record in records]
        # As the JSON type writes None: the JSON null.
        columns[name] = [orjson.dumps(value).decode() for value in values] if name in JSON_STATE else values
    await session.execute(SAVE_MERGE_STATE, columns)
