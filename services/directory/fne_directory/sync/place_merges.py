"""Two published places that are one real place: merged, the other retired with a redirect; and undone.

How two places are found to be one. A synchronisation never puts two places in one cluster (clustering.py);
when the batch's pairs would join two places (a *bridge*: a new record likely to be both), the pair of
places is merged at once if the merge itself holds the configured precision (`bridged`), and proposed for
review otherwise. A coordinator merges any two places (`POST /sync/lieux/{id}/fusion`) or decides the
proposals (`/sync/revue/lieux`).

What a merge does, in the caller's transaction (nothing half-written: every check comes first):
- the place kept keeps its id; the other is withdrawn with `replaced_by` (its address answers 308 to the place
  kept; searches, exports and the change feed treat it as withdrawn);
- the other's records (places and services), pending review pairs, permanence slots, freshness requests,
  proposals and opt-outs move to the place kept;
- its manual fields move too (manual wins over the sources); where both places hold a manual value of one
  field and they differ, the kept place's stays and the conflict is listed in the merge's reasons; fields
  written by hand (never given by a source) that the place kept lacks are taken as well;
- the place kept is recomputed from all its records; the merge keeps its evidence (per criterion, as for the
  merges of records), its actor and what it moved, so that splitting it (`/sync/revue/lieux/{id}/separation`)
  moves exactly that back, still where the merge left it. A split or rejected pair is never merged again
  automatically.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.freshness.models import ContactOptOut, FreshnessRequest, PlaceProposal
from fne_directory.permanences.models import PermanenceSlot
from fne_directory.places import service as places
from fne_directory.places.exceptions import PlaceNotFound
from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import Communes, Geocoder
from fne_directory.sync import linkage
from fne_directory.sync.candidates import place_descriptions, producers_of
from fne_directory.sync.clustering import Bridge
from fne_directory.sync.connectors.base import LIEU
from fne_directory.sync.exceptions import PlaceMergeDecided, PlaceMergeNotFound, PlacesNotMergeable
from fne_directory.sync.manual import MANUAL
from fne_directory.sync.models import FieldProvenance, MatchCandidate, PlaceMerge, SourceRecord
from fne_directory.sync.publishing import refresh_place
from fne_kernel.db import utcnow
from fne_kernel.errors import DomainError, InvalidInput, field_error
from fne_kernel.identity import Principal

PENDING, MERGED, REJECTED, SPLIT = "pending", "merged", "rejected", "split"
# Two places holding records of one origin (listed apart by it): the model must be this sure of that pair.
SAME_ORIGIN_PROBABILITY = 0.99


def _name(actor: Principal) -> str:
    return (actor.name or actor.subject)[:120]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


# --- Evidence
# -------------------------------------------------------------------------------------------------


async def evidence(
    session: AsyncSession, one: Place, other: Place, model: linkage.Model | None = None
) -> tuple[float, dict[str, Any]]:
    """The model's word on two places, criterion by criterion (the run's model, or the starting values);
    0 where the names say two kinds of place (linkage.vetoed)."""
    described = await place_descriptions(session, [one.id, other.id])

    def described_features(place: Place) -> linkage.Features:
        origins, keys, hints = described.get(place.id, (set(), set(), []))
        return linkage.features(
            places.record(place), hints=hints, di_keys=keys, producers=producers_of(origins)
        )

    levels, facts = linkage.compare(described_features(one), described_features(other))
    model = model or linkage.Model()
    probability = 0.0 if linkage.vetoed(levels) else float(model.probabilities(np.array([levels]))[0])
    return probability, model.explain(levels, facts, probability)


# --- Merge and split
# -------------------------------------------------------------------------------------------


async def _locked(session: AsyncSession, place_ids: Iterable[str]) -> dict[str, Place]:
    found = {}
    for place_id in sorted(set(place_ids)):  # one order for every writer: no deadlock between two merges
        place = await session.get(Place, place_id, with_for_update=True, populate_existing=True)
        if place is None:
            raise PlaceNotFound(f"Aucun lieu {place_id}")
        found[place_id] = place
    return found


def _mergeable(kept: Place, other: Place) -> None:
    if kept.id == other.id:
        raise InvalidInput([field_error("doublon", "un lieu ne se fusionne pas avec lui-même")])
    for place in (kept, other):
        if place.replaced_by is not None:
            raise PlacesNotMergeable(
                f"Le lieu {place.id} est déjà fusionné dans le lieu {place.replaced_by}", lieu=place.id
            )
        if place.status != "active":
            raise PlacesNotMergeable(
                f"Le lieu {place.id} est retiré : seuls deux lieux publiés se fusionnent", lieu=place.id
            )


async def _ids(session: AsyncSession, column: Any, *where: Any) -> list[Any]:
    return list(await session.scalars(select(column).where(*where).order_by(column)))


async def merge(
    session: AsyncSession,
    settings: Any,
    kept_id: str,
    other_id: str,
    actor: Principal,
    geocode: Geocoder | None,
    *,
    score: float | None = None,
    reasons: dict[str, Any] | None = None,
    pair: PlaceMerge | None = None,
    communes: Communes | None = None,
) -> PlaceMerge:
    """Merges `other_id` into `kept_id` (module docstring); the merge, with its evidence and what moved."""
    found = await _locked(session, (kept_id, other_id))
    kept, other = found[kept_id], found[other_id]
    _mergeable(kept, other)
    if score is None or reasons is None:
        score, reasons = await evidence(session, kept, other)
    now = utcnow()
    moved: dict[str, Any] = {}

    # Manual fields (and fields written by hand that the kept place lacks), decided before anything moves.
    provenance = list(
        await session.scalars(
            select(FieldProvenance).where(FieldProvenance.place_id.in_((kept.id, other.id)))
        )
    )
    kept_manual = {row.field: row for row in provenance if row.place_id == kept.id and row.source == MANUAL}
    other_manual = {row.field: row for row in provenance if row.place_id == other.id and row.source == MANUAL}
    other_sourced = {row.field for row in provenance if row.place_id == other.id and row.source != MANUAL}
    kept_values, other_values = places.record(kept), places.record(other)
    conflicts, patch, locks = [], {}, []
    for name, row in sorted(other_manual.items()):
        if name in kept_manual:
            if _jsonable(kept_values.get(name)) != _jsonable(other_values.get(name)):
                conflicts.append(
                    {
                        "champ": name,
                        "valeur_conservee": _jsonable(kept_values.get(name)),
                        "valeur_ecartee": _jsonable(other_values.get(name)),
                        "saisie_ecartee_par": row.edited_by,
                    }
                )
            continue
        if name in PlaceInput.model_fields:
            patch[name] = _jsonable(other_values.get(name))
        locks.append(row)
    for name in PlaceInput.model_fields:
        if (
            name not in patch
            and name not in other_sourced
            and name not in kept_manual
            and name not in ("source", "date_maj", "latitude", "longitude")
            and not _empty(other_values.get(name))
            and _empty(kept_values.get(name))
        ):
            patch[name] = _jsonable(other_values[name])
    reasons = {**reasons, "conflits": conflicts}

    # What references the retired place moves to the kept one.
    moved["enregistrements"] = await _ids(session, SourceRecord.id, SourceRecord.place_id == other.id)
    if moved["enregistrements"]:
        await session.execute(
            update(SourceRecord).where(SourceRecord.id.in_(moved["enregistrements"])).values(place_id=kept.id)
        )
    # Pending pairs: one between a record and the place it is now in is moot (kept, for a split, as it was);
    # one with the retired place now concerns the kept one.
    pending = list(
        await session.scalars(
            select(MatchCandidate)
            .where(MatchCandidate.place_id.in_((kept.id, other.id)), MatchCandidate.status == PENDING)
            .order_by(MatchCandidate.id)
        )
    )
    retargeted, dropped = [], []
    if pending:
        at_kept = set(
            await session.scalars(select(MatchCandidate.record_id).where(MatchCandidate.place_id == kept.id))
        )
        record_places = dict(
            (
                await session.execute(
                    select(SourceRecord.id, SourceRecord.place_id).where(
                        SourceRecord.id.in_([candidate.record_id for candidate in pending])
                    )
                )
            ).all()
        )
        for candidate in pending:
            moot = record_places.get(candidate.record_id) == kept.id
            if moot or (candidate.place_id == other.id and candidate.record_id in at_kept):
                dropped.append(
                    {
                        "record_id": candidate.record_id,
                        "place_id": candidate.place_id,
                        "score": candidate.score,
                        "reasons": candidate.reasons,
                    }
                )
                await session.delete(candidate)
            elif candidate.place_id == other.id:
                candidate.place_id = kept.id
                retargeted.append(candidate.id)
    moved["propositions_deplacees"], moved["propositions_retirees"] = retargeted, dropped
    for key, model in (
        ("permanences", PermanenceSlot),
        ("demandes_fraicheur", FreshnessRequest),
        ("signalements", PlaceProposal),
    ):
        moved[key] = await _ids(session, model.id, model.place_id == other.id)
        if moved[key]:
            await session.execute(update(model).where(model.id.in_(moved[key])).values(place_id=kept.id))
    opted_out = set(
        await session.scalars(select(ContactOptOut.email_hash).where(ContactOptOut.place_id == other.id))
    ) - set(await session.scalars(select(ContactOptOut.email_hash).where(ContactOptOut.place_id == kept.id)))
    moved["desinscriptions"] = sorted(opted_out)
    if opted_out:
        await session.execute(
            insert(ContactOptOut),
            [{"place_id": kept.id, "email_hash": email_hash, "at": now} for email_hash in sorted(opted_out)],
        )
    await session.flush()

    # The retired place, then the kept one with the moved manual values and all its records.
    await places.retire_into(session, other, kept.id, actor)
    moved["valeurs_precedentes"] = {name: _jsonable(kept_values.get(name)) for name in patch}
    moved["champs_manuels"] = [row.field for row in locks]
    if patch:
        await places.replace_place(session, kept, places.merged_input(kept, patch), actor, geocode, communes)
    if locks:
        await session.execute(
            insert(FieldProvenance),
            [
                {
                    "place_id": kept.id,
                    "field": row.field,
                    "record_id": None,
                    "source": MANUAL,
                    "date_maj": row.date_maj,
                    "rule": MANUAL,
                    "edited_by": row.edited_by,
                    "edited_at": row.edited_at,
                }
                for row in locks
            ],
        )
    await _recompute(session, settings, kept.id, geocode, actor, communes)

    if pair is None:
        pair = PlaceMerge(place_id=kept.id, other_id=other.id, created_at=now)
        session.add(pair)
    pair.place_id, pair.other_id = kept.id, other.id
    pair.status, pair.score, pair.reasons, pair.moved = MERGED, round(score, 4), reasons, moved
    pair.decided_at, pair.decided_by = now, _name(actor)
    await session.flush()
    return pair


async def _recompute(
    session: AsyncSession,
    settings: Any,
    place_id: str,
    geocode: Geocoder | None,
    actor: Principal,
    communes: Communes | None = None,
) -> None:
    source = await session.scalar(
        select(SourceRecord.source)
        .where(SourceRecord.place_id == place_id, SourceRecord.kind == LIEU)
        .order_by(SourceRecord.id)
        .limit(1)
    )
    if source is not None:  # a place made by hand: nothing to recompute it from
        await refresh_place(session, settings, place_id, source, geocode, communes=communes, actor=actor)


async def split(
    session: AsyncSession, settings: Any, merge_id: int, actor: Principal, geocode: Geocoder | None
) -> PlaceMerge:
    """Undoes a merge: the retired place is published again under its id, with what the merge moved (and
    is still where the merge left it); the pair is never merged again automatically."""
    pair = await get(session, merge_id)
    if pair.status != MERGED:
        raise PlaceMergeDecided(f"Cette paire de lieux n'est pas fusionnée ({pair.status})")
    found = await _locked(session, (pair.place_id, pair.other_id))
    kept, other = found[pair.place_id], found[pair.other_id]
    if kept.replaced_by is not None:
        raise PlaceMergeDecided(
            f"Le lieu conservé a depuis été fusionné dans le lieu {kept.replaced_by} : séparez d'abord cette "
            "fusion-là"
        )
    if other.replaced_by != kept.id:
        raise PlaceMergeDecided("Le lieu retiré n'est plus fusionné dans le lieu conservé")
    moved = pair.moved or {}
    for key, model in (
        ("enregistrements", SourceRecord),
        ("permanences", PermanenceSlot),
        ("demandes_fraicheur", FreshnessRequest),
        ("signalements", PlaceProposal),
    ):
        if moved.get(key):
            await session.execute(
                update(model)
                .where(model.id.in_(moved[key]), model.place_id == kept.id)
                .values(place_id=other.id)
            )
    if moved.get("propositions_deplacees"):
        await session.execute(
            update(MatchCandidate)
            .where(
                MatchCandidate.id.in_(moved["propositions_deplacees"]),
                MatchCandidate.place_id == kept.id,
                MatchCandidate.status == PENDING,
            )
            .values(place_id=other.id)
        )
    dropped = moved.get("propositions_retirees") or []
    if dropped:
        present = set(
            await session.scalars(
                select(SourceRecord.id).where(SourceRecord.id.in_([row["record_id"] for row in dropped]))
            )
        )
        taken = set(
            (
                await session.execute(
                    select(MatchCandidate.record_id, MatchCandidate.place_id).where(
                        MatchCandidate.place_id.in_((kept.id, other.id))
                    )
                )
            ).all()
        )
        for row in dropped:
            if row["record_id"] in present and (row["record_id"], row["place_id"]) not in taken:
                session.add(
                    MatchCandidate(
                        record_id=row["record_id"],
                        place_id=row["place_id"],
                        score=row["score"],
                        reasons=row["reasons"],
                        status=PENDING,
                        created_at=utcnow(),
                    )
                )
    if moved.get("desinscriptions"):
        await session.execute(
            delete(ContactOptOut).where(
                ContactOptOut.place_id == kept.id, ContactOptOut.email_hash.in_(moved["desinscriptions"])
            )
        )
    if moved.get("champs_manuels"):
        await session.execute(
            delete(FieldProvenance).where(
                FieldProvenance.place_id == kept.id,
                FieldProvenance.source == MANUAL,
                FieldProvenance.field.in_(moved["champs_manuels"]),
            )
        )
    await session.flush()
    await places.bring_back(session, other, actor)
    if moved.get("valeurs_precedentes"):
        await places.replace_place(
            session, kept, places.merged_input(kept, moved["valeurs_precedentes"]), actor, geocode
        )
    await _recompute(session, settings, kept.id, geocode, actor)
    await _recompute(session, settings, other.id, geocode, actor)
    now = utcnow()
    pair.status, pair.split_at, pair.split_by = SPLIT, now, _name(actor)
    await session.flush()
    return pair


# --- Proposals and decisions
# -----------------------------------------------------------------------------------


async def get(session: AsyncSession, merge_id: int) -> PlaceMerge:
    pair = await session.get(PlaceMerge, merge_id)
    if pair is None:
        raise PlaceMergeNotFound(f"Aucune paire de lieux {merge_id}")
    return pair


async def pair_of(session: AsyncSession, one: str, other: str) -> PlaceMerge | None:
    """The pair of these two places, whichever way round it was recorded."""
    return await session.scalar(
        select(PlaceMerge).where(
            or_(
                (PlaceMerge.place_id == one) & (PlaceMerge.other_id == other),
                (PlaceMerge.place_id == other) & (PlaceMerge.other_id == one),
            )
        )
    )


async def merge_by_hand(
    session: AsyncSession,
    settings: Any,
    kept_id: str,
    other_id: str,
    actor: Principal,
    geocode: Geocoder | None,
) -> PlaceMerge:
    """A coordinator's merge of two places, with the model's evidence for the record (a pair refused before
    is the coordinator's to overrule)."""
    found = await _locked(session, (kept_id, other_id))
    _mergeable(found[kept_id], found[other_id])
    score, reasons = await evidence(session, found[kept_id], found[other_id])
    pair = await pair_of(session, kept_id, other_id)
    if pair is not None and pair.status == MERGED:  # merged, split, merged again by hand: one row per pair
        raise PlaceMergeDecided("Ces deux lieux sont déjà fusionnés")
    return await merge(
        session,
        settings,
        kept_id,
        other_id,
        actor,
        geocode,
        score=score,
        reasons={**reasons, "decision": "coordinateur"},
        pair=pair,
    )


async def _pending(session: AsyncSession, merge_id: int) -> PlaceMerge:
    pair = await get(session, merge_id)
    if pair.status != PENDING:
        raise PlaceMergeDecided(f"Proposition déjà traitée ({pair.status})")
    return pair


async def confirm(
    session: AsyncSession, settings: Any, merge_id: int, actor: Principal, geocode: Geocoder | None
) -> PlaceMerge:
    """Same place: the proposed pair is merged (the older place kept)."""
    pair = await _pending(session, merge_id)
    return await merge(
        session,
        settings,
        pair.place_id,
        pair.other_id,
        actor,
        geocode,
        score=pair.score,
        reasons={**pair.reasons, "decision": "coordinateur"},
        pair=pair,
    )


async def reject(session: AsyncSession, merge_id: int, actor: Principal) -> PlaceMerge:
    """Two places: never proposed again."""
    pair = await _pending(session, merge_id)
    pair.status, pair.decided_at, pair.decided_by = REJECTED, utcnow(), _name(actor)
    await session.flush()
    return pair


async def listing(
    session: AsyncSession, status: str, offset: int, limit: int
) -> tuple[list[PlaceMerge], int]:
    total = (
        await session.scalar(select(func.count()).select_from(PlaceMerge).where(PlaceMerge.status == status))
        or 0
    )
    pairs = await session.scalars(
        select(PlaceMerge)
        .where(PlaceMerge.status == status)
        .order_by(PlaceMerge.score.desc(), PlaceMerge.id)
        .offset(offset)
        .limit(limit)
    )
    return list(pairs), total


async def merged_into(session: AsyncSession, place_id: str) -> list[PlaceMerge]:
    """The merges that retired places into this one, and into those, recursively (oldest first)."""
    found: list[PlaceMerge] = []
    frontier = [place_id]
    seen = {place_id}
    while frontier:
        pairs = list(
            await session.scalars(
                select(PlaceMerge)
                .where(PlaceMerge.place_id.in_(frontier), PlaceMerge.status == MERGED)
                .order_by(PlaceMerge.id)
            )
        )
        frontier = [pair.other_id for pair in pairs if pair.other_id not in seen]
        seen.update(frontier)
        found += pairs
    return found


# --- During a synchronisation: bridges
# -------------------------------------------------------------------------


async def bridged(
    session: AsyncSession,
    run: Any,
    bridges: list[Bridge],
    counts: Counter[str],
) -> None:
    """The pairs of places a batch bridged: merged when the merge itself holds the run's precision — the
    model's probability that the two places are one, the places' own pair or, bounded from below, the chain
    of pairs that joins them (1 − Σ(1 − p)) — and proposed for review otherwise when the pair joining them
    reached the run's automatic threshold (below it, the pair is already in review as a record's);
    never a pair a person split or rejected, never two places of one origin unless their own pair is that
    sure, never two kinds of place."""
    best: dict[frozenset[str], Bridge] = {}
    for bridge in bridges:
        key = frozenset(bridge.places)
        if key not in best or bridge.confidence > best[key].confidence:
            best[key] = bridge
    precision = run.linker.precision
    for bridge in sorted(best.values(), key=lambda found: -found.confidence):
        one, other = await session.get(Place, bridge.places[0]), await session.get(Place, bridge.places[1])
        if one is None or other is None or one.status != "active" or other.status != "active":
            continue
        known = await pair_of(session, one.id, other.id)
        if known is not None and known.status != PENDING:
            continue
        direct, explained = await evidence(session, one, other, run.linker.model)
        shared_origin = bool(bridge.origins[0] & bridge.origins[1])
        sure = max(direct, bridge.confidence)
        automatic = (
            sure >= precision
            and explained["criteres"].get("nom", {}).get("niveau") != "autre_type"
            and (not shared_origin or direct >= SAME_ORIGIN_PROBABILITY)
        )
        kept, retired = sorted((one, other), key=lambda place: (place.created_at, place.id))
        reasons = {
            **explained,
            "pont": {**bridge.reasons, "confiance": round(bridge.confidence, 4)},
            "decision": "automatique" if automatic else "revue",
        }
        if automatic:
            try:
                async with session.begin_nested():  # a merge that cannot be made leaves the batch as it was
                    await merge(
                        session,
                        run.settings,
                        kept.id,
                        retired.id,
                        run.actor,
                        run.geocode,
                        score=sure,
                        reasons=reasons,
                        pair=known,
                        communes=run.communes,
                    )
            except DomainError as error:
                run.error("place_merge", f"fusion des lieux {kept.id} et {retired.id} impossible : {error}")
                continue
            run.candidates.discard(retired.id)
            profile = run.candidates.profile(kept.id)
            if profile is not None:
                run.candidates.add(
                    kept.id, profile, run.candidates.origins(kept.id) | bridge.origins[0] | bridge.origins[1]
                )
            counts["places_merged"] += 1
        elif known is None and bridge.above_threshold and sure >= run.linker.review:
            session.add(
                PlaceMerge(
                    place_id=kept.id,
                    other_id=retired.id,
                    status=PENDING,
                    score=round(sure, 4),
                    reasons=reasons,
                    moved={},
                    created_at=utcnow(),
                )
            )
            counts["places_for_review"] += 1
    await session.flush()
