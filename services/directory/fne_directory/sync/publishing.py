"""Places from source records: created from new records, recomputed from their active records (manual fields
kept), withdrawn when no source lists them any more, with which record gave each field (provenance).
"""

from collections import Counter
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import (
    Communes,
    Geocoder,
    insert_places,
    insert_rows,
    replace_place,
    restore_place,
    withdraw_place,
)
from fne_directory.sync.connectors.base import LIEU
from fne_directory.sync.manual import MANUAL
from fne_directory.sync.merge import alone_input, merged_input
from fne_directory.sync.models import FieldProvenance, SourceRecord
from fne_directory.sync.run import ACTIVE, OUT_OF_SCOPE, WITHDRAWN, Run, sync_actor
from fne_kernel.identity import Principal

# The columns of a provenance row, in the order `_write_provenance` builds them.
PROVENANCE_COLUMNS = ("place_id", "field", "record_id", "source", "date_maj", "rule")


async def refresh_for_run(session: AsyncSession, run: Run, place_id: str, counts: Counter[str]) -> None:
    place = await refresh_place(
        session, run.settings, place_id, run.source, run.geocode, counts, run.communes
    )
    if place is not None and place.status != "active":
        run.candidates.discard(place_id)


async def create_from_records(
    session: AsyncSession,
    settings: Any,
    records: list[SourceRecord],
    source: str,
    geocode: Geocoder | None,
    communes: Communes | None = None,
    validated: list[PlaceInput] | None = None,
) -> list[str]:
    """A new place for each record, with the provenance of its fields: the places' ids; `validated`: the
    records' inputs as validated when the run read them (not validated again)."""
    if not records:
        return []
    if validated is None:
        merged = [
            merged_input([record], settings.sync_precedence, settings.sync_source_priority)
            for record in records
        ]
    else:
        merged = [
            alone_input(record, place_input) for record, place_input in zip(records, validated, strict=True)
        ]
    rows = await insert_places(
        session, [place_input for place_input, _ in merged], sync_actor(source), geocode, communes
    )
    await _write_provenance(
        session,
        [(row["id"], provenance) for row, (_, provenance) in zip(rows, merged, strict=False)],
        settings.sync_precedence,
        new=True,
    )
    return [row["id"] for row in rows]


async def refresh_place(
    session: AsyncSession,
    settings: Any,
    place_id: str,
    source: str,
    geocode: Geocoder | None,
    counts: Counter[str] | None = None,
    communes: Communes | None = None,
    actor: Principal | None = None,
) -> Place | None:
    """Recomputes a place from its active records, its manual fields kept; withdraws it when none is left (no
    source lists it). The changes are the source's, or `actor`'s when a person's decision triggered them."""
    counts = counts if counts is not None else Counter()
    actor = actor or sync_actor(source)
    # Locked: two batches of a run, or a run and a coordinator's decision, may recompute one place at once.
    place = await session.get(Place, place_id, with_for_update=True)
    if place is None:
        return None
    records = list(
        await session.scalars(
            select(SourceRecord).where(SourceRecord.place_id == place_id, SourceRecord.kind == LIEU)
        )
    )
    contributing = [record for record in records if record.status == ACTIVE and record.normalised]
    if not contributing:
        # Quarantined records keep the place as it was; only when every source withdrew it does it go.
        if (
            records
            and all(record.status in (WITHDRAWN, OUT_OF_SCOPE) for record in records)
            and place.status == "active"
        ):
            await withdraw_place(session, place, actor)
            counts["places_withdrawn"] += 1
        return place
    origins = (
        await session.execute(
            select(FieldProvenance.field, FieldProvenance.source).where(FieldProvenance.place_id == place_id)
        )
    ).all()
    manual = {name for name, origin in origins if origin == MANUAL}
    place_input, provenance = merged_input(
        contributing,
        settings.sync_precedence,
        settings.sync_source_priority,
        place,
        {name for name, _ in origins} - manual,
        manual,
    )
    version = place.version
    if place.status == "withdrawn":
        await restore_place(session, place, actor)
        counts["restored"] += 1
    await replace_place(session, place, place_input, actor, geocode, communes)
    if place.version != version:
        counts["updated"] += 1
    await _write_provenance(session, [(place.id, provenance)], settings.sync_precedence)
    return place


async def _write_provenance(
    session: AsyncSession,
    provenances: list[tuple[str, dict[str, SourceRecord]]],
    rule: str,
    new: bool = False,
) -> None:
    """Rewrites which record gave each field of these places (`new`: places without any yet); manual fields
    keep their provenance (the merge gives them none)."""
    if not new:
        await session.execute(
            delete(FieldProvenance).where(
                FieldProvenance.place_id.in_([place_id for place_id, _ in provenances]),
                FieldProvenance.source != MANUAL,
            )
        )
    origins = {
        record: (record.id, record.source, record.date_maj)
        for _, provenance in provenances
        for record in provenance.values()
    }
    await insert_rows(
        session,
        FieldProvenance,
        [
            (place_id, name, *origins[record], rule)
            for place_id, provenance in provenances
            for name, record in provenance.items()
        ],
        PROVENANCE_COLUMNS,
    )
