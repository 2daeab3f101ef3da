from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.network.versions import read_for_change

CHAMBERY = "73065"


def training(**overrides):
    body = {
        "titre": "Devenir aidant numérique",
        "public": "secretaires_mairie",
        "programme": "aidants_connect",
        "debut": "2026-03-10T09:00:00+01:00",
        "fin": "2026-03-10T17:00:00+01:00",
        "commune": CHAMBERY,
        "lieu_nom": "Maison des associations",
        "capacite": 2,
    }
    body.update(overrides)
    return body


async def test_a_session_with_registrations_attendance_and_completion(
    network: AsyncClient, coordinator
) -> None:
    created = await network.post("/formations", json=training(), headers=coordinator)
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["commune_nom"] == "Chambéry" and session["debut"] == "2026-03-10T08:00:00Z"
    person = (
        await network.post(
            "/personnes",
            json={
                "prenom": "Anne",
                "nom": "Roux",
                "role": "aidant",
                "employeurs": [{"nom": "Mairie de Cognin"}],
            },
            headers=coordinator,
        )
    ).json()
    url = f"/formations/{session['id']}/inscriptions"
    first = await network.post(url, json={"personne_id": person["id"]}, headers=coordinator)
    assert first.status_code == 201, first.text
    assert first.json()["nom"] == "Anne Roux" and first.json()["structure"] == "Mairie de Cognin"
    twice = await network.post(url, json={"personne_id": person["id"]}, headers=coordinator)
    assert twice.status_code == 409 and twice.json()["code"] == "already-registered"
    second = await network.post(
        url,
        json={"nom_participant": "Paul Durand", "structure_participant": "Mairie de Barby"},
        headers=coordinator,
    )
    assert second.status_code == 201
    full = await network.post(url, json={"nom_participant": "Zoé Petit"}, headers=coordinator)
    assert full.status_code == 409 and full.json()["code"] == "training-full"

    attended = await network.patch(
        f"{url}/{first.json()['id']}", json={"presence": True, "achevement": True}, headers=coordinator
    )
    assert attended.status_code == 200 and attended.json()["achevement"] is True
    absent = await network.patch(
        f"{url}/{second.json()['id']}", json={"presence": False}, headers=coordinator
    )
    assert absent.json()["presence"] is False and absent.json()["achevement"] is False
    refused = await network.patch(
        f"{url}/{second.json()['id']}", json={"achevement": True}, headers=coordinator
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "achevement"

    counted = (await network.get(f"/formations/{session['id']}", headers=coordinator)).json()
    assert (counted["inscrits"], counted["presents"], counted["formes"]) == (2, 1, 1)
    smaller = await network.patch(
        f"/formations/{session['id']}",
        json={"capacite": 1},
        headers=await read_for_change(network, f"/formations/{session['id']}", coordinator),
    )
    assert smaller.status_code == 409

    summary = (await network.get("/formations/bilan", params={"annee": 2026}, headers=coordinator)).json()
    assert summary["lignes"] == [
        {
            "commune": CHAMBERY,
            "commune_nom": "Chambéry",
            "programme": "aidants_connect",
            "public": "secretaires_mairie",
            "sessions": 1,
            "personnes_formees": 1,
        }
    ]
    assert (await network.get("/formations/bilan", params={"annee": 2025}, headers=coordinator)).json()[
        "total_sessions"
    ] == 0
    listed = await network.get(
        "/formations", params={"du": "2026-03-10", "au": "2026-03-10"}, headers=coordinator
    )
    assert listed.json()["total"] == 1
    assert (await network.get("/formations", params={"du": "2026-03-11"}, headers=coordinator)).json()[
        "total"
    ] == 0


async def test_attendance_waits_for_the_session_and_cancelled_sessions_take_nobody(
    network: AsyncClient, coordinator
) -> None:
    start = datetime.now(UTC) + timedelta(days=7)
    future = (
        await network.post(
            "/formations",
            json=training(
                debut=start.isoformat(), fin=(start + timedelta(hours=3)).isoformat(), capacite=None
            ),
            headers=coordinator,
        )
    ).json()
    url = f"/formations/{future['id']}/inscriptions"
    early = await network.post(url, json={"nom_participant": "Paul", "presence": True}, headers=coordinator)
    assert early.status_code == 422
    assert (await network.get(url, headers=coordinator)).json() == []
    cancelled = await network.patch(
        f"/formations/{future['id']}",
        json={"annulee": True},
        headers=await read_for_change(network, f"/formations/{future['id']}", coordinator),
    )
    assert cancelled.json()["annulee"] is True
    refused = await network.post(url, json={"nom_participant": "Paul"}, headers=coordinator)
    assert refused.status_code == 409 and refused.json()["code"] == "training-cancelled"


async def test_bad_trainings_and_registrations_are_refused(network: AsyncClient, coordinator) -> None:
    for body in (
        training(fin="2026-03-10T08:00:00+01:00"),
        training(debut="2026-03-10T09:00:00"),  # no time zone
        training(public="elus"),
        training(capacite=0),
        training(commune="99999"),
    ):
        refused = await network.post("/formations", json=body, headers=coordinator)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    assert (await network.get("/formations", params={"du": "2000-01-01"}, headers=coordinator)).json()[
        "total"
    ] == 0
    session = (await network.post("/formations", json=training(), headers=coordinator)).json()
    url = f"/formations/{session['id']}/inscriptions"
    for body in ({}, {"personne_id": "x", "nom_participant": "Paul"}, {"personne_id": "inconnue"}):
        assert (await network.post(url, json=body, headers=coordinator)).status_code == 422, body
    assert (await network.get(url, headers=coordinator)).json() == []
    moved = await network.patch(
        f"/formations/{session['id']}",
        json={"fin": "2026-03-09T17:00:00+01:00"},
        headers=await read_for_change(network, f"/formations/{session['id']}", coordinator),
    )
    assert moved.status_code == 422
    assert (await network.get(f"/formations/{session['id']}", headers=coordinator)).json()["fin"] == (
        "2026-03-10T16:00:00Z"
    )
    assert (await network.get("/formations/inconnue/inscriptions", headers=coordinator)).status_code == 404
    assert (await network.get("/formations")).status_code == 401


async def test_concurrent_registrations_never_overfill_a_session(
    databases, identity_keys, coordinator
) -> None:
    from fne_network.config import Settings
    from fne_network.main import create_app
    from tests.support import all_at_once, asgi_client, migrated_fresh

    url = await migrated_fresh(databases, "fne_network", "network_writers")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    try:
        async with asgi_client(app, "http://network") as client:
            created = await client.post("/formations", json=training(capacite=3), headers=coordinator)
            person = await client.post(
                "/personnes", json={"prenom": "Anne", "nom": "Roux", "role": "aidant"}, headers=coordinator
            )
        url_of = f"/formations/{created.json()['id']}/inscriptions"
        requests = [
            ("POST", url_of, {"headers": coordinator, "json": {"nom_participant": f"P{n}"}}) for n in range(6)
        ]
        requests += [
            ("POST", url_of, {"headers": coordinator, "json": {"personne_id": person.json()["id"]}})
            for _ in range(2)
        ]
        statuses = await all_at_once(app, "http://network", requests)
        assert sorted(statuses) == [201, 201, 201, 409, 409, 409, 409, 409], statuses
        async with asgi_client(app, "http://network") as client:
            registered = await client.get(url_of, headers=coordinator)
        assert len(registered.json()) == 3
    finally:
        await app.state.engine.dispose()
