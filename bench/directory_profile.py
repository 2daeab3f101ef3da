#!/usr/bin/env python3
"""Where a directory search spends its CPU (issue #18): searches of bench/directory.py's rotation sent
straight to the directory's ASGI app in this process (no HTTP server, no client library: a scope and two
callables), on the benchmark's PostgreSQL database, one at a time.

    FNE_BENCH_DATABASE_PREFIX=fne_bench .venv/bin/python bench/directory_profile.py [--requests 3000]
        [--types text,filtered,...] [--profile cprofile|pyinstrument] [--layers]

Prints, per search type, the CPU time per request of the whole app (time.process_time: this process only, so
PostgreSQL's own work is not in it) and the wall time; `--layers` also times, on the same searches, the layers
one by one (the trivial route through the app: middlewares and routing; the search function alone: SQL
building, execution, rows; the mapping of rows to the published places and JSON). `--profile` writes a profile
of the whole run (cProfile: the 40 costliest functions by own time and by cumulated time; pyinstrument: its
tree).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from common import REPOSITORY
from directory import DIRECTORY_DB, database_url, directory_facts, query_paths
from directory_sql import as_search

from fne_directory.config import Settings
from fne_directory.main import create_app
from fne_directory.places import search as place_search
from fne_directory.places import service
from fne_kernel.db import utcnow
from fne_kernel.responses import PlainJSONResponse

PREFIX = "/api/directory"
TYPES = ("text", "filtered", "radius", "open_now", "departement", "open_at")


def scope_of(path: str) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(path.removeprefix(PREFIX))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"directory"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(app: Any, path: str) -> tuple[int, bytes]:
    """One GET through the ASGI app: its status and body."""
    sent = False
    status, body = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope_of(path), receive, send)
    return status, b"".join(body)


async def timed(
    requests: list[str], one: Callable[[str], Awaitable[Any]], repeat: int = 1
) -> tuple[float, float, list[float]]:
    """CPU and wall milliseconds per request (over all of them), and each request's CPU milliseconds."""
    each: list[float] = []
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        for path in requests:
            started = time.process_time()
            await one(path)
            each.append((time.process_time() - started) * 1000)
    count = len(requests) * repeat
    return (
        (time.process_time() - cpu_started) * 1000 / count,
        (time.perf_counter() - wall_started) * 1000 / count,
        each,
    )


async def run(arguments: argparse.Namespace) -> None:
    facts = await directory_facts()
    paths, _ = query_paths(facts, random.Random(73), utcnow())
    types = [name for name in arguments.types.split(",") if name in paths]
    keys = arguments.keys
    settings = Settings(
        database_url=database_url(DIRECTORY_DB),
        access_log=False,
        facet_cache_entries=4096,
        identity_public_key=str(keys / "identity-public.pem"),
    )
    app = create_app(settings)
    engine = app.state.engine
    sessions = app.state.sessions
    rng = random.Random(18)
    try:
        # Warm: connections, statement caches, kept facets, parsed opening hours.
        for name in types:
            for path in paths[name]:
                status, body = await call(app, path)
                if status != 200:
                    sys.exit(f"{path}: {status} {body[:300]!r}")
        per_type = {name: [rng.choice(paths[name]) for _ in range(arguments.requests)] for name in types}
        print(
            f"{DIRECTORY_DB} ({facts['places']:,} places), {arguments.requests} requests per type, "
            "one at a time"
        )
        print(
            "| search | app CPU ms/request (median) | app wall ms/request |"
            + (" layers |" if arguments.layers else "")
        )
        profiler: Any = None
        if arguments.profile == "cprofile":
            profiler = cProfile.Profile(time.process_time)
        elif arguments.profile == "pyinstrument":
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002, async_mode="disabled")
        health = ["/health"] * arguments.requests
        health_cpu, _, _ = await timed(health, lambda path: call(app, path))
        for name in types:
            requests = per_type[name]
            if profiler is not None:
                profiler.enable() if arguments.profile == "cprofile" else profiler.start()
            cpu, wall, each = await timed(requests, lambda path: call(app, path))
            if profiler is not None:
                profiler.disable() if arguments.profile == "cprofile" else profiler.stop()
            line = f"| {name} | {cpu:.2f} ({statistics.median(each):.2f}) | {wall:.2f} |"
            if arguments.layers:
                line += " " + await layers(requests, sessions, app, health_cpu) + " |"
            print(line, flush=True)
        if arguments.profile == "cprofile":
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(arguments.top)
                print(out.getvalue())
        elif arguments.profile == "pyinstrument":
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        await engine.dispose()


async def layers(requests: list[str], sessions: Any, app: Any, health_cpu: float) -> str:
    """The same searches layer by layer: the search function alone (statements built and run, rows read), the
    rows mapped to published places and JSON; the rest of the app's time is query parsing, validation, routing
    and middlewares (the trivial route's whole cost is given for comparison)."""
    now = utcnow()
    searches = [await as_search(path, now) for path in requests]
    pages = []

    async def search_only(index: int) -> None:
        query, offset, limit, with_facets = searches[index]
        async with sessions() as session:
            pages.append(
                await place_search.search(
                    session,
                    query,
                    now=now,
                    offset=offset,
                    limit=limit,
                    with_facets=with_facets,
                    kept_facets=app.state.kept_facets,
                )
            )

    search_cpu, _, _ = await timed(list(range(len(searches))), search_only)

    async def mapping(index: int) -> None:
        found = pages[index]
        PlainJSONResponse(
            {
                "items": [service.place_out(place, now, distance) for place, distance in found.places],
                "total": found.total,
                "page": 1,
                "size": 20,
                "facets": found.facets,
            }
        )

    mapping_cpu, _, _ = await timed(list(range(len(pages))), mapping)
    return f"search {search_cpu:.2f}, mapping+JSON {mapping_cpu:.2f}, /health {health_cpu:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--types", default=",".join(TYPES))
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--layers", action="store_true")
    arguments = parser.parse_args()
    arguments.keys = Path(tempfile.mkdtemp(prefix="fne-directory-profile-"))
    subprocess.run(
        [sys.executable, "-m", "fne_cli", "keys", "--directory", str(arguments.keys)],
        check=True,
        cwd=REPOSITORY,
    )
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
