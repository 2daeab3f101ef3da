"""Fetching a source and storing its records: each page compared with what is stored by content hash, new and
changed records written for merging (`needs_merge`), and what a complete snapshot lacks withdrawn (marked,
never deleted), unless the share withdrawn is too large to be believed.
"""

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterable
from typing import Any

import orjson
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.service import (
    insert_rows,
)
from fne_directory.sync.connectors.base import LIEU, SERVICE, FetchedRecord
from fne_directory.sync.exceptions import FetchFailed
from fne_directory.sync.models import SourceRecord
from fne_directory.sync.run import (
    ACTIVE,
    UNLOADED,
    WITHDRAWN,
    Run,
    among,
    checkpoint,
)
from fne_directory.sync.transactions import writing
from fne_kernel.db import utcnow

# A complete snapshot that would withdraw more than this share of a source's records is not believed: an API
# answering with a filtered or emptied list must not empty the directory.
MAX_WITHDRAWN_SHARE = 0.5
MIN_RECORDS_FOR_GUARD = 10


# PostgreSQL plans the lookups of a page's records from the table's statistics. A first run multiplies the
# table's size long before autovacuum looks at it again, and with the statistics of a nearly empty table each
# lookup scans every record of the source (quadratic). So a run refreshes them whenever it has doubled the
# rows they describe, from this many new rows.
ANALYZE_FROM_ROWS = 1000
ANALYSED_COLUMNS = (
    "source, kind, source_id, parent_id, status, needs_merge, place_id"  # what the lookups filter on
)


def content_hash(raw: dict[str, Any], volatile: Iterable[str] = ()) -> str:
    ignored = set(volatile)
    content = {name: value for name, value in raw.items() if name not in ignored}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def fetch(run: Run) -> bool:
    """Stores every batch the connector gives; False when the source could not be read to the end."""
    try:
        async for batch in _read_ahead(run.connector.fetch()):
            await checkpoint(run)
            async with writing(run.sessions) as session:
                await _store(session, run, batch)
    except FetchFailed as exc:
        run.error("fetch", str(exc))
        return False
    await checkpoint(run)
    return True


async def _read_ahead(batches: AsyncIterator[list[FetchedRecord]]) -> AsyncIterator[list[FetchedRecord]]:
    """The batches, the next one being fetched while the caller stores the current one (the source's latency
    and the database's overlap)."""

    async def following() -> list[FetchedRecord] | None:
        return await anext(batches, None)

    upcoming = asyncio.ensure_future(following())
    try:
        while (batch := await upcoming) is not None:
            upcoming = asyncio.ensure_future(following())
            yield batch
    finally:
        if not upcoming.done():
            upcoming.cancel()
        # Whatever the fetch was doing when the caller stopped (a cancelled run) is dropped with it.
        await asyncio.gather(upcoming, return_exceptions=True)


async def _store(session: AsyncSession, run: Run, batch: list[FetchedRecord]) -> None:
    postgresql = (await session.connection()).dialect.name == "postgresql"
    if postgresql and run.analysed_rows is None:
        run.analysed_rows = max(
            0,
            int(
                await session.scalar(
                    text(
                        f"SELECT reltuples FROM pg_class WHERE oid = '{SourceRecord.__tablename__}'::regclass"
                    )
                )
                or 0
            ),
        )
    now = utcnow()
    run.counts["fetched"] += len(batch)
    latest = {(record.kind, record.source_id): record for record in batch}  # a repeated id: the later copy
    volatile = getattr(run.connector, "volatile_fields", ())
    for kind in (LIEU, SERVICE):
        fetched = {
            source_id: record for (record_kind, source_id), record in latest.items() if record_kind == kind
        }
        if not fetched:
            continue
        stored = {
            row.source_id: row
            for row in await session.execute(
                select(
                    SourceRecord.id,
                    SourceRecord.source_id,
                    SourceRecord.content_hash,
                    SourceRecord.status,
                    SourceRecord.parent_id,
                ).where(
                    SourceRecord.source == run.source,
                    SourceRecord.kind == kind,
                    among(session, SourceRecord.source_id, fetched),
                )
            )
        }
        new_rows, changed_rows, unchanged_ids, parents = [], [], [], set()
        for source_id, record in fetched.items():
            digest = content_hash(record.raw, volatile)
            row = stored.get(source_id)
            if row is not None and row.content_hash == digest and row.status != WITHDRAWN:
                unchanged_ids.append(row.id)
                continue
            values = {
                "raw": record.raw,
                "content_hash": digest,
                "parent_id": record.parent_id,
                "last_seen_at": now,
                "changed_at": now,
                "last_job_id": run.job_id,
                "needs_merge": True,
                "status": ACTIVE if row is None or row.status == WITHDRAWN else row.status,
                "withdrawn_at": None,
            }
            if row is None:
                new_rows.append(
                    {
                        "source": run.source,
                        "kind": kind,
                        "source_id": source_id,
                        "first_seen_at": now,
                        **values,
                    }
                )
            else:
                changed_rows.append({"id": row.id, **values})
                if row.parent_id:
                    parents.add(row.parent_id)  # a service moved away from its structure
            if record.parent_id:
                parents.add(record.parent_id)
        await insert_rows(session, SourceRecord, new_rows)
        if changed_rows:
            await session.execute(update(SourceRecord), changed_rows)
        if unchanged_ids:
            await session.execute(
                update(SourceRecord)
                .where(among(session, SourceRecord.id, unchanged_ids))
                .values(last_seen_at=now, last_job_id=run.job_id),
                execution_options=UNLOADED,
            )
        if kind == SERVICE and parents:
            await _mark_parents(session, run.source, parents)
        run.counts["records_new"] += len(new_rows)
        run.counts["records_changed"] += len(changed_rows)
        run.counts["unchanged"] += len(unchanged_ids)
        run.unanalysed_rows += len(new_rows)
    if postgresql and run.unanalysed_rows >= max(ANALYZE_FROM_ROWS, run.analysed_rows or 0):
        await session.execute(text(f"ANALYZE {SourceRecord.__tablename__} ({ANALYSED_COLUMNS})"))
        run.analysed_rows = (run.analysed_rows or 0) + run.unanalysed_rows
        run.unanalysed_rows = 0


async def _mark_parents(session: AsyncSession, source: str, parents: set[str]) -> None:
    # Only the structures not marked yet: in a first run every one is (new), and rewriting each of them once
    # per page of services that names it would write the records table over and over.
    await session.execute(
        update(SourceRecord)
        .where(
            SourceRecord.source == source,
            SourceRecord.kind == LIEU,
            SourceRecord.needs_merge.is_(False),
            among(session, SourceRecord.source_id, parents),
        )
        .values(needs_merge=True),
        execution_options=UNLOADED,
    )


async def withdraw_missing(run: Run) -> None:
    """Records missing from a complete snapshot were withdrawn in their source: marked, never deleted."""
    for kind, present in run.connector.report.snapshot_ids.items():
        async with writing(run.sessions) as session:
            stored = (
                await session.execute(
                    select(SourceRecord.id, SourceRecord.source_id, SourceRecord.parent_id).where(
                        SourceRecord.source == run.source,
                        SourceRecord.kind == kind,
                        SourceRecord.status != WITHDRAWN,
                    )
                )
            ).all()
            missing = [row for row in stored if row.source_id not in present]
            if not missing:
                continue
            if len(stored) >= MIN_RECORDS_FOR_GUARD and len(missing) > MAX_WITHDRAWN_SHARE * len(stored):
                run.partial = True
                run.error(
                    "withdraw",
                    f"{kind} : {len(missing)} enregistrements sur {len(stored)} absents de la "
                    "source ; trop pour être cru, rien n'est retiré (vérifiez la source)",
                )
                continue
            now = utcnow()
            for start in range(0, len(missing), 1000):
                chunk = missing[start : start + 1000]
                await session.execute(
                    update(SourceRecord)
                    .where(among(session, SourceRecord.id, [row.id for row in chunk]))
                    .values(status=WITHDRAWN, withdrawn_at=now, needs_merge=True),
                    execution_options=UNLOADED,
                )
            if kind == SERVICE:
                await _mark_parents(session, run.source, {row.parent_id for row in missing if row.parent_id})
            run.counts["withdrawn"] += len(missing)
