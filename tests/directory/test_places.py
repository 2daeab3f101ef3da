from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_kernel.identity import Principal, Role
from tests.directory.factories import place_payload
from tests.support import identity_header, user_principal

PROBLEM = "application/problem+json"


def editor(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


async def create(directory: AsyncClient, headers: dict[str, str], **overrides) -> dict:
    response = await directory.post("/lieux", json=place_payload(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json() | {"etag": response.headers["etag"]}


async def test_a_coordinator_creates_a_place_with_its_territory_derived(
    directory: AsyncClient, identity_keys, communes
):
    response = await directory.post("/lieux", json=place_payload(), headers=editor(identity_keys))
    assert response.status_code == 201
    place = response.json()
    assert response.headers["location"] == f"/lieux/{place['id']}"
    assert response.headers["etag"] == f'"{place["id"]}.1"'
    assert place["commune"] == "Chambéry" and place["departement_code"] == "73"
    assert place["epci_code"] == "200069110"  # Grand Chambéry
    assert place["telephone"] == "+33479600404"  # the usual French writing, stored in the standard's form
    assert place["geo_precision"] == "exacte" and place["status"] == "active"
    assert place["quality"]["freshness"] == "a_jour"
    assert place["quality"] == {"score": 1.0, "missing": [], "freshness": "a_jour"}
    read = await directory.get(f"/lieux/{place['id']}")
    assert read.status_code == 200 and read.headers["etag"] == response.headers["etag"]


async def test_writes_need_the_directory_write_scope(directory: AsyncClient, identity_keys, communes):
    anonymous = await directory.post("/lieux", json=place_payload())
    mediator = await directory.post(
        "/lieux",
        json=place_payload(),
        headers=identity_header(identity_keys[0], user_principal(Role.MEDIATOR)),
    )
    partner = await directory.post(
        "/lieux",
        json=place_payload(),
        headers=identity_header(
            identity_keys[0],
            Principal(kind="api_key", subject="k1", name="DORA", scopes=frozenset({"directory:write"})),
        ),
    )
    assert (anonymous.status_code, mediator.status_code, partner.status_code) == (401, 403, 201)


async def test_every_invalid_field_is_reported_in_one_problem_and_nothing_is_stored(
    directory: AsyncClient, identity_keys, communes, db: AsyncSession
):
    response = await directory.post(
        "/lieux",
        headers=editor(identity_keys),
        json=place_payload(
            pivot="12345678901234",
            services=["Maîtrise des outils numériques du quotidien", "Cuisine"],
            telephone="téléphonez-nous",
            presentation_resume="x" * 281,
            horaires="Lundi 9h-12h",
            code_postal="7300",
            courriels=["pas-une-adresse"],
            frais_a_charge="Gratuit|Cher",
            latitude=40.7,
            longitude=-74.0,
            inconnu="?",
        ),
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    errors = {error["field"]: error for error in response.json()["errors"]}
    assert set(errors) == {
        "pivot",
        "services.1",
        "telephone",
        "presentation_resume",
        "horaires",
        "code_postal",
        "courriels.0",
        "frais_a_charge.1",
        "inconnu",
        "longitude",
    }
    assert "Aide aux démarches administratives" in errors["services.1"]["allowed"]
    assert "clé de contrôle" in errors["pivot"]["reason"]
    assert (
        "horaires non compris" in errors["horaires"]["reason"] and "-->" not in errors["horaires"]["reason"]
    )
    assert "hors de France" in errors["longitude"]["reason"]
    assert await db.scalar(select(func.count()).select_from(Place)) == 0


async def test_postal_code_must_match_the_commune(directory: AsyncClient, identity_keys, communes):
    response = await directory.post(
        "/lieux", headers=editor(identity_keys), json=place_payload(code_postal="73100")
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "code_postal" and error["allowed"] == ["73000"]
    unknown = await directory.post(
        "/lieux", headers=editor(identity_keys), json=place_payload(code_insee="73999")
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "code_insee"


async def test_a_shared_postal_code_is_resolved_by_the_commune_name(
    directory: AsyncClient, identity_keys, communes
):
    ambiguous = place_payload(code_postal="73100", code_insee=None, commune=None)
    response = await directory.post("/lieux", headers=editor(identity_keys), json=ambiguous)
    assert response.status_code == 422
    assert "73008" in response.json()["errors"][0]["allowed"]
    named = await directory.post(
        "/lieux", headers=editor(identity_keys), json=ambiguous | {"commune": "AIX LES BAINS"}
    )
    assert named.status_code == 201 and named.json()["code_insee"] == "73008"
    assert named.json()["commune"] == "Aix-les-Bains"


async def test_without_coordinates_the_commune_point_is_used_and_flagged(
    directory: AsyncClient, identity_keys, communes
):
    place = await create(directory, editor(identity_keys), latitude=None, longitude=None)
    assert place["geo_precision"] == "commune"
    assert 45.4 < place["latitude"] < 45.7 and 5.8 < place["longitude"] < 6.0
    assert "localisation_precise" in place["quality"]["missing"]


async def test_updates_need_the_etag_and_are_audited(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    place = await create(directory, headers)
    url = f"/lieux/{place['id']}"

    missing = await directory.patch(url, json={"nom": "Médiathèque JJR"}, headers=headers)
    assert missing.status_code == 428
    changed = await directory.patch(
        url, json={"nom": "Médiathèque JJR", "telephone": None}, headers=headers | {"if-match": place["etag"]}
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert changed.json()["telephone"] is None
    stale = await directory.patch(
        url, json={"nom": "Autre nom"}, headers=headers | {"if-match": place["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == changed.headers["etag"]
    assert (await directory.get(url)).json()["nom"] == "Médiathèque JJR"

    history = (await directory.get(f"{url}/historique", headers=headers)).json()
    assert [entry["action"] for entry in history] == ["create", "update"]
    assert history[1]["changes"] == {
        "nom": ["Médiathèque Jean-Jacques Rousseau", "Médiathèque JJR"],
        "telephone": ["+33479600404", None],
    }
    assert history[1]["actor_name"] == "Camille"
    assert (await directory.get(f"{url}/historique")).status_code == 401


async def test_a_failed_update_changes_nothing(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    place = await create(directory, headers)
    url = f"/lieux/{place['id']}"
    response = await directory.patch(
        url,
        json={"nom": "Nouveau nom", "services": ["Jardinage"]},
        headers=headers | {"if-match": place["etag"]},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "services.0"
    after = (await directory.get(url)).json()
    assert after["nom"] == place["nom"] and after["version"] == 1


async def test_withdrawal_keeps_the_record_and_leaves_search(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    place = await create(directory, headers)
    url = f"/lieux/{place['id']}"
    withdrawn = await directory.delete(url, headers=headers | {"if-match": place["etag"]})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await directory.get(url)).json()["status"] == "withdrawn"
    assert (await directory.get("/lieux", params={"q": "rousseau"})).json()["total"] == 0
    restored = await directory.post(
        f"{url}/restauration", headers=headers | {"if-match": withdrawn.headers["etag"]}
    )
    assert restored.json()["status"] == "active"
    assert (await directory.get("/lieux", params={"q": "rousseau"})).json()["total"] == 1


async def test_hours_give_the_state_and_the_next_opening(directory: AsyncClient, identity_keys, communes):
    place = await create(directory, editor(identity_keys), horaires="24/7")
    assert place["hours"]["open_now"] is True
    closed = await create(directory, editor(identity_keys), nom="Fermé", horaires="off")
    assert closed["hours"]["open_now"] is False and closed["hours"]["next_opening"] is None
    unknown_date = await directory.get("/lieux", params={"ouvert_a": "2026-12-01T10:00:00"})
    assert unknown_date.status_code == 422  # no time zone: ambiguous


async def test_opening_intervals_are_extended_before_they_run_out(
    directory: AsyncClient, identity_keys, communes, directory_app
):
    from fne_directory.places.maintenance import refresh_all_due

    await create(directory, editor(identity_keys), horaires="Mo-Su 00:00-24:00")
    in_ten_days = datetime.now(UTC) + timedelta(days=10)
    assert await refresh_all_due(directory_app.state.sessions) == 0  # fresh: nothing to do yet
    # Ten days later, the intervals must be extended for "open at" to still answer two weeks ahead.
    assert await refresh_all_due(directory_app.state.sessions, now=in_ten_days) == 1
    async with directory_app.state.sessions() as session:
        until = await session.scalar(select(Place.openings_until))
    assert until > in_ten_days + timedelta(days=13)
