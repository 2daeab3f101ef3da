#!/usr/bin/env python3
"""Fills a directory database with N synthetic places spread over every French commune, for benchmarks.

The communes come from the directory's reference table (load it first: `fne directory load-territories`), so
every place has a real INSEE code, postal code, EPCI and department, and coordinates near its commune's point.
Values are drawn from the standard's vocabularies with a fixed seed: the same N gives the same directory.

    DIRECTORY_DATABASE_URL=postgresql+asyncpg://… .venv/bin/python bench/generate_places.py 100000
"""

import argparse
import asyncio
import random
import time
from datetime import date, timedelta

from sqlalchemy import delete, select

from fne_directory.config import Settings
from fne_directory.places import vocabulary, words
from fne_directory.places.models import Place, new_id
from fne_directory.places.service import index_text, refresh_openings
from fne_directory.territories.models import Commune
from fne_kernel.db import create_engine, session_factory, utcnow

BATCH = 2_000
HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Tu-Sa 10:00-18:00; PH off",
    "Mo,We,Fr 14:00-18:00",
    "Mo-Fr 08:30-12:30,13:30-17:30; Sa 09:00-12:00; PH off",
    "We 14:00-17:00; Sa 10:00-12:00",
    "24/7",
    None,
]
KINDS = [
    ("Médiathèque", "BIB"),
    ("France Services", "MSAP"),
    ("Espace public numérique", "EPN"),
    ("Association numérique", "ASSO"),
    ("Mairie", "MUNI"),
    ("CCAS", "CCAS"),
    ("Tiers-lieu", "TIERS_LIEUX"),
]
STREETS = [
    "rue de la République",
    "place de la Mairie",
    "avenue du Général de Gaulle",
    "rue des Écoles",
    "chemin des Vignes",
    "place de l'Église",
    "rue Victor Hugo",
    "boulevard de la Gare",
]


def sample(rng: random.Random, values: tuple[str, ...], most: int) -> list[str]:
    return rng.sample(values, rng.randint(0, most))


def make_place(rng: random.Random, commune: Commune, now, today: date) -> Place:  # type: ignore[no-untyped-def]
    kind, typologie = rng.choice(KINDS)
    tags = {
        "typologie": [typologie],
        "services": sample(rng, vocabulary.SERVICES, 4) or [vocabulary.SERVICES[1]],
        "publics_specifiquement_adresses": sample(rng, vocabulary.PUBLICS, 2),
        "frais_a_charge": [rng.choice(vocabulary.FRAIS)],
        "dispositif_programmes_nationaux": sample(rng, vocabulary.PROGRAMMES, 2),
        "modalites_acces": sample(rng, vocabulary.MODALITES_ACCES[:4], 2),
        "modalites_accompagnement": sample(rng, vocabulary.MODALITES_ACCOMPAGNEMENT, 2),
    }
    tags = {name: values for name, values in tags.items() if values}
    place = Place(
        id=new_id(),
        status="active",
        version=1,
        created_at=now,
        updated_at=now,
        nom=f"{kind} {commune.nom}" + (f" {rng.randint(2, 9)}" if rng.random() < 0.2 else ""),
        adresse=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        commune=commune.nom,
        code_postal=commune.codes_postaux[0],
        code_insee=commune.code,
        epci_code=commune.epci_code,
        departement_code=commune.departement_code,
        latitude=commune.latitude + rng.uniform(-0.01, 0.01),
        longitude=commune.longitude + rng.uniform(-0.01, 0.01),
        geo_precision="exacte",
        telephone=f"+334{rng.randint(10_000_000, 99_999_999)}",
        courriels=[f"contact{rng.randint(1, 999)}@exemple.fr"],
        site_web=[],
        horaires=rng.choice(HOURS),
        presentation_resume=f"{kind} : accompagnement au numérique à {commune.nom}.",
        date_maj=today - timedelta(days=rng.randint(0, 1000)),
        autres_formations_labels=[],
        tags=tags,
    )
    index_text(place)
    return place


async def generate(count: int, seed: int) -> None:
    engine = create_engine(Settings().database_url)
    sessions = session_factory(engine)
    rng = random.Random(seed)
    now, started = utcnow(), time.perf_counter()
    async with sessions() as session, session.begin():
        communes = [
            c
            for c in await session.scalars(select(Commune).order_by(Commune.code))
            if c.latitude is not None and c.codes_postaux and c.type == "COM"
        ]
        await session.execute(delete(Place))
    for start in range(0, count, BATCH):
        async with sessions() as session, session.begin():
            places = [
                make_place(rng, rng.choice(communes), now, now.date())
                for _ in range(min(BATCH, count - start))
            ]
            refresh_openings(places, now)  # opening intervals and filter keys, as the service computes them
            session.add_all(places)
            await session.flush()
            await words.remember(session, places)
    await engine.dispose()
    print(f"{count} lieux générés sur {len(communes)} communes en {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int, nargs="?", default=100_000)
    parser.add_argument("--seed", type=int, default=73)
    arguments = parser.parse_args()
    asyncio.run(generate(arguments.count, arguments.seed))


if __name__ == "__main__":
    main()
