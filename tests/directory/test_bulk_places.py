"""Creating many places in one call (what the synchronisation does): the same places, tags, opening intervals
and audit entries as creating them one by one, and nothing stored when one of them is invalid."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place, PlaceChange, PlaceOpening, PlaceTag
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import COPY_FROM_ROWS, create_place, create_places, record
from fne_kernel.errors import InvalidInput
from fne_kernel.identity import Principal
from tests.directory.factories import place_payload

ACTOR = Principal(kind="sync", subject="sync:essai", name="Synchronisation essai")
VARIANTS = [
    {},
    {"nom": "Espace numérique d'Aix", "code_postal": "73100", "code_insee": None, "commune": "Aix-les-Bains",
     "latitude": 45.6884, "longitude": 5.9153, "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off"},
    {"nom": "Point numérique sans position", "latitude": None, "longitude": None, "horaires": None},
    {"nom": "France Services d'Albertville", "code_postal": "73200", "code_insee": "73011", "pivot": None,
     "horaires": "Tu-Sa 10:00-18:00; PH off", "telephone": None},
    {"nom": "Médiathèque du Biollay", "adresse": "Place du Forum", "horaires": "We 14:00-17:00; Sa 10:00-12:00"},
    {"nom": "Tiers-lieu du centre", "services": ["Aide aux démarches administratives"],
     "horaires": "Mo-Su 08:00-20:00"},
]


async def written(session: AsyncSession, place: Place) -> dict[str, object]:
    """What the directory holds about a place, without what differs between two creations (ids, times)."""
    tags = set(await session.execute(select(PlaceTag.field, PlaceTag.value).where(PlaceTag.place_id == place.id)))
    # Intervals cut by the materialised window carry the creation's seconds: they differ between two creations.
    openings = {(opens, closes) for opens, closes in await session.execute(
        select(PlaceOpening.opens_at, PlaceOpening.closes_at).where(PlaceOpening.place_id == place.id))
        if opens.second == closes.second == opens.microsecond == closes.microsecond == 0}
    changes = [(change.action, change.version, change.actor_id, change.changes) for change in await session.scalars(
        select(PlaceChange).where(PlaceChange.place_id == place.id))]
    return {**record(place), "epci_code": place.epci_code, "departement_code": place.departement_code,
            "search_text": place.search_text, "status": place.status, "version": place.version,
            "has_openings_until": place.openings_until is not None, "tags": tags, "openings": openings,
            "changes": changes}


async def test_many_places_at_once_are_written_as_one_by_one(db: AsyncSession, communes):  # type: ignore[no-untyped-def]
    inputs = [PlaceInput.model_validate(place_payload(**variant)) for variant in VARIANTS]
    together = await create_places(db, inputs, ACTOR)
    one_by_one = [await create_place(db, data, ACTOR) for data in inputs]

    assert [place.nom for place in together] == [data.nom for data in inputs]  # in the order given
    # Enough rows for the bulk path (COPY on PostgreSQL) where one by one inserts them.
    assert await db.scalar(select(func.count()).select_from(PlaceTag).where(
        PlaceTag.place_id.in_([place.id for place in together]))) >= COPY_FROM_ROWS
    for bulk, single in zip(together, one_by_one, strict=True):
        assert await written(db, bulk) == await written(db, single)
    aix, without_position = together[1], together[2]
    assert (aix.code_insee, aix.commune, aix.geo_precision) == ("73008", "Aix-les-Bains", "exacte")
    assert without_position.geo_precision == "commune" and without_position.openings_until is None
    assert (await written(db, aix))["openings"]  # its timetable, evaluated once for the batch, is materialised
    [change] = (await written(db, together[0]))["changes"]
    assert change[:3] == ("create", 1, "sync:essai") and change[3]["nom"] == [None, inputs[0].nom]


async def test_one_invalid_place_stores_none_of_them(db: AsyncSession, communes):  # type: ignore[no-untyped-def]
    inputs = [PlaceInput.model_validate(place_payload(**variant)) for variant in VARIANTS]
    inputs.insert(3, PlaceInput.model_validate(place_payload(nom="Ailleurs", code_insee="73999")))
    with pytest.raises(InvalidInput) as raised:
        await create_places(db, inputs, ACTOR)
    assert raised.value.extensions["errors"][0]["field"] == "code_insee"
    for model in (Place, PlaceTag, PlaceOpening, PlaceChange):
        assert await db.scalar(select(func.count()).select_from(model)) == 0
