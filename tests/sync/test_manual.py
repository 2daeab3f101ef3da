"""A person's edit of a field a source provides: kept by syncs, reported against the source, released on
demand."""

from httpx import AsyncClient
from sqlalchemy import select

from fne_directory.places.models import Place, PlaceChange
from fne_directory.places.schemas import PlaceInput
from tests.sync.fakes import FakeSource, di_structure
from tests.sync.test_data_inclusion import catalogue

MEDIATHEQUE = "Médiathèque Jean-Jacques Rousseau"


async def synced_mediatheque(sync, fake_data_inclusion: FakeSource, db) -> Place:
    catalogue(fake_data_inclusion)
    await sync("data-inclusion")
    return await db.scalar(select(Place).where(Place.nom == MEDIATHEQUE))


async def edit(
    client: AsyncClient, headers: dict[str, str], place_id: str, method: str = "patch", **changes: object
) -> dict[str, object]:
    current = await client.get(f"/lieux/{place_id}")
    body = (
        changes
        if method == "patch"
        else {
            **{name: value for name, value in current.json().items() if name in PlaceInput.model_fields},
            **changes,
        }
    )
    response = await client.request(
        method, f"/lieux/{place_id}", json=body, headers=headers | {"if-match": current.headers["etag"]}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def provenance(
    client: AsyncClient, headers: dict[str, str], place_id: str
) -> dict[str, dict[str, object]]:
    response = await client.get(f"/sync/lieux/{place_id}/provenance", headers=headers)
    return {entry["field"]: entry for entry in response.json()["fields"]}


def source_changes(fake_data_inclusion: FakeSource) -> None:
    """The source publishes a newer version: another phone, other hours."""
    fake_data_inclusion.records["structures"][0] = di_structure(
        "dora--mediatheque",
        telephone="04 79 60 04 99",
        horaires_accueil="Tu-Fr 10:00-18:00",
        date_maj="2026-11-20",
    )


async def test_an_edited_field_survives_a_sync_and_the_report_shows_the_source_value(
    sync, fake_data_inclusion: FakeSource, db, client, coordinator
):
    place = await synced_mediatheque(sync, fake_data_inclusion, db)
    await edit(client, coordinator, place.id, telephone="04 79 11 22 33")
    fields = await provenance(client, coordinator, place.id)
    assert fields["telephone"]["source"] == fields["telephone"]["rule"] == "manual"
    assert fields["telephone"]["edited_by"] == "Camille" and fields["telephone"]["record_id"] is None
    assert fields["nom"]["source"] == "data-inclusion"  # only the changed field is locked

    source_changes(fake_data_inclusion)
    job = await sync("data-inclusion")
    assert job.counts["updated"] == 1
    await db.refresh(place)
    assert place.telephone == "+33479112233"  # the person's value
    assert place.horaires == "Tu-Fr 10:00-18:00"  # the source still gives the fields nobody edited
    assert (await provenance(client, coordinator, place.id))["telephone"]["source"] == "manual"

    # The audit trail: the edit is Camille's; the sync changed the hours and never the phone.
    changes = list(
        await db.scalars(
            select(PlaceChange).where(PlaceChange.place_id == place.id).order_by(PlaceChange.version)
        )
    )
    edit_change = next(
        change for change in changes if change.action == "update" and "telephone" in change.changes
    )
    assert (edit_change.actor_kind, edit_change.actor_name) == ("user", "Camille")
    assert edit_change.changes["telephone"] == ["+33479600404", "+33479112233"]
    assert [change.actor_kind for change in changes if "horaires" in change.changes][-1] == "sync"
    assert all(
        "telephone" not in change.changes
        for change in changes
        if change.actor_kind == "sync" and change.action == "update"
    )

    report = (await client.get("/sync/rapprochement", headers=coordinator)).json()
    entry = next(entry for entry in report["items"] if entry["place_id"] == place.id)
    phone = next(difference for difference in entry["differences"] if difference["field"] == "telephone")
    assert phone == {
        "field": "telephone",
        "manual": True,
        "values": {"manual": "+33479112233", "data-inclusion": "+33479600499"},
    }
    csv_report = (await client.get("/sync/rapprochement.csv", headers=coordinator)).text
    assert (
        "saisie manuelle,telephone,data-inclusion,manual = +33479112233 ; data-inclusion = +33479600499"
        in csv_report
    )


async def test_a_released_field_takes_the_source_value_at_once_and_at_later_syncs(
    sync, fake_data_inclusion: FakeSource, db, client, coordinator
):
    place = await synced_mediatheque(sync, fake_data_inclusion, db)
    await edit(client, coordinator, place.id, telephone="04 79 11 22 33")
    source_changes(fake_data_inclusion)
    await sync("data-inclusion")

    released = await client.delete(f"/sync/lieux/{place.id}/manuel/telephone", headers=coordinator)
    assert released.status_code == 200, released.text
    fields = {entry["field"]: entry for entry in released.json()["fields"]}
    assert fields["telephone"]["source"] == "data-inclusion" and fields["telephone"]["edited_by"] is None
    await db.refresh(place)
    assert place.telephone == "+33479600499"
    last = await db.scalar(
        select(PlaceChange)
        .where(PlaceChange.place_id == place.id)
        .order_by(PlaceChange.version.desc())
        .limit(1)
    )
    assert last.actor_name == "Camille" and last.changes["telephone"] == ["+33479112233", "+33479600499"]
    report = (await client.get("/sync/rapprochement", headers=coordinator)).json()
    entry = next(entry for entry in report["items"] if entry["place_id"] == place.id)
    assert not any(difference["field"] == "telephone" for difference in entry["differences"])

    again = await client.delete(f"/sync/lieux/{place.id}/manuel/telephone", headers=coordinator)
    assert again.status_code == 404 and again.json()["code"] == "sync-field-not-manual"

    fake_data_inclusion.records["structures"][0] = di_structure(
        "dora--mediatheque", telephone="04 79 60 04 98", date_maj="2026-11-25"
    )
    await sync("data-inclusion")
    await db.refresh(place)
    assert place.telephone == "+33479600498"


async def test_a_put_locks_what_it_changed_and_an_address_is_locked_and_released_as_a_whole(
    sync, fake_data_inclusion: FakeSource, db, client, coordinator
):
    place = await synced_mediatheque(sync, fake_data_inclusion, db)
    await edit(client, coordinator, place.id, "put", adresse="1 place du Palais de Justice")
    fields = await provenance(client, coordinator, place.id)
    assert {name for name, entry in fields.items() if entry["source"] == "manual"} == {
        "adresse",
        "complement_adresse",
        "code_postal",
        "code_insee",
        "commune",
    }

    fake_data_inclusion.records["structures"][0] = di_structure(
        "dora--mediatheque",
        adresse="Carré Curial, bâtiment B",
        latitude=45.5700,
        longitude=5.9300,
        date_maj="2026-11-20",
    )
    await sync("data-inclusion")
    await db.refresh(place)
    # The address stays the person's, and so does the position (the source's coordinates are of its address).
    assert place.adresse == "1 place du Palais de Justice"
    assert (place.latitude, place.longitude) == (45.5667, 5.9236)

    released = await client.delete(f"/sync/lieux/{place.id}/manuel/code_postal", headers=coordinator)
    assert released.status_code == 200
    assert not any(entry["source"] == "manual" for entry in released.json()["fields"])
    await db.refresh(place)
    assert place.adresse == "Carré Curial, bâtiment B" and (place.latitude, place.longitude) == (45.57, 5.93)


async def test_a_place_its_source_withdraws_is_withdrawn_despite_manual_edits(
    sync, fake_data_inclusion: FakeSource, db, client, coordinator
):
    place = await synced_mediatheque(sync, fake_data_inclusion, db)
    await edit(client, coordinator, place.id, telephone="04 79 11 22 33")
    fake_data_inclusion.records["structures"].pop(0)
    job = await sync("data-inclusion")
    assert job.counts["places_withdrawn"] == 1
    await db.refresh(place)
    assert place.status == "withdrawn" and place.telephone == "+33479112233"
