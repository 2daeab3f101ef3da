"""PostgreSQL's plans for the search shapes: on a directory where one département holds a third of the places
and another a few dozen, no statement of a search reads most of the directory to keep a few (issue #18: a
large département's search walked the name index through the whole table, 400+ ms at 100,000 places)."""

import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places import search as place_search
from fne_directory.places import words
from fne_directory.places.models import Place, new_id
from fne_directory.places.service import index_text, insert_rows, refresh_openings
from fne_directory.territories.models import Commune
from fne_kernel.db import utcnow

LARGE, SMALL = "62", "90"
PLACES = {LARGE: 800, SMALL: 30}
OTHERS = 24_000  # over the other départements: the large one holds 3 %, as the largest do
# Names begin with the kind of place, as real names often do: a walk in name order meets one kind last.
KINDS = [
    ("Association numérique", "ASSO"),
    ("France Services", "MSAP"),
    ("Médiathèque", "BIB"),
    ("Tiers-lieu", "TIERS_LIEUX"),
]
HOURS = ["Mo-Fr 09:00-12:00,14:00-17:00", "Tu-Sa 10:00-18:00", "We 14:00-17:00; Sa 10:00-12:00", "24/7", None]
SERVICES = ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"]
PROGRAMMES = ["Conseillers numériques", "France Services", "Aidants Connect"]


def _place(rng: random.Random, commune: Commune, now: datetime) -> Place:
    kind, typologie = rng.choice(KINDS)
    tags = {
        "typologie": [typologie],
        "services": rng.sample(SERVICES, rng.randint(1, 2)),
        "dispositif_programmes_nationaux": rng.sample(PROGRAMMES, rng.randint(0, 2)),
    }
    place = Place(
        id=new_id(),
        status="active",
        version=1,
        created_at=now,
        updated_at=now,
        withdrawn_at=None,
        pivot=None,
        nom=f"{kind} {commune.nom} {rng.randint(1, 999)}",
        adresse="1 place de la Mairie",
        complement_adresse=None,
        commune=commune.nom,
        code_postal=commune.codes_postaux[0],
        code_insee=commune.code,
        epci_code=commune.epci_code,
        departement_code=commune.departement_code,
        latitude=commune.latitude + rng.uniform(-0.01, 0.01),
        longitude=commune.longitude + rng.uniform(-0.01, 0.01),
        geo_precision="exacte",
        telephone=None,
        courriels=[],
        site_web=[],
        horaires=rng.choice(HOURS),
        presentation_resume=f"{kind} à {commune.nom}.",
        presentation_detail=None,
        source=None,
        structure_parente=None,
        date_maj=date.today() - timedelta(days=rng.randint(0, 900)),
        autres_formations_labels=[],
        fiche_acces_libre=None,
        prise_rdv=None,
        tags={k: v for k, v in tags.items() if v},
    )
    index_text(place)
    return place


@pytest.fixture
async def skewed(directory_app: FastAPI, db: AsyncSession, communes: object) -> dict[str, Any]:
    """A directory skewed like France's: one large département, one small, the rest spread; analysed."""
    if db.bind.dialect.name != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    rng, now = random.Random(18), utcnow()
    usable = [
        commune
        for commune in await db.scalars(select(Commune).order_by(Commune.code))
        if commune.latitude is not None and commune.codes_postaux and commune.type == "COM"
    ]
    by_department: dict[str, list[Commune]] = {}
    for commune in usable:
        by_department.setdefault(commune.departement_code, []).append(commune)
    chosen = [rng.choice(by_department[code]) for code, count in PLACES.items() for _ in range(count)]
    others = [commune for code, found in by_department.items() if code not in PLACES for commune in found]
    chosen += [rng.choice(others) for _ in range(OTHERS)]
    places = [_place(rng, commune, now) for commune in chosen]
    refresh_openings(places, now)
    columns = Place.__table__.columns
    await insert_rows(
        db, Place, [{column.key: getattr(place, column.key) for column in columns} for place in places]
    )
    await words.remember(db, places)
    # As after autovacuum: the GIN indexes' pending entries merged (the planner counts a pending list as read
    # whole), the statistics gathered.
    for index in ("ix_places_filter_keys", "ix_places_search_words", "ix_search_words_word_trgm"):
        await db.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
    await db.execute(text("ANALYZE places"))
    await db.execute(text("ANALYZE search_words"))
    total = await db.scalar(select(func.count()).select_from(Place))
    return {"now": now, "places": total, "commune": rng.choice(by_department[LARGE])}


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def _filtered_out(db: AsyncSession, statement: str, parameters: Any) -> tuple[int, str]:
    """The places a statement's plan reads and throws away (every filter on the places, every loop), and the
    plan."""
    result = await (await db.connection()).exec_driver_sql(
        f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", tuple(parameters)
    )
    explained = result.scalar()
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    removed = sum(
        node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        for node in _nodes(plan)
        if node.get("Relation Name") == "places"
    )
    return removed, json.dumps(plan, indent=1)[:4000]


def _searches(department: str, skewed: dict[str, Any]) -> dict[str, place_search.PlaceQuery]:
    now, commune = skewed["now"], skewed["commune"]
    tuesday_10 = (now + timedelta(days=(1 - now.weekday()) % 7 or 7)).replace(hour=9, minute=30)
    sunday_3 = (now + timedelta(days=(6 - now.weekday()) % 7 or 7)).replace(hour=2, minute=0)
    return {
        "département": place_search.PlaceQuery(departments=[department]),
        "filtrée": place_search.PlaceQuery(
            departments=[department],
            tags={"services": [SERVICES[0]], "dispositif_programmes_nationaux": [PROGRAMMES[0]]},
        ),
        "ouvert maintenant": place_search.PlaceQuery(departments=[department], open_at=now),
        "ouvert mardi 10 h": place_search.PlaceQuery(departments=[department], open_at=tuesday_10),
        "ouvert dimanche 3 h": place_search.PlaceQuery(departments=[department], open_at=sunday_3),
        "typologie dans le département": place_search.PlaceQuery(
            departments=[department], tags={"typologie": ["BIB"]}
        ),
        "texte": place_search.PlaceQuery(text="mediatheque", departments=[department]),
        "rayon": place_search.PlaceQuery(near=(commune.latitude, commune.longitude), radius_m=10_000),
    }


async def test_no_search_plan_filters_out_most_of_the_directory(
    directory_app: FastAPI, db: AsyncSession, skewed: dict[str, Any]
) -> None:
    """Every search shape, in the large and the small département, with and without facets (one dataset)."""
    for department in (LARGE, SMALL):
        for with_facets in (False, True):
            for name, query in _searches(department, skewed).items():
                with place_search.observed() as executed:
                    found = await place_search.search(
                        db, query, now=skewed["now"], offset=0, limit=20, with_facets=with_facets
                    )
                assert found.places or name == "ouvert dimanche 3 h", name
                assert executed, name
                for statement, parameters in executed:
                    removed, plan = await _filtered_out(db, statement, parameters)
                    assert removed < skewed["places"] / 2, (
                        f"{name} ({department}, facets: {with_facets}): the plan filters out {removed} of "
                        f"{skewed['places']} places\n{plan}"
                    )


async def test_a_broad_filter_whose_places_come_last_by_name_is_not_walked_through(
    directory_app: FastAPI, db: AsyncSession, skewed: dict[str, Any]
) -> None:
    """The tiers-lieux (a quarter of the places) come last in name order: the bounded walk gives up early
    and the matches are sorted, rather than the name index being walked through three quarters of the
    directory."""
    query = place_search.PlaceQuery(tags={"typologie": ["TIERS_LIEUX"]})
    with place_search.observed() as executed:
        found = await place_search.search(db, query, now=skewed["now"], offset=0, limit=20, with_facets=False)
    assert found.total > place_search.WALK_FROM_MATCHES
    assert [place.nom for place, _ in found.places] == sorted(place.nom for place, _ in found.places)
    assert all(place.nom.startswith("Tiers-lieu") for place, _ in found.places)
    for statement, parameters in executed:
        removed, plan = await _filtered_out(db, statement, parameters)
        assert removed < skewed["places"] / 2, plan


def _read_from_table(plan: dict[str, Any]) -> int:
    """The places' rows a plan reads from the table (every loop), not from an index alone."""
    return sum(
        node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        for node in _nodes(plan)
        if node.get("Relation Name") == "places" and node["Node Type"] != "Index Only Scan"
    )


async def test_open_at_in_a_departement_is_read_from_its_index(
    directory_app: FastAPI, db: AsyncSession, skewed: dict[str, Any]
) -> None:
    """ "Open at" in one département and nothing else counts and orders its places from the département's
    range of ix_places_active_departement_open (the intervals are in the index): the table is read for the
    page's places only, whatever the département's size. A place with too many intervals for that index is
    found all the same, and the results are those of the general path (the same search with facets)."""
    now = skewed["now"]
    many = _place(random.Random(1), skewed["commune"], now)
    many.nom = "Aaa lieu aux horaires fractionnés"
    many.horaires = "Mo-Su 07:00-07:10,07:20-07:30,07:40-07:50,08:00-08:10,09:00-18:00"
    refresh_openings([many], now)
    assert len(many.openings) > 48
    db.add(many)
    await db.flush()
    # As after autovacuum, which marks the table's pages all-visible (VACUUM cannot run in the test's
    # transaction, rolled back with it): the planner then counts no table read for an index-only scan.
    await db.execute(
        text("UPDATE pg_class SET relallvisible = relpages WHERE oid = 'places'::regclass AND relpages > 0")
    )
    tuesday_10 = (now + timedelta(days=(1 - now.weekday()) % 7 or 7)).replace(hour=9, minute=30)
    for department in (LARGE, SMALL):
        for moment in (now, tuesday_10):
            query = place_search.PlaceQuery(departments=[department], open_at=moment)
            with place_search.observed() as executed:
                found = await place_search.search(db, query, now=now, offset=0, limit=20, with_facets=False)
            general = await place_search.search(db, query, now=now, offset=0, limit=20, with_facets=True)
            assert found.total == general.total
            assert [p.id for p, _ in found.places] == [p.id for p, _ in general.places]
            if department == LARGE and moment == tuesday_10:
                assert found.places[0][0].id == many.id
                assert found.total > 100
            [(statement, parameters)] = executed
            result = await (await db.connection()).exec_driver_sql(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", tuple(parameters)
            )
            explained = result.scalar()
            plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
            indexes = {
                node.get("Index Name") for node in _nodes(plan) if node["Node Type"] == "Index Only Scan"
            }
            assert "ix_places_active_departement_open" in indexes, json.dumps(plan, indent=1)[:4000]
            assert _read_from_table(plan) <= 20 + 1, json.dumps(plan, indent=1)[:4000]
