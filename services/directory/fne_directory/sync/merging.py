"""Merging a run's pending records into places, in batches: each record checked (scope, validity, commune,
position), the places of known records recomputed, new records placed (placing.py); a batch that breaks is
merged again record by record so that one bad record does not hold the others back.
"""

import asyncio
from collections import Counter, deque
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from fne_directory.places.schemas import PlaceInput
from fne_directory.sync import repair
from fne_directory.sync.connectors.base import LIEU, SERVICE
from fne_directory.sync.models import SourceRecord
from fne_directory.sync.placing import place_new_records
from fne_directory.sync.publishing import refresh_for_run
from fne_directory.sync.records import save_state, set_state
from fne_directory.sync.run import (
    ACTIVE,
    OUT_OF_SCOPE,
    QUARANTINED,
    UNLOADED,
    WITHDRAWN,
    Run,
    among,
    checkpoint,
    logger,
)
from fne_directory.sync.transactions import writing
from fne_kernel.errors import InvalidInput, field_errors

MERGE_BATCH = 500
MERGE_CONCURRENCY = 2
REQUIRED = frozenset({"nom", "adresse", "code_postal"})
PAIRED = {"latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude")}


class Quarantine(Exception):
    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("invalid record")
        self.reasons = reasons


async def merge_pending(run: Run) -> None:
    # Quarantined records are read again at every run: a fix on this side (a mapping, a reference commune)
    # releases them without waiting for the source to change.
    async with writing(run.sessions) as session:
        await session.execute(
            update(SourceRecord)
            .where(
                SourceRecord.source == run.source,
                SourceRecord.kind == LIEU,
                SourceRecord.status == QUARANTINED,
            )
            .values(needs_merge=True),
            execution_options=UNLOADED,
        )
    # While a batch waits for the database, the next one's records are checked and matched: with a pool of
    # PostgreSQL connections, MERGE_CONCURRENCY batches are merged at once, each in its own transaction
    # (SQLite has one writer at a time, and sessions sharing one connection cannot overlap).
    bind = run.sessions.kw.get("bind")
    concurrency = (
        MERGE_CONCURRENCY if isinstance(bind, AsyncEngine) and bind.dialect.name == "postgresql" else 1
    )
    merging: deque[asyncio.Task[Counter[str]]] = deque()
    after = 0
    try:
        while True:
            async with run.sessions() as session:
                ids = list(
                    await session.scalars(
                        select(SourceRecord.id)
                        .where(
                            SourceRecord.source == run.source,
                            SourceRecord.kind == LIEU,
                            SourceRecord.needs_merge.is_(True),
                            SourceRecord.id > after,
                        )
                        .order_by(SourceRecord.id)
                        .limit(MERGE_BATCH)
                    )
                )
            if ids:
                merging.append(asyncio.create_task(_merge_ids(run, ids)))
                after = ids[-1]
            if merging and (len(merging) >= concurrency or not ids):
                run.counts.update(await merging.popleft())  # in order: the counts and the checkpoint follow
                await checkpoint(run)
            elif not ids:
                return
    finally:
        for task in merging:
            task.cancel()  # a cancelled run: its batch is rolled back, its records wait for the next run
        await asyncio.gather(*merging, return_exceptions=True)


async def _merge_ids(run: Run, ids: list[int]) -> Counter[str]:
    try:
        return await _merge_batch(run, ids, isolated=False)
    except Exception:
        # One record broke the batch: start the batch again, each record in its own savepoint, so that
        # the others are merged and the broken one is reported.
        return await _merge_batch(run, ids, isolated=True)


async def _merge_batch(run: Run, ids: list[int], isolated: bool) -> Counter[str]:
    """Merges one batch in one transaction; what it counted once committed."""
    async with writing(run.sessions) as session:
        records = list(
            await session.scalars(
                select(SourceRecord).where(among(session, SourceRecord.id, ids)).order_by(SourceRecord.id)
            )
        )
        services = await _services_of(session, run.source, [record.source_id for record in records])
        if not isolated:
            return await _merge_records(session, run, records, services)
        counts: Counter[str] = Counter()
        for record in records:
            source_id = record.source_id  # read now: a rolled-back savepoint expires what it changed
            try:
                async with session.begin_nested():
                    counts.update(await _merge_records(session, run, [record], services))
            except Exception:
                session.expire(record)  # its state as merging left it in memory was rolled back
                logger.exception("sync merge failed", extra={"source": run.source, "record": source_id})
                run.error("merge", "erreur interne en fusionnant cet enregistrement", source_id=source_id)
                # left to merge (needs_merge stays set): the next run tries again
        return counts


async def _services_of(
    session: AsyncSession, source: str, parents: list[str]
) -> dict[str, list[dict[str, Any]]]:
    services: dict[str, list[dict[str, Any]]] = {}
    for parent_id, raw in await session.execute(
        select(SourceRecord.parent_id, SourceRecord.raw)
        .where(
            SourceRecord.source == source,
            SourceRecord.kind == SERVICE,
            among(session, SourceRecord.parent_id, parents),
            SourceRecord.status != WITHDRAWN,
        )
        .order_by(SourceRecord.id)
    ):
        services.setdefault(parent_id, []).append(raw)
    return services


def valid_input(values: dict[str, Any]) -> tuple[PlaceInput, list[dict[str, Any]]]:
    """The record as a valid place, and warnings for the optional values left out because they were invalid.

    Invalid required fields (name, address, postal code) quarantine the record instead; so does an unknown
    commune, found once the batch's communes are read (`Communes.resolve`).
    """
    data = {
        name: value for name, value in values.items() if value is not None and value != [] and value != ""
    }
    warnings: list[dict[str, Any]] = repair.swapped_coordinates(data)
    while True:
        try:
            return PlaceInput.model_validate(data), warnings
        except ValidationError as exc:
            errors = exc.errors()
            fields = {str(error["loc"][0]) for error in errors if error.get("loc")}
            if fields & REQUIRED or not fields or not fields & set(data):
                raise Quarantine(field_errors(errors, location="body")) from None
            warnings += [
                {**entry, "action": "valeur ignorée"} for entry in field_errors(errors, location="body")
            ]
            for name in fields:
                for dropped in PAIRED.get(name, (name,)):
                    data.pop(dropped, None)


def _quarantine(record: SourceRecord, reasons: list[dict[str, Any]], counts: Counter[str]) -> None:
    # The place keeps what it had: a source publishing a broken version must not break the directory.
    set_state(record, status=QUARANTINED, quarantine_reasons=reasons)
    counts["quarantined"] += 1


async def _merge_records(
    session: AsyncSession, run: Run, records: list[SourceRecord], services: dict[str, list[dict[str, Any]]]
) -> Counter[str]:
    """Brings the records' places up to date: each record is checked, then the places of known records are
    recomputed, and new records are matched to a place or given one (all created together)."""
    counts: Counter[str] = Counter()
    stale: list[str] = []  # places to recompute from their records
    valid = []
    for record in records:
        set_state(record, needs_merge=False)
        if record.status == WITHDRAWN:
            stale += [record.place_id] if record.place_id else []
            continue
        parent_services = services.get(record.source_id, [])
        if not run.connector.in_scope(record.raw, parent_services):
            set_state(record, status=OUT_OF_SCOPE, normalised=None, quarantine_reasons=None)
            counts["out_of_scope"] += 1
            stale += [record.place_id] if record.place_id else []
            continue
        try:
            valid.append((record, *valid_input(run.connector.normalise(record.raw, parent_services))))
        except Quarantine as quarantine:
            _quarantine(record, quarantine.reasons, counts)
    await run.communes.load(session, [place_input for _, place_input, _ in valid])
    new = []
    for record, place_input, warnings in valid:
        try:
            commune = run.communes.resolve(place_input)
        except InvalidInput as exc:
            named = repair.named_commune(run.communes, place_input)
            if named is None:
                _quarantine(record, exc.extensions["errors"], counts)
                continue
            warnings = [
                *warnings,
                repair.warning(
                    "commune",
                    f"« {place_input.commune} » : {named.nom} ({named.code}) parmi les communes du code "
                    f"postal {place_input.code_postal}",
                ),
            ]
            place_input, commune = place_input.model_copy(update={"code_insee": named.code}), named
        if (outside := repair.outside(commune, run.settings.sync_departement)) is not None:
            set_state(
                record, status=OUT_OF_SCOPE, normalised=None, quarantine_reasons=None, warnings=[outside]
            )
            counts["out_of_scope"] += 1
            stale += [record.place_id] if record.place_id else []
            continue
        if (far := repair.far_position(place_input, commune)) is not None:
            warnings = [*warnings, *far]
            place_input = place_input.model_copy(update={"latitude": None, "longitude": None})
        set_state(
            record,
            status=ACTIVE,
            quarantine_reasons=None,
            warnings=warnings or None,
            normalised=place_input.model_dump(mode="json"),
            date_maj=place_input.date_maj or run.connector.date_maj(record.raw),
        )
        if record.place_id:
            stale.append(record.place_id)
        else:
            new.append((record, commune, place_input))
    placed = {record.id for record in records if record.place_id}
    await save_state(
        session, [record for record in records if record.id in placed]
    )  # their places are read from them
    for place_id in dict.fromkeys(stale):
        await refresh_for_run(session, run, place_id, counts)
    if new:
        await place_new_records(session, run, new, counts)
    await save_state(session, [record for record in records if record.id not in placed])
    return counts
