"""Fields a person edited: what a synchronisation must not overwrite.

The rule. A field a person changes through the API (`PUT`/`PATCH /lieux/{id}`, a coordinator or a
`directory:write` key) gets the provenance `manual`: the merge keeps the place's value of that field whatever
its sources say, and the reconciliation report lists every source that says otherwise (a difference marked
`manual`, so that the network fixes the source). The lock lasts until a coordinator releases it
(`DELETE /sync/lieux/{id}/manuel/{champ}`): the place is then recomputed from its sources at once. Only the
fields the edit changed are locked (a `PUT` resending the other fields as they were locks nothing more).
Fields taken together from one source are locked together: the address as a whole, the position as a whole; a
manual address also keeps the position the directory derived from it (the sources' coordinates describe their
own address). A source withdrawing the place still withdraws it: a lock keeps a value, not a place.

This module imports no other part of the synchronisation: places/service.py calls it on every edit.
"""

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.sync.models import FieldProvenance
from fne_kernel.db import utcnow
from fne_kernel.identity import Principal

MANUAL = "manual"
# Fields that only make sense together: taken from one record, never mixed across sources, locked together.
ADDRESS = ("adresse", "complement_adresse", "code_postal", "code_insee", "commune")
POSITION = ("latitude", "longitude")
# Set by the merge from every source (`source`, `date_maj`) or derived (`geo_precision`): never a person's
# value.
NOT_LOCKABLE = frozenset({"source", "date_maj", "geo_precision"})


def group(name: str) -> tuple[str, ...]:
    """The fields locked and released with this one."""
    for fields in (ADDRESS, POSITION):
        if name in fields:
            return fields
    return (name,)


def locked_fields(changed: Iterable[str]) -> set[str]:
    return {member for name in changed if name not in NOT_LOCKABLE for member in group(name)}


async def keep_edits(session: AsyncSession, place_id: str, changed: Iterable[str], actor: Principal) -> None:
    """Marks the fields an edit changed (and their groups) as manual, by this person, now."""
    fields = locked_fields(changed)
    if not fields:
        return
    await session.execute(
        delete(FieldProvenance).where(FieldProvenance.place_id == place_id, FieldProvenance.field.in_(fields))
    )
    now = utcnow()
    await session.execute(
        insert(FieldProvenance),
        [
            {
                "place_id": place_id,
                "field": name,
                "record_id": None,
                "source": MANUAL,
                "date_maj": now.date(),
                "rule": MANUAL,
                "edited_by": (actor.name or actor.subject)[:120],
                "edited_at": now,
            }
            for name in sorted(fields)
        ],
    )


async def manual_fields(session: AsyncSession, place_ids: Iterable[str]) -> dict[str, set[str]]:
    """The manual fields of these places, by place."""
    found: dict[str, set[str]] = {}
    for place_id, name in await session.execute(
        select(FieldProvenance.place_id, FieldProvenance.field).where(
            FieldProvenance.place_id.in_(list(place_ids)), FieldProvenance.source == MANUAL
        )
    ):
        found.setdefault(place_id, set()).add(name)
    return found


async def release(session: AsyncSession, place_id: str, name: str) -> set[str]:
    """Lifts the lock on this field and its group; the fields that were locked (none: it was not manual)."""
    fields = set(group(name))
    locked = set(
        await session.scalars(
            select(FieldProvenance.field).where(
                FieldProvenance.place_id == place_id,
                FieldProvenance.source == MANUAL,
                FieldProvenance.field.in_(fields),
            )
        )
    )
    if locked:
        await session.execute(
            delete(FieldProvenance).where(
                FieldProvenance.place_id == place_id,
                FieldProvenance.source == MANUAL,
                FieldProvenance.field.in_(locked),
            )
        )
    return locked
