"""Permanences: validated as a whole before anything is written, published without personal data unless the
person consented to their label, and read per place for the place's page and the search filter."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    bindparam,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.permanences.exceptions import PermanenceNotFound
from fne_directory.permanences.models import Permanence, PermanenceSlot
from fne_directory.permanences.schemas import JOURS, ROLE_LABELS, Jour, PermanenceIn, Role
from fne_directory.places.models import Place
from fne_directory.territories.models import Commune
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal

ACTIVE = "active"


def hour_text(moment: time) -> str:
    """« 9 h », « 9 h 30 » (the French way of writing hours)."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def slot_text(weekday: int, starts_at: time, ends_at: time) -> str:
    return f"le {JOURS[weekday].value} {hour_text(starts_at)}–{hour_text(ends_at)}"


def public_label(permanence: Permanence) -> str:
    role = ROLE_LABELS[Role(permanence.role)]
    return permanence.label if permanence.label_public and permanence.label else role


def presence_text(role: str, slots: Iterable[PermanenceSlot], itinerant: bool) -> str:
    """« Conseiller numérique présent le mardi 9 h–12 h et le jeudi 14 h–17 h » (« en tournée »: a tour)."""
    parts = [slot_text(slot.weekday, slot.starts_at, slot.ends_at) for slot in slots]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
    return f"{ROLE_LABELS[Role(role)]} présent {joined}" + (" (en tournée)" if itinerant else "")


def is_itinerant(slots: Iterable[PermanenceSlot]) -> bool:
    return len({slot.place_id or f"commune:{slot.code_insee}" for slot in slots}) > 1


async def _check(
    session: AsyncSession, body: PermanenceIn
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The slots' places and communes, as rows to write; every error at once (422) before any write."""
    errors: list[dict[str, Any]] = []
    place_ids = {slot.lieu_id for slot in body.creneaux if slot.lieu_id}
    places = {
        place.id: place
        for place in await session.execute(
            select(Place.id, Place.code_insee, Place.status).where(Place.id.in_(place_ids))
        )
    }
    codes = {slot.code_insee for slot in body.creneaux if slot.code_insee}
    known_codes = set(await session.scalars(select(Commune.code).where(Commune.code.in_(codes))))
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, int, time]] = set()
    for index, slot in enumerate(body.creneaux):
        where = f"creneaux.{index}"
        code = slot.code_insee
        if slot.lieu_id is not None:
            place = places.get(slot.lieu_id)
            if place is None or place.status != ACTIVE:
                errors.append(
                    field_error(f"{where}.lieu_id", "aucun lieu actif de l'annuaire ne porte cet identifiant")
                )
                continue
            if code is not None and code != place.code_insee:
                errors.append(
                    field_error(
                        f"{where}.code_insee", f"le lieu est dans la commune {place.code_insee}, pas {code}"
                    )
                )
                continue
            code = place.code_insee
        elif code is None:
            errors.append(
                field_error(where, "indiquez un lieu de l'annuaire (lieu_id) ou une commune (code_insee)")
            )
            continue
        elif code not in known_codes:
            errors.append(field_error(f"{where}.code_insee", "commune inconnue du référentiel"))
            continue
        if slot.fin <= slot.debut:
            errors.append(field_error(f"{where}.fin", "l'heure de fin doit suivre l'heure de début"))
            continue
        weekday = JOURS.index(slot.jour)
        key = (slot.lieu_id or f"commune:{code}", weekday, slot.debut)
        if key in seen:
            errors.append(field_error(where, "créneau en double (même lieu, même jour, même heure)"))
            continue
        seen.add(key)
        rows.append(
            {
                "position": index,
                "place_id": slot.lieu_id,
                "code_insee": code,
                "location_detail": slot.precision_lieu,
                "weekday": weekday,
                "starts_at": slot.debut.replace(second=0, microsecond=0, tzinfo=None),
                "ends_at": slot.fin.replace(second=0, microsecond=0, tzinfo=None),
            }
        )
    if body.libelle_public and not body.libelle:
        errors.append(field_error("libelle_public", "il n'y a pas de libellé à publier"))
    return rows, errors


async def _write(session: AsyncSession, permanence: Permanence, body: PermanenceIn, actor: Principal) -> None:
    rows, errors = await _check(session, body)
    if errors:
        raise InvalidInput(errors)
    now = utcnow()
    permanence.role, permanence.person_id = body.role.value, body.personne_id
    permanence.label, permanence.label_public = body.libelle, body.libelle_public
    permanence.updated_at, permanence.updated_by = now, actor.name or actor.subject
    if permanence.created_at is None:
        permanence.created_at = now
    session.add(permanence)
    await session.flush()
    hosts = {row["place_id"] for row in rows if row["place_id"]}
    for slot in await session.scalars(
        select(PermanenceSlot).where(PermanenceSlot.permanence_id == permanence.id)
    ):
        hosts.add(slot.place_id or "")
        await session.delete(slot)
    await session.flush()
    session.add_all(PermanenceSlot(permanence_id=permanence.id, **row) for row in rows)
    await _touch(session, hosts, now)


async def _touch(session: AsyncSession, place_ids: set[str], now: datetime) -> None:
    """The host places' published records changed (page, exports): they go back into the change feed."""
    await session.execute(
        update(Place)
        .where(Place.id.in_(place_ids - {""}))
        .values(updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    await session.flush()


async def create(session: AsyncSession, body: PermanenceIn, actor: Principal) -> Permanence:
    permanence = Permanence(status=ACTIVE, version=1)
    await _write(session, permanence, body, actor)
    return permanence


async def get(session: AsyncSession, permanence_id: str, active_only: bool = True) -> Permanence:
    permanence = await session.get(Permanence, permanence_id)
    if permanence is None or (active_only and permanence.status != ACTIVE):
        raise PermanenceNotFound(f"Aucune permanence {permanence_id}")
    return permanence


async def replace(
    session: AsyncSession, permanence: Permanence, body: PermanenceIn, actor: Principal
) -> Permanence:
    await _write(session, permanence, body, actor)
    permanence.version += 1
    await session.flush()
    return permanence


async def withdraw(session: AsyncSession, permanence: Permanence, actor: Principal) -> Permanence:
    """Withdrawn, not deleted: its date of change tells caches and the observatory that it is gone."""
    permanence.status, permanence.version = "withdrawn", permanence.version + 1
    permanence.updated_at, permanence.updated_by = utcnow(), actor.name or actor.subject
    hosts = {
        place_id
        for place_id in await session.scalars(
            select(PermanenceSlot.place_id).where(PermanenceSlot.permanence_id == permanence.id)
        )
        if place_id
    }
    await _touch(session, hosts, permanence.updated_at)
    return permanence


async def _slots(session: AsyncSession, permanence_ids: list[str]) -> dict[str, list[PermanenceSlot]]:
    found: dict[str, list[PermanenceSlot]] = defaultdict(list)
    for slot in await session.scalars(
        select(PermanenceSlot)
        .where(PermanenceSlot.permanence_id.in_(permanence_ids))
        .order_by(PermanenceSlot.permanence_id, PermanenceSlot.position)
    ):
        found[slot.permanence_id].append(slot)
    return found


async def _names(
    session: AsyncSession, slots: Iterable[PermanenceSlot]
) -> tuple[dict[str, str], dict[str, str]]:
    slots = list(slots)
    place_ids = {slot.place_id for slot in slots if slot.place_id}
    codes = {slot.code_insee for slot in slots}
    places = {
        place_id: name
        for place_id, name in await session.execute(
            select(Place.id, Place.nom).where(Place.id.in_(place_ids))
        )
    }
    communes = {
        code: name
        for code, name in await session.execute(
            select(Commune.code, Commune.nom).where(Commune.code.in_(codes))
        )
    }
    return places, communes


def _slot_out(slot: PermanenceSlot, places: dict[str, str], communes: dict[str, str]) -> dict[str, Any]:
    return {
        "lieu_id": slot.place_id,
        "lieu_nom": places.get(slot.place_id) if slot.place_id else None,
        "code_insee": slot.code_insee,
        "commune": communes.get(slot.code_insee),
        "precision_lieu": slot.location_detail,
        "jour": JOURS[slot.weekday].value,
        "debut": slot.starts_at.strftime("%H:%M"),
        "fin": slot.ends_at.strftime("%H:%M"),
        "texte": slot_text(slot.weekday, slot.starts_at, slot.ends_at),
    }


async def outs(session: AsyncSession, permanences: list[Permanence], writer: bool) -> list[dict[str, Any]]:
    slots = await _slots(session, [permanence.id for permanence in permanences])
    places, communes = await _names(session, (slot for group in slots.values() for slot in group))
    published = []
    for permanence in permanences:
        mine = slots.get(permanence.id, [])
        item: dict[str, Any] = {
            "id": permanence.id,
            "status": permanence.status,
            "version": permanence.version,
            "role": permanence.role,
            "role_libelle": ROLE_LABELS[Role(permanence.role)],
            "libelle": public_label(permanence),
            "itinerante": is_itinerant(mine),
            "communes": sorted({slot.code_insee for slot in mine}),
            "creneaux": [_slot_out(slot, places, communes) for slot in mine],
            "updated_at": permanence.updated_at,
        }
        if writer:
            item |= {
                "personne_id": permanence.person_id,
                "libelle_saisi": permanence.label,
                "libelle_public": permanence.label_public,
            }
        published.append(item)
    return published


async def search(
    session: AsyncSession,
    *,
    roles: list[Role],
    place_id: str | None,
    communes: list[str],
    offset: int,
    limit: int,
) -> tuple[list[Permanence], int]:
    where: list[ColumnElement[bool]] = [Permanence.status == ACTIVE]
    if roles:
        where.append(Permanence.role.in_([role.value for role in roles]))
    slot_filters: list[ColumnElement[bool]] = []
    if place_id is not None:
        slot_filters.append(PermanenceSlot.place_id == place_id)
    if communes:
        slot_filters.append(PermanenceSlot.code_insee.in_(communes))
    if slot_filters:
        where.append(exists().where(PermanenceSlot.permanence_id == Permanence.id, *slot_filters))
    total = await session.scalar(select(func.count()).select_from(Permanence).where(*where)) or 0
    found = list(
        await session.scalars(
            select(Permanence)
            .where(*where)
            .order_by(Permanence.created_at, Permanence.id)
            .offset(offset)
            .limit(limit)
        )
    )
    return found, total


@lru_cache(maxsize=1)
def _held_at_places() -> Executable:
    """of_places' statement (parameter `place_ids`), built once: a search's page asks for it."""
    place_ids: BindParameter[Any] = bindparam("place_ids", expanding=True)
    here = select(PermanenceSlot.permanence_id).where(PermanenceSlot.place_id.in_(place_ids))
    stop = func.coalesce(PermanenceSlot.place_id, literal("commune:").concat(PermanenceSlot.code_insee))
    stops = (
        select(PermanenceSlot.permanence_id, func.count(func.distinct(stop)).label("stops"))
        .where(PermanenceSlot.permanence_id.in_(here))
        .group_by(PermanenceSlot.permanence_id)
        .subquery()
    )
    return (
        select(
            PermanenceSlot.place_id,
            PermanenceSlot.code_insee,
            PermanenceSlot.location_detail,
            PermanenceSlot.weekday,
            PermanenceSlot.starts_at,
            PermanenceSlot.ends_at,
            Permanence.id.label("permanence_id"),
            Permanence.role,
            Permanence.label,
            Permanence.label_public,
            Place.nom.label("place_name"),
            Commune.nom.label("commune_name"),
            stops.c.stops,
        )
        .join(Permanence, Permanence.id == PermanenceSlot.permanence_id)
        .join(Place, Place.id == PermanenceSlot.place_id)
        .join(stops, stops.c.permanence_id == Permanence.id)
        .outerjoin(Commune, Commune.code == PermanenceSlot.code_insee)
        .where(PermanenceSlot.place_id.in_(place_ids), Permanence.status == ACTIVE)
        .order_by(Permanence.role, Permanence.id, PermanenceSlot.weekday, PermanenceSlot.starts_at)
    )


async def of_places(session: AsyncSession, place_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per place, the active permanences held there (their slots there only): its page and results.

    One query for a whole page of places (search results read it for every page): the slots there with their
    permanence, place and commune names, and how many places or communes each permanence is held in (a tour).
    """
    if not place_ids:
        return {}
    rows = (await session.execute(_held_at_places(), {"place_ids": place_ids})).all()
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row.place_id, row.permanence_id)].append(row)
    places = {row.place_id: row.place_name for row in rows}
    communes = {row.code_insee: row.commune_name for row in rows if row.commune_name}
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (place, permanence_id), slots in grouped.items():
        first = slots[0]
        itinerant = first.stops > 1
        found[place].append(
            {
                "id": permanence_id,
                "role": first.role,
                "libelle": public_label(first),
                "itinerante": itinerant,
                "creneaux": [_slot_out(slot, places, communes) for slot in slots],
                "texte": presence_text(first.role, slots, itinerant),
            }
        )
    return found


async def reach(session: AsyncSession, departments: list[str]) -> list[dict[str, Any]]:
    """The communes where an active permanence is held (in an active place or at a stop), with the roles and
    whether a tour reaches them: what the observatory's zones-blanches computation reads."""
    result = await session.execute(
        select(
            PermanenceSlot.code_insee, Permanence.role, PermanenceSlot.permanence_id, PermanenceSlot.place_id
        )
        .join(Permanence, Permanence.id == PermanenceSlot.permanence_id)
        .outerjoin(Place, Place.id == PermanenceSlot.place_id)
        .where(Permanence.status == ACTIVE, (PermanenceSlot.place_id.is_(None)) | (Place.status == ACTIVE))
    )
    rows = result.all()
    places_of: dict[str, set[str]] = defaultdict(set)
    for code, _role, permanence_id, place_id in rows:
        places_of[permanence_id].add(place_id or f"commune:{code}")
    by_commune: dict[str, tuple[set[str], bool]] = {}
    for code, role, permanence_id, _place_id in rows:
        if departments and not any(code.startswith(department) for department in departments):
            continue
        roles, itinerant = by_commune.get(code, (set(), False))
        roles.add(role)
        by_commune[code] = (roles, itinerant or len(places_of[permanence_id]) > 1)
    return [
        {"code_insee": code, "roles": sorted(roles), "itinerante": itinerant}
        for code, (roles, itinerant) in sorted(by_commune.items())
    ]


def programmes_of(permanences: list[dict[str, Any]]) -> list[str]:
    """The national standard's `dispositif_programmes_nationaux` values a place's permanences give it."""
    return (
        ["Conseillers numériques"] if any(p["role"] == Role.CONSEILLER_NUMERIQUE for p in permanences) else []
    )


__all__ = [
    "Jour",
    "create",
    "get",
    "of_places",
    "outs",
    "reach",
    "replace",
    "search",
    "withdraw",
]
