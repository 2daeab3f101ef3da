from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from icalendar import Calendar

from tests.network.versions import read_for_change

CHAMBERY, AIX = "73065", "73008"
SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)


def event(**overrides):
    body = {
        "titre": "Café numérique : vos démarches en ligne",
        "description": "Venez avec vos questions.",
        "type": "cafe_numerique",
        "debut": SOON.isoformat(),
        "fin": (SOON + timedelta(hours=2)).isoformat(),
        "commune": CHAMBERY,
        "adresse": "12 rue de la République",
        "lieu_nom": "Médiathèque Jean-Jacques Rousseau",
        "public": "Tout public",
        "lien_inscription": "https://inscription.example.org/cafe",
        "organisateur": "Mednum73",
    }
    body.update(overrides)
    return body


async def test_the_public_agenda_filters_by_commune_type_and_dates(network: AsyncClient, coordinator) -> None:
    cafe = await network.post("/evenements", json=event(), headers=coordinator)
    assert cafe.status_code == 201, cafe.text
    assert cafe.json()["url"] == f"https://inclusion.example.org/agenda/{cafe.json()['id']}"
    later = SOON + timedelta(days=30)
    await network.post(
        "/evenements",
        json=event(
            titre="Forum de l'inclusion",
            type="forum",
            commune=AIX,
            debut=later.isoformat(),
            fin=(later + timedelta(hours=6)).isoformat(),
            gratuit=False,
            tarif="5 €",
        ),
        headers=coordinator,
    )
    await network.post("/evenements", json=event(titre="Brouillon", publie=False), headers=coordinator)
    past = SOON - timedelta(days=30)
    await network.post(
        "/evenements",
        json=event(titre="Passé", debut=past.isoformat(), fin=(past + timedelta(hours=1)).isoformat()),
        headers=coordinator,
    )

    agenda = (await network.get("/evenements")).json()  # anonymous: published, from today
    assert [item["titre"] for item in agenda["items"]] == [
        "Café numérique : vos démarches en ligne",
        "Forum de l'inclusion",
    ]
    assert (
        agenda["items"][0]["commune_nom"] == "Chambéry"
        and agenda["items"][0]["type_libelle"] == "Café numérique"
    )
    assert (await network.get("/evenements", params={"commune": AIX})).json()["total"] == 1
    assert (await network.get("/evenements", params=[("type", "forum"), ("type", "atelier")])).json()[
        "total"
    ] == 1
    first_day = SOON.date().isoformat()
    assert (await network.get("/evenements", params={"du": first_day, "au": first_day})).json()["total"] == 1
    assert (await network.get("/evenements", params={"q": "forum"})).json()["total"] == 1
    everything = await network.get("/evenements", params={"du": "2000-01-01", "brouillons": "true"})
    assert everything.json()["total"] == 3  # a resident asking for drafts does not get them
    managed = await network.get(
        "/evenements", params={"du": "2000-01-01", "brouillons": "true"}, headers=coordinator
    )
    assert managed.json()["total"] == 4
    draft = next(item for item in managed.json()["items"] if item["titre"] == "Brouillon")
    assert (await network.get(f"/evenements/{draft['id']}")).status_code == 404
    assert (await network.get(f"/evenements/{draft['id']}", headers=coordinator)).status_code == 200


async def test_icalendar_feed_whole_and_per_commune(network: AsyncClient, coordinator) -> None:
    created = (await network.post("/evenements", json=event(), headers=coordinator)).json()
    await network.post("/evenements", json=event(titre="À Aix", commune=AIX), headers=coordinator)
    feed = await network.get("/evenements.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(feed.content)
    assert parsed["VERSION"] == "2.0" and "PRODID" in parsed
    items = list(parsed.walk("VEVENT"))
    assert len(items) == 2
    chambery = next(item for item in items if str(item["SUMMARY"]).startswith("Café"))
    assert str(chambery["UID"]) == f"{created['id']}@fne-savoie"
    assert chambery.decoded("DTSTART") == SOON
    assert "Chambéry" in str(chambery["LOCATION"]) and str(chambery["STATUS"]) == "CONFIRMED"
    assert str(chambery["URL"]) == f"https://inclusion.example.org/agenda/{created['id']}"

    only_aix = Calendar.from_ical((await network.get("/evenements.ics", params={"commune": AIX})).content)
    assert [str(item["SUMMARY"]) for item in only_aix.walk("VEVENT")] == ["À Aix"]
    assert "Aix-les-Bains" in str(only_aix["X-WR-CALNAME"])

    cancelled = await network.patch(
        f"/evenements/{created['id']}",
        json={"annule": True},
        headers=await read_for_change(network, f"/evenements/{created['id']}", coordinator),
    )
    assert cancelled.json()["annule"] is True
    single = Calendar.from_ical((await network.get(f"/evenements/{created['id']}/ics")).content)
    [again] = single.walk("VEVENT")
    assert str(again["STATUS"]) == "CANCELLED" and int(str(again["SEQUENCE"])) == 1


async def test_json_ld_is_a_schema_org_event(network: AsyncClient, coordinator) -> None:
    created = (await network.post("/evenements", json=event(), headers=coordinator)).json()
    answer = await network.get(f"/evenements/{created['id']}/jsonld")
    assert answer.headers["content-type"] == "application/ld+json"
    document = answer.json()
    assert document["@context"] == "https://schema.org" and document["@type"] == "Event"
    assert document["name"] == created["titre"]
    assert document["startDate"].endswith(("+01:00", "+02:00"))
    assert document["location"]["address"]["addressLocality"] == "Chambéry"
    assert document["location"]["address"]["streetAddress"] == "12 rue de la République"
    assert document["offers"]["price"] == "0" and document["isAccessibleForFree"] is True
    assert document["offers"]["url"] == "https://inscription.example.org/cafe"
    assert document["eventStatus"] == "https://schema.org/EventScheduled"


async def test_participants_are_counted_after_the_event_only(network: AsyncClient, coordinator) -> None:
    coming = (await network.post("/evenements", json=event(), headers=coordinator)).json()
    early = await network.put(
        f"/evenements/{coming['id']}/bilan",
        json={"participants": 12, "partenaires": 3},
        headers=await read_for_change(network, f"/evenements/{coming['id']}", coordinator),
    )
    assert early.status_code == 409 and early.json()["code"] == "event-not-held"
    past = SOON - timedelta(days=10)
    held = (
        await network.post(
            "/evenements",
            json=event(debut=past.isoformat(), fin=(past + timedelta(hours=2)).isoformat()),
            headers=coordinator,
        )
    ).json()
    for bad in ({"participants": -1, "partenaires": 0}, {"participants": 3}):
        assert (
            await network.put(
                f"/evenements/{held['id']}/bilan",
                json=bad,
                headers=await read_for_change(network, f"/evenements/{held['id']}", coordinator),
            )
        ).status_code == 422
    counted = await network.put(
        f"/evenements/{held['id']}/bilan",
        json={"participants": 12, "partenaires": 3},
        headers=await read_for_change(network, f"/evenements/{held['id']}", coordinator),
    )
    assert (counted.json()["participants"], counted.json()["partenaires"]) == (12, 3)


async def test_bad_events_are_refused_and_only_managers_write(
    network: AsyncClient, coordinator, mediator
) -> None:
    for body in (
        event(adresse=None),  # neither address nor place
        event(type="concert"),
        event(fin=SOON.isoformat()),
        event(commune="73999"),
        event(tarif="5 €"),  # free yet priced
        event(lien_inscription="javascript:alert(1)"),
        event(titre=""),
    ):
        refused = await network.post("/evenements", json=body, headers=coordinator)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    assert (await network.get("/evenements", params={"du": "2000-01-01"}, headers=coordinator)).json()[
        "total"
    ] == 0
    assert (await network.post("/evenements", json=event())).status_code == 401
    assert (await network.post("/evenements", json=event(), headers=mediator)).status_code == 403
    created = (await network.post("/evenements", json=event(), headers=coordinator)).json()
    emptied = await network.patch(
        f"/evenements/{created['id']}",
        json={"adresse": None, "gratuit": False},
        headers=await read_for_change(network, f"/evenements/{created['id']}", coordinator),
    )
    assert emptied.status_code == 422
    kept = (await network.get(f"/evenements/{created['id']}")).json()
    assert kept["adresse"] == "12 rue de la République" and kept["gratuit"] is True
    assert (await network.get("/evenements", params={"commune": "nowhere"})).status_code == 422
    assert (await network.get("/evenements/inconnu")).status_code == 404
