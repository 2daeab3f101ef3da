"""Creating many places in one call (what the synchronisation does): the same places, tags, opening intervals
and audit entries as creating them one by one, and nothing stored when one of them is invalid."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places import filter_keys
from fne_directory.places.models import Place, PlaceChange
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import COPY_FROM_ROWS, create_place, create_places, record
from fne_kernel.errors import InvalidInput
from fne_kernel.identity import Principal
from tests.directory.factories import place_payload

ACTOR = Principal(kind="sync", subject="sync:essai", name="Synchronisation essai")
VARIANTS = [
    {},
    {
        "nom": "Espace numérique d'Aix",
        "code_postal": "73100",
        "code_insee": None,
        "commune": "Aix-les-Bains",
        "latitude": 45.6884,
        "longitude": 5.9153,
        "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    },
    {"nom": "Point numérique sans position", "latitude": None, "longitude": None, "horaires": None},
    {
        "nom": "France Services d'Albertville",
        "code_postal": "73200",
        "code_insee": "73011",
        "pivot": None,
        "horaires": "Tu-Sa 10:00-18:00; PH off",
        "telephone": None,
    },
    {
        "nom": "Médiathèque du Biollay",
        "adresse": "Place du Forum",
        "horaires": "We 14:00-17:00; Sa 10:00-12:00",
    },
    {
        "nom": "Tiers-lieu du centre",
        "services": ["Aide aux démarches administratives"],
        "horaires": "Mo-Su 08:00-20:00",
    },
]


async def written(session: AsyncSession, place: Place) -> dict[str, object]:
    """What the directory holds about a place, without what differs between two creations (ids, times)."""
    stored_keys, stored_openings = (
        await session.execute(select(Place.filter_keys, Place.openings).where(Place.id == place.id))
    ).one()
    # Opening slots come from the intervals, which may differ by the creation's hour: compared through them.
    keys = {key for key in stored_keys if filter_keys.parse(key)[0] != filter_keys.OPEN_SLOT_FIELD}
    # Intervals cut by the materialised window carry the creation's seconds: they differ between two
    # creations.
    openings = {
        (opens, closes)
        for opens, closes in stored_openings
        if opens.second == closes.second == opens.microsecond == closes.microsecond == 0
    }
    changes = [
        (change.action, change.version, change.actor_id, change.changes)
        for change in await session.scalars(select(PlaceChange).where(PlaceChange.place_id == place.id))
    ]
    return {
        **record(place),
        "epci_code": place.epci_code,
        "departement_code": place.departement_code,
        "search_text": place.search_text,
        "status": place.status,
        "version": place.version,
        "has_openings_until": place.openings_until is not None,
        "filter_keys": keys,
        "openings": openings,
        "changes": changes,
    }


async def test_many_places_at_once_are_written_as_one_by_one(db: AsyncSession, communes):
    inputs = [PlaceInput.model_validate(place_payload(**variant)) for variant in VARIANTS]
    # Enough places for the bulk path (COPY on PostgreSQL) where one by one inserts them.
    copies = -(-COPY_FROM_ROWS // len(inputs))
    together = await create_places(db, inputs * copies, ACTOR)
    one_by_one = [await create_place(db, data, ACTOR) for data in inputs]

    assert [place.nom for place in together] == [data.nom for data in inputs * copies]  # in the order given
    for bulk, single in zip(together[: len(inputs)], one_by_one, strict=True):
        assert await written(db, bulk) == await written(db, single)
    aix, without_position = together[1], together[2]
    assert (aix.code_insee, aix.commune, aix.geo_precision) == ("73008", "Aix-les-Bains", "exacte")
    assert without_position.geo_precision == "commune" and without_position.openings_until is None
    assert (await written(db, aix))[
        "openings"
    ]  # its timetable, evaluated once for the batch, is materialised
    [change] = (await written(db, together[0]))["changes"]
    assert change[:3] == ("create", 1, "sync:essai") and change[3]["nom"] == [None, inputs[0].nom]


async def test_one_invalid_place_stores_none_of_them(db: AsyncSession, communes):
    inputs = [PlaceInput.model_validate(place_payload(**variant)) for variant in VARIANTS]
    inputs.insert(3, PlaceInput.model_validate(place_payload(nom="Ailleurs", code_insee="73999")))
    with pytest.raises(InvalidInput) as raised:
        await create_places(db, inputs, ACTOR)
    assert raised.value.extensions["errors"][0]["field"] == "code_insee"
    for model in (Place, PlaceChange):
        assert await db.scalar(select(func.count()).select_from(model)) == 0
