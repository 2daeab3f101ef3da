#!/usr/bin/env python3
"""Synchronisation benchmark: a fake data·inclusion API v1 with N structures and 2N services, a full sync into
a fresh directory database, an immediate re-sync with no change, the peak memory of the syncing process
(merging's precision and recall: bench/linkage.py).

    .venv/bin/python bench/sync.py --structures 50000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432        # the issue's figures
    .venv/bin/python bench/sync.py --structures 300                        # a quick check on SQLite

The fake server runs in a child process (its memory and CPU are not the sync's), on a free port of 127.0.0.1,
and generates records from their index with a fixed seed: no dataset is held in memory anywhere. Goals
(issue #4): full sync ≤ 60 s, re-sync ≤ 15 s, peak memory ≤ 400 MB.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEPARTEMENT = "73"
KINDS = [
    "Médiathèque",
    "France Services",
    "Espace public numérique",
    "Centre social",
    "Mairie",
    "CCAS",
    "Tiers-lieu",
    "Association Les Amis du Numérique",
    "Point d'accès numérique",
    "Maison de quartier",
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
    "rue Pasteur",
    "avenue de Savoie",
    "quai des Allobroges",
    "rue Jean Jaurès",
]
DIGITAL = [
    "numerique--acceder-a-des-services-en-ligne",
    "numerique--maitriser-les-fondamentaux-du-numerique",
    "numerique--acceder-a-une-connexion-internet",
    "numerique--acquerir-un-equipement",
]
OTHER = [
    "logement-hebergement--louer-un-logement",
    "mobilite--preparer-un-permis",
    "famille--garde-denfants",
    "sante--acces-aux-soins",
    "trouver-un-emploi--repondre-a-des-offres-demploi",
]
HOURS = ["Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Tu-Sa 10:00-18:00", "We 14:00-17:00; Sa 10:00-12:00", None]


def siret(rng: random.Random) -> str:
    """A SIRET with a valid Luhn key."""
    digits = [rng.randint(0, 9) for _ in range(13)]
    for check in range(10):
        candidate = [*digits, check]
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d for i, d in enumerate(reversed(candidate))
        )
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError


def structure(index: int, communes: list[dict[str, Any]]) -> dict[str, Any]:
    rng = random.Random(index)
    commune = communes[index % len(communes)]
    has_siret = rng.random() < 0.7
    return {
        "source": "dora",
        "id": f"dora--{index}",
        "nom": f"{rng.choice(KINDS)} {commune['nom']} {index}",
        "date_maj": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "siret": siret(rng) if has_siret else None,
        "adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "complement_adresse": None,
        "code_postal": commune["code_postal"],
        "code_insee": commune["code"],
        "commune": commune["nom"],
        "latitude": round(commune["latitude"] + rng.uniform(-0.01, 0.01), 6),
        "longitude": round(commune["longitude"] + rng.uniform(-0.01, 0.01), 6),
        "telephone": f"04 79 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if rng.random() < 0.8
        else None,
        "courriel": f"contact{index}@exemple.fr" if rng.random() < 0.6 else None,
        "site_web": f"https://lieu{index}.exemple.fr/" if rng.random() < 0.4 else None,
        "description": "Accueil, accompagnement et ateliers pour tous les publics du territoire. "
        * rng.randint(1, 6),
        "horaires_accueil": rng.choice(HOURS),
        "accessibilite_lieu": None,
        "lien_source": None,
        "reseaux_porteurs": rng.sample(
            ["conseillers-numeriques", "france-service", "aidants-connect", "caf"], rng.randint(0, 2)
        )
        or None,
        "score_qualite": round(rng.random(), 2),
        "doublons": [],
    }


def service(index: int, structures: int) -> dict[str, Any]:
    rng = random.Random(1_000_000 + index)
    digital = rng.random() < 0.4
    return {
        "source": "dora",
        "id": f"dora--s{index}",
        "structure_id": f"dora--{index % structures}",
        "nom": "Accompagnement numérique" if digital else "Accompagnement social",
        "description": "Un service d'accompagnement, sur rendez-vous ou en accès libre.",
        "date_maj": "2026-09-01",
        "type": rng.choice(["accompagnement", "atelier", "information"]),
        "thematiques": rng.sample(DIGITAL if digital else OTHER, 2),
        "frais": rng.choice(["gratuit", "payant"]),
        "publics": rng.sample(["seniors", "jeunes", "familles", "tous-publics"], 1),
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter", "telephoner"],
        "mobilisable_par": ["usagers"],
        "score_qualite": round(rng.random(), 2),
    }


def serve_fake(port: int, structures: int, communes: list[dict[str, Any]]) -> None:
    """The fake data·inclusion API v1 (child process): page/size envelope over records made from their
    index."""
    import math

    from aiohttp import web

    totals = {"structures": structures, "services": 2 * structures}
    makers = {"structures": lambda i: structure(i, communes), "services": lambda i: service(i, structures)}

    async def collection(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        page, size = int(request.query.get("page", "1")), int(request.query.get("size", "100"))
        total = totals[name]
        items = [makers[name](i) for i in range((page - 1) * size, min(page * size, total))]
        return web.json_response(
            {
                "items": items,
                "total": total,
                "page": page,
                "size": len(items),
                "pages": math.ceil(total / size),
            }
        )

    app = web.Application()
    app.router.add_get("/api/v1/{name}", collection)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def database_cpu(engine: Any) -> dict[int, float]:
    """CPU used so far by each PostgreSQL backend serving this database (the server runs on this machine)."""
    from sqlalchemy import text

    if engine.dialect.name != "postgresql":
        return {}
    async with engine.connect() as connection:
        pids = (
            (
                await connection.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                )
            )
            .scalars()
            .all()
        )
    return {pid: cpu_seconds(pid) for pid in pids}


async def fresh_database(url: str | None, directory: Path, name: str = "fne_bench_sync") -> str:
    if not url:
        return f"sqlite+aiosqlite:///{directory / 'bench-sync.db'}"
    import asyncpg
    from sqlalchemy.engine import make_url

    server = make_url(url)
    connection = await asyncpg.connect(
        host=server.host,
        port=server.port or 5432,
        user=server.username,
        password=server.password,
        database="postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{url.rstrip('/')}/{name}"


async def savoie_communes(sessions: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from fne_directory.territories.models import Commune

    async with sessions() as session:
        rows = await session.scalars(
            select(Commune)
            .where(Commune.departement_code == DEPARTEMENT, Commune.latitude.is_not(None))
            .order_by(Commune.code)
        )
        return [
            {
                "code": c.code,
                "nom": c.nom,
                "code_postal": c.codes_postaux[0],
                "latitude": c.latitude,
                "longitude": c.longitude,
            }
            for c in rows
        ]


async def sync_once(sessions: Any, settings: Any, engine: Any, server_pid: int) -> tuple[float, Any, str]:
    """One run: its time, its job, and the CPU it took from this process, PostgreSQL and the fake server — on
    a shared machine the time depends on what else runs, the CPU much less: it is what compares runs."""
    from fne_directory.sync import service, sources

    connector = sources.connector_for(settings, "data-inclusion")
    async with sessions() as session, session.begin():
        job = await service.start_job(session, "data-inclusion", "cli", "bench")
    database_before = await database_cpu(engine)
    process_before, server_before = time.process_time(), cpu_seconds(server_pid)
    started = time.perf_counter()
    job = await service.execute_run(sessions, settings, job, connector)
    seconds = time.perf_counter() - started
    process, server = time.process_time() - process_before, cpu_seconds(server_pid) - server_before
    database_after = await database_cpu(engine)
    database = sum(database_after.values()) - sum(database_before.get(pid, 0.0) for pid in database_after)
    return (
        seconds,
        job,
        (f"CPU: this process {process:.1f} s, PostgreSQL {database:.1f} s, fake server {server:.1f} s"),
    )


async def main(options: argparse.Namespace) -> None:
    from fne_directory.config import Settings
    from fne_directory.territories.loader import load_communes
    from fne_kernel import migrations
    from fne_kernel.db import create_engine, session_factory

    with tempfile.TemporaryDirectory(prefix="fne-bench-sync-") as scratch:
        url = await fresh_database(options.database_url, Path(scratch), options.database_name)
        await asyncio.to_thread(migrations.upgrade, "fne_directory", url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            await load_communes(session)
        communes = await savoie_communes(sessions)
        port = free_port()
        server = multiprocessing.get_context("spawn").Process(
            target=serve_fake, args=(port, options.structures, communes), daemon=True
        )
        server.start()
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            settings = Settings(
                database_url=url,
                sync_scheduler=False,
                sync_page_size=options.page_size,
                sync_data_inclusion_url=f"http://127.0.0.1:{port}",
                sync_data_inclusion_token="bench",
            )
            baseline, load_before = peak_rss_mb(), os.getloadavg()[0]
            full_seconds, full, full_cpu = await sync_once(sessions, settings, engine, server.pid)
            again_seconds, again, again_cpu = await sync_once(sessions, settings, engine, server.pid)
            print(
                f"database: {engine.dialect.name}; {options.structures} structures, "
                f"{2 * options.structures} services;"
                f" load average before: {load_before:.2f}"
            )
            print(f"full sync: {full_seconds:.1f} s ({full_cpu}) — {full.status}, {dict(full.counts)}")
            print(f"re-sync:   {again_seconds:.1f} s ({again_cpu}) — {again.status}, {dict(again.counts)}")
            print(
                f"peak memory of this process: {peak_rss_mb():.0f} MB (before the syncs: {baseline:.0f} MB);"
                f" load average after: {os.getloadavg()[0]:.2f} (other work on the machine slows every "
                "figure)"
            )
        finally:
            server.terminate()
            server.join(5)
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--structures", type=int, default=50_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--database-name", default="fne_bench_sync", help="the PostgreSQL database recreated")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server URL (a fne_bench_sync database is recreated); "
        "default: SQLite in a temporary directory",
    )
    asyncio.run(main(parser.parse_args()))
