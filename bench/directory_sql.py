"""The SQL floor of directory searches: the statements a search runs (captured from the directory's own search
code, for the query of a benchmark path), replayed straight to PostgreSQL over asyncpg at a given concurrency,
with no HTTP, JSON or gateway. What a search costs in the database alone, measured in the same run as the
searches through the gateway (bench/directory.py)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import urllib.parse
from datetime import datetime
from typing import Any

import asyncpg

from fne_directory.config import Settings
from fne_directory.places import search as place_search
from fne_directory.places.dependencies import PlaceSearchParams, place_query
from fne_kernel.db import create_engine, session_factory

Statements = list[tuple[str, Any]]
SINGLE_VALUED = {"q", "ouvert", "ouvert_a", "lat", "lon", "rayon_km", "bbox", "tri"}


async def as_search(path: str, now: datetime) -> tuple[place_search.PlaceQuery, int, int, bool]:
    """The search a benchmark path asks for: the query, offset, limit and whether facets are asked for."""
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    size, page = int(params.pop("size", ["20"])[0]), int(params.pop("page", ["1"])[0])
    with_facets = params.pop("facettes", ["false"])[0] == "true"
    query = await place_query(
        PlaceSearchParams.model_validate(
            {name: values[0] if name in SINGLE_VALUED else values for name, values in params.items()}
        )
    )
    if params.get("ouvert") == ["true"]:
        query.open_at = now
    return query, (page - 1) * size, size, with_facets


async def capture(url: str, paths: list[str], now: datetime) -> dict[str, Statements]:
    """The statements each path's search runs, as the directory runs them once its facet counts are kept."""
    engine = create_engine(url, server_settings=Settings(database_url="sqlite://").database_server_settings)
    sessions = session_factory(engine)
    kept = place_search.KeptFacets(100_000, 0)
    found: dict[str, Statements] = {}
    try:
        for path in paths:
            query, offset, limit, with_facets = await as_search(path, now)
            for attempt in range(2):  # the second time, with the facet counts kept
                async with sessions() as session:
                    with place_search.observed() as executed:
                        await place_search.search(
                            session,
                            query,
                            now=now,
                            offset=offset,
                            limit=limit,
                            with_facets=with_facets,
                            kept_facets=kept,
                        )
                if attempt == 1:
                    found[path] = list(executed)
    finally:
        await engine.dispose()
    return found


async def replay(dsn: str, requests: list[Statements], connections: int, seconds: float) -> dict[str, Any]:
    """Each request's statements in turn on one of `connections` connections, for `seconds`: per request, the
    time from its first statement sent to its last result read."""
    settings = Settings(database_url="sqlite://").database_server_settings
    pool = await asyncpg.create_pool(
        dsn, min_size=connections, max_size=connections, server_settings=settings
    )
    timings: list[float] = []
    counter = 0
    deadline = 0.0

    async def client() -> None:
        nonlocal counter
        async with pool.acquire() as connection:
            while time.monotonic() < deadline:
                statements = requests[counter % len(requests)]
                counter += 1
                started = time.perf_counter()
                # As the directory runs them: each in its own snapshot, no transaction (places/search.py).
                for statement, parameters in statements:
                    await connection.fetch(statement, *parameters)
                timings.append((time.perf_counter() - started) * 1000)

    async def run_for(duration: float) -> None:
        nonlocal deadline
        deadline = time.monotonic() + duration
        await asyncio.gather(*(client() for _ in range(connections)))

    try:
        await run_for(1.0)  # prepared statements and caches warmed first
        timings.clear()
        await run_for(seconds)
    finally:
        await pool.close()
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
    }


async def pages_touched(url: str, paths: list[str], now: datetime) -> dict[str, int]:
    """The 8 kB pages (in PostgreSQL's cache or read) each path's statements touch: the work a search does,
    whatever the machine's load — what ranks départements and hours when the machine is busy."""
    captured = await capture(url, paths, now)
    settings = Settings(database_url="sqlite://").database_server_settings
    connection = await asyncpg.connect(
        url.replace("postgresql+asyncpg", "postgresql"), server_settings=settings
    )
    touched: dict[str, int] = {}
    try:
        for path, statements in captured.items():
            touched[path] = 0
            for statement, parameters in statements:
                explained = await connection.fetchval(
                    f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}", *parameters
                )
                plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
                touched[path] += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    finally:
        await connection.close()
    return touched
