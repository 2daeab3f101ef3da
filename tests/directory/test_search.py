from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from fne_directory.places import search as place_search
from fne_directory.places import words
from fne_directory.places.router import ChangeFeed, SearchResults
from fne_directory.places.schemas import PlaceWithPermanencesOut
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import identity_header, user_principal

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
async def places(directory: AsyncClient, identity_keys, communes) -> dict[str, dict]:
    """Four places around Chambéry and one in Aix-les-Bains, with different offers."""
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    specs = {
        "mediatheque": place_payload(),
        "france_services": place_payload(
            nom="France Services de Chambéry-le-Haut",
            adresse="Place du Forum",
            pivot=None,
            latitude=45.5860,
            longitude=5.9320,
            horaires="Mo-Fr 08:30-12:00,13:30-17:00; PH off",
            services=["Aide aux démarches administratives"],
            dispositif_programmes_nationaux=["France Services"],
            presentation_resume="Démarches en ligne : impôts, CAF, retraite.",
            frais_a_charge=["Gratuit"],
        ),
        "asso": place_payload(
            nom="Association Cœur de Savoie Numérique",
            adresse="12 rue de la République",
            pivot=None,
            latitude=45.5700,
            longitude=5.9200,
            horaires="We 14:00-17:00",
            services=["Utilisation sécurisée du numérique"],
            dispositif_programmes_nationaux=[],
            publics_specifiquement_adresses=["Jeunes"],
            frais_a_charge=["Payant"],
            typologie=["ASSO"],
            date_maj=(date.today() - timedelta(days=400)).isoformat(),
        ),
        "aix": place_payload(
            nom="Espace numérique d'Aix-les-Bains",
            adresse="Place Carnot",
            code_postal="73100",
            code_insee="73008",
            pivot=None,
            latitude=45.6885,
            longitude=5.9153,
            horaires="Mo-Sa 09:00-19:00",
            dispositif_programmes_nationaux=["Conseillers numériques", "Aidants Connect"],
        ),
    }
    created = {}
    for key, payload in specs.items():
        response = await directory.post("/lieux", json=payload, headers=headers)
        assert response.status_code == 201, response.text
        created[key] = response.json()
    return created


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["nom"] for item in response.json()["items"]]


@pytest.mark.parametrize("text", ["chambery", "CHAMBÉRY", "chamberi", "Chambery-le-haut"])
async def test_text_search_tolerates_accents_case_and_typos(directory: AsyncClient, places, text: str):
    found = names(await directory.get("/lieux", params={"q": text}))
    assert "France Services de Chambéry-le-Haut" in found
    assert "Espace numérique d'Aix-les-Bains" not in found


async def test_text_search_finds_the_words_of_an_edit_and_forgets_the_replaced_ones(
    directory: AsyncClient, places, identity_keys
):
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    asso = places["asso"]
    read = await directory.get(f"/lieux/{asso['id']}")
    edited = await directory.patch(
        f"/lieux/{asso['id']}",
        json={"nom": "Cyberbase des Hauts de Chambéry"},
        headers=headers | {"if-match": read.headers["etag"]},
    )
    assert edited.status_code == 200, edited.text
    assert names(await directory.get("/lieux", params={"q": "cyberbaze"})) == [
        "Cyberbase des Hauts de Chambéry"
    ]
    assert "Cyberbase des Hauts de Chambéry" not in names(
        await directory.get("/lieux", params={"q": "association"})
    )


async def test_text_results_come_closest_match_first(directory: AsyncClient, places):
    # "numeriqe" is close to "numerique" (three places hold it); "espace" is exact in one of them only.
    found = names(await directory.get("/lieux", params={"q": "espace numeriqe"}))
    assert found[0] == "Espace numérique d'Aix-les-Bains"
    ranked = names(
        await directory.get("/lieux", params={"q": "cheambery"})
    )  # a typo: no place holds it as such
    assert ranked and set(ranked) >= {
        "France Services de Chambéry-le-Haut",
        "Association Cœur de Savoie Numérique",
    }


async def test_text_search_matches_descriptions_and_ligatures(directory: AsyncClient, places):
    assert names(await directory.get("/lieux", params={"q": "impots caf"})) == [
        "France Services de Chambéry-le-Haut"
    ]
    assert names(await directory.get("/lieux", params={"q": "coeur de savoie"})) == [
        "Association Cœur de Savoie Numérique"
    ]


async def test_filters_combine_and_facets_count_the_current_selection(directory: AsyncClient, places):
    response = await directory.get(
        "/lieux",
        params={
            "dispositif_programmes_nationaux": ["Conseillers numériques", "France Services"],
            "departement": "73",
            "facettes": "true",
        },
    )
    assert response.json()["total"] == 3
    facets = response.json()["facets"]
    assert facets["dispositif_programmes_nationaux"] == {
        "Conseillers numériques": 2,
        "France Services": 1,
        "Aidants Connect": 1,
    }
    only_aix = await directory.get(
        "/lieux",
        params={"epci": places["aix"]["epci_code"], "dispositif_programmes_nationaux": "Aidants Connect"},
    )
    assert names(only_aix) == ["Espace numérique d'Aix-les-Bains"]
    paying = await directory.get("/lieux", params={"frais_a_charge": "Payant", "code_insee": "73065"})
    assert names(paying) == ["Association Cœur de Savoie Numérique"]
    bad = await directory.get("/lieux", params={"services": "Cuisine"})
    assert (
        bad.status_code == 422 and "Aide aux démarches administratives" in bad.json()["errors"][0]["allowed"]
    )


async def test_freshness_filter(directory: AsyncClient, places):
    assert names(await directory.get("/lieux", params={"fraicheur": "a_verifier"})) == [
        "Association Cœur de Savoie Numérique"
    ]
    assert len(names(await directory.get("/lieux", params={"fraicheur": "a_jour"}))) == 3


async def test_radius_search_is_sorted_by_distance_with_the_distance(directory: AsyncClient, places):
    response = await directory.get("/lieux", params={"lat": 45.5667, "lon": 5.9236, "rayon_km": 5})
    items = response.json()["items"]
    assert [item["nom"] for item in items] == [
        "Médiathèque Jean-Jacques Rousseau",
        "Association Cœur de Savoie Numérique",
        "France Services de Chambéry-le-Haut",
    ]
    assert items[0]["distance_m"] < 10
    assert 440 < items[1]["distance_m"] < 480  # 0.46 km between the two points (haversine)
    assert items == sorted(items, key=lambda item: item["distance_m"])
    wide = await directory.get("/lieux", params={"lat": 45.5667, "lon": 5.9236, "rayon_km": 20})
    assert wide.json()["total"] == 4


async def test_bounding_box_for_maps(directory: AsyncClient, places):
    assert names(await directory.get("/lieux", params={"bbox": "5.85,45.65,5.95,45.72"})) == [
        "Espace numérique d'Aix-les-Bains"
    ]
    assert (await directory.get("/lieux", params={"bbox": "6,45,5,46"})).status_code == 422


async def test_open_at_uses_paris_time_and_public_holidays(directory: AsyncClient, places):
    today = datetime.now(PARIS).date()
    next_monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    monday_ten = datetime.combine(next_monday, datetime.min.time(), PARIS).replace(hour=10)
    open_monday = names(await directory.get("/lieux", params={"ouvert_a": monday_ten.isoformat()}))
    assert sorted(open_monday) == ["Espace numérique d'Aix-les-Bains", "France Services de Chambéry-le-Haut"]
    wednesday_fifteen = monday_ten + timedelta(days=2, hours=5)
    assert "Association Cœur de Savoie Numérique" in names(
        await directory.get("/lieux", params={"ouvert_a": wednesday_fifteen.isoformat()})
    )
    # Within the hour when France Services opens (08:30): its intervals decide, not the hour.
    before_opening = names(
        await directory.get("/lieux", params={"ouvert_a": monday_ten.replace(hour=8, minute=10).isoformat()})
    )
    assert "France Services de Chambéry-le-Haut" not in before_opening
    assert "France Services de Chambéry-le-Haut" in names(
        await directory.get("/lieux", params={"ouvert_a": monday_ten.replace(hour=8, minute=40).isoformat()})
    )
    too_far = await directory.get(
        "/lieux", params={"ouvert_a": (monday_ten + timedelta(days=30)).isoformat()}
    )
    assert too_far.status_code == 422


async def test_pagination_has_a_total_and_a_stable_order(directory: AsyncClient, places):
    first = (await directory.get("/lieux", params={"size": 2, "page": 1})).json()
    second = (await directory.get("/lieux", params={"size": 2, "page": 2})).json()
    assert first["total"] == second["total"] == 4
    everything = [item["id"] for item in first["items"] + second["items"]]
    assert len(set(everything)) == 4
    assert (await directory.get("/lieux", params={"size": 100, "page": 101})).status_code == 422
    # A territory's search counts its matches along with its page; past the last page, on its own.
    for page in (1, 2, 3):
        in_savoie = (
            await directory.get("/lieux", params={"departement": "73", "size": 2, "page": page})
        ).json()
        assert in_savoie["total"] == 4 and len(in_savoie["items"]) == (2 if page < 3 else 0)


async def test_change_feed_pages_by_cursor_and_includes_withdrawals(
    directory: AsyncClient, places, identity_keys
):
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    first = (await directory.get("/lieux/modifications", params={"limite": 2})).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    # Meanwhile a place already read is withdrawn: it must come again, as a tombstone, later in the feed.
    seen = first["items"][0]
    read = await directory.get(f"/lieux/{seen['id']}")
    await directory.delete(f"/lieux/{seen['id']}", headers=headers | {"if-match": read.headers["etag"]})
    rest, cursor = [], first["next_cursor"]
    while cursor:
        page = (await directory.get("/lieux/modifications", params={"limite": 2, "curseur": cursor})).json()
        rest += page["items"]
        cursor = page["next_cursor"]
    ids = [item["id"] for item in first["items"] + rest]
    assert set(ids) == {place["id"] for place in places.values()}
    assert rest[-1]["id"] == seen["id"] and rest[-1]["status"] == "withdrawn"
    assert (await directory.get("/lieux/modifications", params={"curseur": "nope"})).status_code == 422


async def test_lists_publish_each_place_exactly_as_the_place_itself(directory: AsyncClient, places):
    # Result pages and the change feed are serialised without their response model (for speed): each item must
    # still be the documented place, field for field and in the same order, as reading it alone gives.
    near = await directory.get(
        "/lieux", params={"lat": 45.5667, "lon": 5.9236, "rayon_km": 30, "facettes": "true"}
    )
    feed = await directory.get("/lieux/modifications")
    SearchResults.model_validate_json(near.content)
    ChangeFeed.model_validate_json(feed.content)
    for listed in near.json()["items"] + feed.json()["items"]:
        alone = (await directory.get(f"/lieux/{listed['id']}")).json()
        assert list(listed) == list(alone) == list(PlaceWithPermanencesOut.model_fields)
        assert {**listed, "distance_m": None} == alone
    assert all(item["distance_m"] is not None for item in near.json()["items"])
    assert near.json()["items"][0]["updated_at"].endswith("Z")


async def test_articles_and_prepositions_are_not_searched_for_unless_alone(directory: AsyncClient, places):
    # "de", "la", "d'" are in most names: requiring them would only cost time, and rank nothing.
    assert names(await directory.get("/lieux", params={"q": "association de la savoie"})) == [
        "Association Cœur de Savoie Numérique"
    ]
    assert names(await directory.get("/lieux", params={"q": "espace numerique d'aix"})) == [
        "Espace numérique d'Aix-les-Bains"
    ]
    alone = names(await directory.get("/lieux", params={"q": "les"}))
    assert "Espace numérique d'Aix-les-Bains" in alone


def test_a_query_looks_for_its_distinct_words_without_stop_words():
    assert words.of_query("Médiathèque de la Chapelle-Saint-Jean") == [
        "mediatheque",
        "chapelle",
        "saint",
        "jean",
    ]
    assert words.of_query("Val d'Ocre, val") == ["val", "ocre"]
    assert words.of_query("Les  LES") == ["les"]  # nothing else to look for
    assert words.of_query(" ".join(f"mot{number}" for number in range(30))) == [
        f"mot{number}" for number in range(10)
    ]


async def test_a_query_word_finds_its_typos_the_words_it_begins_and_run_together_words_only(
    directory: AsyncClient, places, identity_keys
):
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    for nom in ("Espace Villeneuve", "Point numérique Villejust"):
        created = await directory.post("/lieux", json=place_payload(nom=nom, pivot=None), headers=headers)
        assert created.status_code == 201, created.text
    # "villeneuve" shares half the trigrams of "villejust", but is not a typo of it.
    assert names(await directory.get("/lieux", params={"q": "villejust"})) == ["Point numérique Villejust"]
    assert names(await directory.get("/lieux", params={"q": "vilejusst"})) == ["Point numérique Villejust"]
    assert "France Services de Chambéry-le-Haut" in names(await directory.get("/lieux", params={"q": "cham"}))
    assert names(await directory.get("/lieux", params={"q": "ch"})) == []  # too short a beginning: "ch" only
    assert names(await directory.get("/lieux", params={"q": "jeanode rousseau"})) == [
        "Médiathèque Jean-Jacques Rousseau"
    ]
    # No word is "numerobis" or a typo of it: the words close in trigrams ("numerique") answer rather than
    # nothing.
    assert "Espace numérique d'Aix-les-Bains" in names(
        await directory.get("/lieux", params={"q": "numerobis"})
    )


def test_typos_allowed_grow_with_the_length_of_the_word():
    assert [words.typos_allowed(word) for word in ("d", "caf", "mons", "melle", "chamberi")] == [
        0,
        1,
        1,
        1,
        2,
    ]
    assert words.shortest_stem("jeanode") == 4 and words.shortest_stem("villejust") == 6


async def test_facet_counts_are_kept_until_the_directory_changes(
    directory: AsyncClient, places, identity_keys, monkeypatch
):
    counted = []
    count_facets = place_search.facet_counts

    async def counting(*arguments):
        counted.append(arguments)
        return await count_facets(*arguments)

    monkeypatch.setattr(place_search, "facet_counts", counting)
    params = {"departement": "73", "facettes": "true", "size": 1}
    first = (await directory.get("/lieux", params=params)).json()
    again = (await directory.get("/lieux", params=params)).json()
    assert len(counted) == 1 and (again["total"], again["facets"]) == (first["total"], first["facets"])
    assert (
        await directory.get("/lieux", params={**params, "services": "Aide aux démarches administratives"})
    ).json()["total"] < first["total"] and len(counted) == 2  # other filters, other counts

    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    created = await directory.post(
        "/lieux",
        json=place_payload(nom="Nouveau point numérique", pivot=None, frais_a_charge=["Payant"]),
        headers=headers,
    )
    assert created.status_code == 201, created.text
    changed = (await directory.get("/lieux", params=params)).json()
    assert len(counted) == 3 and changed["total"] == first["total"] + 1
    assert (
        changed["facets"]["frais_a_charge"]["Payant"]
        == first["facets"]["frais_a_charge"].get("Payant", 0) + 1
    )


@pytest.mark.parametrize("text", ["-", "'", "  "])
async def test_a_text_without_words_is_searched_in_name_order(directory: AsyncClient, places, text: str):
    found = names(await directory.get("/lieux", params={"q": text}))
    assert found == sorted(found)
