#!/usr/bin/env python3
"""Observatory benchmark: directory-derived indicators for every commune of France from a directory of N
places, the access-time indicator for Savoie, a Savoie choropleth and a territory profile.

A throw-away database (SQLite in a temporary directory, or --database-url for PostgreSQL) is migrated and
loaded with the territories (all of France by default) and the reference catalogue. N synthetic places (fixed
seed, spread over the communes by population, a quarter with a conseiller numérique) are served by a local
server streaming the directory's real export format (`GET /exports/lieux.json`, one object per line); the
observatory reads it over HTTP as in production. Loopback only.

    .venv/bin/python bench/observatory.py                                   # France, 100,000 places
    .venv/bin/python bench/observatory.py --departements 73 --places 2000   # a few seconds: a smoke check
    .venv/bin/python bench/observatory.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/fne_bench_obs

Goals (issue 6): all directory indicators for France ≤ 30 s; Savoie access time ≤ 2 s (estimate); Savoie
choropleth ≤ 100 ms warm and ≤ 300 KB gzipped; a territory profile ≤ 50 ms.

The directory computation is timed twice, as each run's two paths: `directory_indicators_s` reads, computes
and STORES a new version (a computation whose values equal the published version's stores nothing, issue
#15); `directory_unchanged_s` computes the same places again and only marks that version as checked
(`verifie_le`). On a database that already holds this benchmark's indicators (a second run with the same
--database-url), the places are drawn with the seed plus the number of directory versions stored, so that the
first computation changes values and stores, as on a fresh database; each outcome is printed and checked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_info

from fne_kernel import migrations
from fne_kernel.db import create_engine, session_factory
from fne_kernel.identity import generate_private_key_pem, public_key_pem
from fne_observatory.config import Settings
from fne_observatory.directory_figures.client import EXPORT_PATH, PERMANENCES_PATH, DirectoryClient
from fne_observatory.directory_figures.service import (
    CONSEILLERS_NUMERIQUES,
    _communes,
    compute,
    travel_minutes,
)
from fne_observatory.directory_figures.travel import Destination
from fne_observatory.imports.models import DatasetImport, ImportKind
from fne_observatory.main import create_app
from fne_observatory.roadmap.seed import seed_reference
from fne_observatory.territories.loader import load_territories
from fne_observatory.territories.models import Level, Territory

PROGRAMMES = [
    ("Conseillers numériques", 0.25),
    ("France Services", 0.08),
    ("Aidants Connect", 0.10),
    ("Bibliothèques numérique de référence", 0.05),
]
REQUESTS = 30
FOCUS = "73"


async def synthetic_places(sessions: Any, count: int, seed: int) -> list[bytes]:
    """N places as encoded standard records, spread over the loaded communes by population."""
    async with sessions() as session:
        communes = (
            await session.execute(
                select(Territory.code, Territory.population, Territory.latitude, Territory.longitude).where(
                    Territory.level == Level.COMMUNE, Territory.latitude.is_not(None)
                )
            )
        ).all()
    rng = random.Random(seed)
    chosen = rng.choices(communes, weights=[max(row.population or 0, 50) for row in communes], k=count)
    today = date.today()
    records = []
    for number, (code, _, latitude, longitude) in enumerate(chosen):
        programmes = [name for name, share in PROGRAMMES if rng.random() < share]
        records.append(
            orjson.dumps(
                {
                    "id": f"00000000-0000-0000-0000-{number:012d}",
                    "pivot": "00000000000000",
                    "nom": f"Lieu {number}",
                    "commune": "",
                    "code_postal": "00000",
                    "code_insee": code,
                    "adresse": "1 place de la Mairie",
                    "latitude": round(latitude + rng.uniform(-0.01, 0.01), 6),
                    "longitude": round(longitude + rng.uniform(-0.01, 0.01), 6),
                    "typologie": "MUNI",
                    "source": "FNE Savoie",
                    "date_maj": (today - timedelta(days=rng.randint(0, 1100))).isoformat(),
                    "services": "Maîtrise des outils numériques du quotidien",
                    "dispositif_programmes_nationaux": "|".join(programmes) or None,
                    "frais_a_charge": "Gratuit",
                }
            )
        )
    return records


async def directory_versions(sessions: Any) -> int:
    """Versions of directory indicators stored so far (0 on a fresh database)."""
    async with sessions() as session:
        return (
            await session.scalar(
                select(func.count())
                .select_from(DatasetImport)
                .where(DatasetImport.kind == ImportKind.DIRECTORY)
            )
            or 0
        )


async def timed_computation(sessions: Any, directory_url: str) -> tuple[float, DatasetImport]:
    started = time.perf_counter()
    async with sessions() as session, session.begin():
        computed = await compute(
            session,
            DirectoryClient(directory_url, 300, 0),
            None,
            reach_minutes=20,
            mountain={FOCUS},
            actor="bench",
            today=date.today(),
        )
    return time.perf_counter() - started, computed


async def serve_export(records: list[bytes]) -> tuple[web.AppRunner, str]:
    async def export(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b"[")
        for start in range(0, len(records), 500):
            separator = b"\n" if start == 0 else b",\n"
            await response.write(separator + b",\n".join(records[start : start + 500]))
        await response.write(b"]")
        await response.write_eof()
        return response

    async def permanences(request: web.Request) -> web.Response:
        # The synthetic directory holds no permanences (places only), as before issue #15's permanences.
        return web.json_response([])

    app = web.Application()
    app.router.add_get(EXPORT_PATH, export)
    app.router.add_get(PERMANENCES_PATH, permanences)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]


async def timed_requests(
    client: AsyncClient, path: str, params: dict[str, Any], headers: dict[str, str]
) -> tuple[float, list[float], int]:
    """(first request ms, the next REQUESTS in ms, body bytes as sent)."""
    started = time.perf_counter()
    response = await client.get(path, params=params, headers=headers)
    response.raise_for_status()
    first = (time.perf_counter() - started) * 1000
    size = int(response.headers.get("content-length") or len(response.content))
    warm = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        (await client.get(path, params=params, headers=headers)).raise_for_status()
        warm.append((time.perf_counter() - started) * 1000)
    return first, warm, size


async def run(arguments: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    url = arguments.database_url or f"sqlite+aiosqlite:///{workdir / 'observatory.db'}"
    await asyncio.to_thread(migrations.upgrade, "fne_observatory", url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    scope = set(arguments.departements.split(",")) if arguments.departements else None
    results: dict[str, Any] = {
        "places": arguments.places,
        "perimetre": arguments.departements or "France",
        "database": engine.dialect.name,
    }

    started = time.perf_counter()
    async with sessions() as session, session.begin():
        report = await load_territories(session, scope)
        await seed_reference(session)
    results["territories_load_s"] = round(time.perf_counter() - started, 2)
    results["communes"] = report.counts.get("commune", 0)

    # A database holding earlier runs' indicators: other places, so that the values change and are stored.
    before = await directory_versions(sessions)
    results["seed"] = arguments.seed + before
    records = await synthetic_places(sessions, arguments.places, results["seed"])
    runner, directory_url = await serve_export(records)
    try:
        seconds, computed = await timed_computation(sessions, directory_url)
        if await directory_versions(sessions) != before + 1:
            raise SystemExit("the first computation stored no new version: it did not measure storing")
        results["directory_indicators_s"] = round(seconds, 2)
        results["directory_stored"] = f"version {computed.version} of {computed.dataset}, stored"
        results["directory_report"] = computed.report
        results["observations"] = computed.observation_count
        # The same places again: the published values are found unchanged, only checked (the daily refresh's
        # usual path).
        seconds, again = await timed_computation(sessions, directory_url)
        if await directory_versions(sessions) != before + 1 or again.id != computed.id:
            raise SystemExit("the repeated computation stored a version: its values were not unchanged")
        results["directory_unchanged_s"] = round(seconds, 2)
        results["directory_unchanged"] = f"version {again.version} checked, nothing stored"
    finally:
        await runner.cleanup()

    async with sessions() as session:
        savoie = [commune for commune in await _communes(session) if commune.department == FOCUS]
    advisers = [
        Destination(record["latitude"], record["longitude"])
        for record in map(orjson.loads, records)
        if CONSEILLERS_NUMERIQUES in (record["dispositif_programmes_nationaux"] or "")
    ]
    started = time.perf_counter()
    minutes, _method = await travel_minutes(savoie, advisers, None, 20, {FOCUS})
    results["savoie_access_time_s"] = round(time.perf_counter() - started, 3)
    results["savoie_access_time_communes"] = len(minutes)

    private = generate_private_key_pem()
    app = create_app(
        Settings(
            database_url=url,
            identity_public_key=public_key_pem(private),
            access_log=False,
            log_level="WARNING",
        )
    )
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://observatory") as client:
        first, warm, size = await timed_requests(
            client,
            "/indicateurs/lieux_pour_10000_habitants/carte",
            {"niveau": "commune", "dans": f"departement:{FOCUS}", "zoom": 9, "classes": 5},
            {"accept-encoding": "gzip"},
        )
        results["choropleth_cold_ms"] = round(first, 1)
        results["choropleth_warm_median_ms"] = round(statistics.median(warm), 2)
        results["choropleth_warm_max_ms"] = round(max(warm), 2)
        results["choropleth_gzip_kb"] = round(size / 1024, 1)
        first, warm, _ = await timed_requests(client, "/territoires/commune/73065/profil", {}, {})
        results["profile_first_ms"] = round(first, 1)
        results["profile_median_ms"] = round(statistics.median(warm), 2)
        results["profile_p95_ms"] = round(sorted(warm)[int(len(warm) * 0.95) - 1], 2)
    await app.state.engine.dispose()
    await engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--departements", help="e.g. 73 or 73,74 (all of France by default)")
    parser.add_argument(
        "--database-url", help="an empty database (PostgreSQL); a temporary SQLite file otherwise"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="also write the results, with the machine, to this file")
    arguments = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fne-bench-observatory-"))
    try:
        results = asyncio.run(run(arguments, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    goals = {
        "directory_indicators_s": 30,
        "savoie_access_time_s": 2,
        "choropleth_warm_median_ms": 100,
        "choropleth_gzip_kb": 300,
        "profile_median_ms": 50,
    }
    for name, value in results.items():
        goal = f"  (goal ≤ {goals[name]})" if name in goals else ""
        print(f"{name:32} {value}{goal}")
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {"machine": machine_info({}, ("shapely", "sqlalchemy", "numpy")), "results": results},
                indent=2,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
