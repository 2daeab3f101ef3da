#!/usr/bin/env python3
"""Directory benchmark (issue #3): searches and exports over 100,000 places on PostgreSQL, through the
gateway.

1. Creates two PostgreSQL databases (directory, gateway), migrates them, loads the reference communes and
   generates the places (bench/generate_places.py: spread over every French commune), then VACUUM ANALYZE.
   With --reuse, keeps a directory database that already holds the requested number of places.
2. Starts the directory (`fne serve`, two uvicorn workers by default: deploy/kubernetes runs two replicas) and
   the gateway (one worker) on free loopback ports.
3. Times the first rendering of each department's GeoJSON (nothing kept yet: "cold").
4. For each search type and each concurrency, runs wrk for a few seconds with a Lua script rotating through
   varied queries (communes drawn from the reference data; pages of 20 results, as the web app asks), and
   reads requests/s and p50/p95/p99. The trivial route (GET /api/directory/health, no database) is measured in
   the same run, for the throughput ratio.
   The GeoJSON of a department is asked for as a browser's map asks for it (accepting gzip), and as a client
   that does not accept compressed bodies ("geojson_department_identity").
5. Downloads the full national-standard CSV export through the gateway, timing it and sampling the directory
   processes' resident memory (peak and before/after).

    .venv/bin/python bench/directory.py                      # 100,000 places, about 8 minutes
    .venv/bin/python bench/directory.py --places 5000 --seconds 3 --levels 8   # a quick check
    .venv/bin/python bench/directory.py --reuse               # skip the generation when the data is there

Needs wrk (`apt-get install wrk`) and a PostgreSQL server (FNE_BENCH_POSTGRES_URL, default
postgresql+asyncpg://postgres@127.0.0.1:5432). Sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from common import (
    REPOSITORY,
    cpu_seconds,
    free_port,
    machine_info,
    process_tree,
    rotating_script,
    run_wrk,
    tree_resident_kib,
)

POSTGRES = os.environ.get("FNE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432").rstrip(
    "/"
)
# Several people may bench on one server: FNE_BENCH_DATABASE_PREFIX keeps their databases apart.
DATABASE_PREFIX = os.environ.get("FNE_BENCH_DATABASE_PREFIX", "fne_bench")
DIRECTORY_DB, GATEWAY_DB = f"{DATABASE_PREFIX}_directory", f"{DATABASE_PREFIX}_gateway"
# The p95 goal of every search, at concurrency 8 (issue #3: 50 ms; issue #18: 20 ms for every département and
# hour).
GOAL_P95_MS = 20.0
PAGE_SIZE = 20  # results per page of the web app's search page
GOAL_EXPORT_SECONDS = 10.0
FNE = [sys.executable, "-m", "fne_cli"]
SEARCH_TYPES = (
    "trivial",
    "text",
    "filtered",
    "radius",
    "open_now",
    "departement",
    "open_at",
    "geojson_department",
    "geojson_department_identity",
)
# Searches whose worst case is measured too: within the département where they cost most, at the hour of the
# week where "open at" costs most (issue #18), and the slowest tenth of the text queries.
WORST_TYPES = ("text", "filtered", "radius", "open_now", "departement", "open_at")
FLOOR_SECONDS = 4
# What each search type's requests carry besides wrk's defaults.
ACCEPTS_GZIP = ["-H", "Accept-Encoding: gzip"]
REQUEST_HEADERS = {"geojson_department": ACCEPTS_GZIP}
# Each directory process keeps its own rendered exports: the 40 departments' first renderings (timed on their
# own before the cells) take 3–4 s of each process, and only a process that gets requests renders them. The
# GeoJSON's warm-up opens enough connections (through the gateway's pool) for every process to get some; the
# GeoJSON cells measure what follows.
WARM_UP = {"geojson_department": (16, 6)}  # connections, seconds


def database_url(name: str) -> str:
    return f"{POSTGRES}/{name}"


async def recreate_database(name: str) -> None:
    server = urllib.parse.urlsplit(POSTGRES.replace("postgresql+asyncpg", "postgresql"))
    connection = await asyncpg.connect(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        database="postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def directory_facts(count_only: bool = False) -> dict[str, Any]:
    server = urllib.parse.urlsplit(POSTGRES.replace("postgresql+asyncpg", "postgresql"))
    connection = await asyncpg.connect(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        database=DIRECTORY_DB,
    )
    try:
        places = await connection.fetchval("SELECT count(*) FROM places WHERE status = 'active'")
        if count_only:
            return {"places": places}
        communes = await connection.fetch(
            "SELECT nom, latitude, longitude, departement_code FROM communes WHERE latitude IS NOT NULL "
            "AND type = 'COM' ORDER BY code"
        )
        departments = [
            row["departement_code"]
            for row in await connection.fetch(
                "SELECT departement_code, count(*) FROM places GROUP BY 1 ORDER BY 2 DESC"
            )
        ]
        return {"places": places, "communes": [dict(row) for row in communes], "departments": departments}
    finally:
        await connection.close()


def run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, cwd=REPOSITORY, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def prepare(places: int, reuse: bool, env: dict[str, str]) -> float:
    """Databases ready with `places` places; returns the generation time (0 when reused)."""
    if reuse:
        try:
            if asyncio.run(directory_facts(count_only=True))["places"] == places:
                print(f"reusing {DIRECTORY_DB} ({places} places)")
                run([*FNE, "migrate", "directory"], env)  # the code may be newer than the database
                return 0.0
        except (OSError, asyncpg.PostgresError):
            pass
    asyncio.run(recreate_database(DIRECTORY_DB))
    run([*FNE, "migrate", "directory"], env)
    run([*FNE, "directory", "load-territories"], env)
    started = time.perf_counter()
    run([sys.executable, str(REPOSITORY / "bench" / "generate_places.py"), str(places)], env)
    elapsed = time.perf_counter() - started
    run(
        [
            "psql",
            POSTGRES.replace("postgresql+asyncpg", "postgresql") + f"/{DIRECTORY_DB}",
            "-qc",
            "VACUUM ANALYZE",
        ],
        env,
    )
    return elapsed


def week_hours(now: datetime) -> list[datetime]:
    """The 168 hours of the coming week, from the next full hour (UTC): what `ouvert_a` is asked at."""
    start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return [start + timedelta(hours=hour) for hour in range(7 * 24)]


def query_paths(
    facts: dict[str, Any], rng: random.Random, now: datetime
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Varied queries of each type, drawn from the reference communes with a fixed seed. Searches within a
    département cover every département (the largest hold 2–3 % of the places, the smallest a few), and "open
    at" every hour of the coming week: a cliff for some of them cannot hide in the mix. Also returns the
    département of each query that searches in one (a radius search: its point's)."""
    communes = facts["communes"]
    departments = facts["departments"]
    largest = departments[:60]
    services = [
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
        "Accès internet et matériel informatique",
        "Utilisation sécurisée du numérique",
    ]
    programmes = ["Conseillers numériques", "France Services", "Aidants Connect"]

    def typo(name: str) -> str:
        plain = name.lower()
        if len(plain) > 5:
            position = rng.randrange(1, len(plain) - 1)
            plain = plain[:position] + rng.choice("aeiouy") + plain[position + 1 :]
        return plain

    def path(base: str, **params: Any) -> str:
        return f"/api/directory/{base}?" + urllib.parse.urlencode(params, doseq=True)

    def page(**params: Any) -> str:
        """A page of results as the web app's search page asks for it (frontend/src/lib/placeSearch.ts)."""
        return path("lieux", size=PAGE_SIZE, **params)

    picks = [rng.choice(communes) for _ in range(200)]
    hours = week_hours(now)
    radius = {
        page(lat=round(c["latitude"], 4), lon=round(c["longitude"], 4), rayon_km=10): c["departement_code"]
        for c in picks[:100]
    }
    paths = {
        "trivial": ["/api/directory/health"],
        "text": [page(q=typo(c["nom"])) for c in picks[:100]]
        + [page(q=f"mediatheque {c['nom'].lower()}") for c in picks[100:150]],
        "filtered": [
            page(
                departement=d,
                services=rng.choice(services),
                dispositif_programmes_nationaux=rng.choice(programmes),
                facettes="true",
            )
            for d in departments
            for _ in range(3)
        ],
        "radius": list(radius),
        "open_now": [page(ouvert="true", departement=d) for d in departments],
        "departement": [page(departement=d) for d in departments],
        "open_at": [
            page(ouvert_a=hour.isoformat(), departement=departments[index % len(departments)])
            for index, hour in enumerate(hours)
        ],
        "geojson_department": [path("exports/lieux.geojson", departement=d) for d in largest[:40]],
        "geojson_department_identity": [path("exports/lieux.geojson", departement=d) for d in largest[:40]],
    }
    departments_of = dict(radius)
    for values in paths.values():
        for one in values:
            found = urllib.parse.parse_qs(urllib.parse.urlsplit(one).query).get("departement")
            if found:
                departments_of[one] = found[0]
    return paths, departments_of


def worst_hour_paths(facts: dict[str, Any], hour: str) -> list[str]:
    """ "Open at" one hour in every département."""
    return [
        "/api/directory/lieux?"
        + urllib.parse.urlencode({"size": PAGE_SIZE, "ouvert_a": hour, "departement": d})
        for d in facts["departments"]
    ]


def hour_probe_paths(facts: dict[str, Any], now: datetime) -> list[str]:
    """ "Open at" each hour of the week in the largest département: the hour whose search costs most."""
    return [
        "/api/directory/lieux?"
        + urllib.parse.urlencode(
            {"size": PAGE_SIZE, "ouvert_a": hour.isoformat(), "departement": facts["departments"][0]}
        )
        for hour in week_hours(now)
    ]


class Stack:
    def __init__(
        self, env: dict[str, str], workdir: Path, directory_workers: int, ports: list[int] | None = None
    ) -> None:
        self.env = env
        self.workdir = workdir
        self.workers = {"directory": directory_workers, "gateway": 1}
        directory_port, gateway_port = ports or (free_port(), free_port())
        self.ports = {"directory": directory_port, "gateway": gateway_port}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def start(self) -> None:
        self.env["GATEWAY_DIRECTORY_URL"] = f"http://127.0.0.1:{self.ports['directory']}"
        for name in ("directory", "gateway"):
            log = open(self.workdir / f"{name}.log", "wb")
            self.processes[name] = subprocess.Popen(
                [*FNE, "serve", name, "--port", str(self.ports[name]), "--workers", str(self.workers[name])],
                env=self.env,
                cwd=REPOSITORY,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.gateway}/api/directory/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()  # no services left behind
        sys.exit(f"the stack did not start; see {self.workdir}")

    def directory_workers(self) -> list[int]:
        """The directory's serving processes: its own, or the workers it supervises (not multiprocessing's
        resource tracker)."""
        supervisor = self.processes["directory"].pid
        children = [
            pid
            for pid in process_tree(supervisor)[1:]
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        return children or [supervisor]

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.wait(timeout=15)


def measure_export(stack: Stack) -> dict[str, Any]:
    """The full national-standard CSV through the gateway, with the directory's memory sampled meanwhile."""
    pid = stack.processes["directory"].pid
    before = tree_resident_kib(pid)
    peak = before
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, tree_resident_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    size = rows = 0
    with urllib.request.urlopen(f"{stack.gateway}/api/directory/exports/lieux.csv", timeout=120) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
            rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    sampling = False
    sampler.join()
    return {
        "seconds": round(elapsed, 2),
        "megabytes": round(size / 1e6, 1),
        "rows": rows - 1,
        "rss_before_mib": round(before / 1024, 1),
        "rss_peak_mib": round(peak / 1024, 1),
        "rss_after_mib": round(tree_resident_kib(pid) / 1024, 1),
    }


def measure_cold_geojson(stack: Stack, paths: list[str]) -> dict[str, Any]:
    """Each department's GeoJSON asked for once, in turn, before anything is kept: the rendering's own
    time."""
    timings = []
    for path in paths:
        request = urllib.request.Request(stack.gateway + path, headers={"Accept-Encoding": "gzip"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "requests": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--levels", default="8,32")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--directory-workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--types", default=",".join(SEARCH_TYPES), help="search types measured (comma-separated)"
    )
    parser.add_argument("--no-export", action="store_true", help="skip the full CSV export")
    parser.add_argument(
        "--ports", help="the directory's and the gateway's ports (comma-separated; default: free ones)"
    )
    arguments = parser.parse_args()
    types = [name for name in SEARCH_TYPES if name in arguments.types.split(",") or name == "trivial"]
    wrk = shutil.which("wrk") or sys.exit("wrk is missing: apt-get install wrk")
    levels = [int(level) for level in arguments.levels.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="fne-bench-directory-"))
    run([*FNE, "keys", "--directory", str(workdir)], dict(os.environ))
    env = {
        **os.environ,
        "DIRECTORY_DATABASE_URL": database_url(DIRECTORY_DB),
        "GATEWAY_DATABASE_URL": database_url(GATEWAY_DB),
        "DIRECTORY_IDENTITY_PUBLIC_KEY": str(workdir / "identity-public.pem"),
        "GATEWAY_IDENTITY_PRIVATE_KEY": str(workdir / "identity-private.pem"),
        "DIRECTORY_ACCESS_LOG": "false",
        "GATEWAY_ACCESS_LOG": "false",
        "GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
        "GATEWAY_FRONTEND_DIR": str(workdir / "no-frontend"),
    }
    generation_seconds = prepare(arguments.places, arguments.reuse, env)
    asyncio.run(recreate_database(GATEWAY_DB))
    run([*FNE, "migrate", "gateway"], env)
    facts = asyncio.run(directory_facts())
    load = {"before": os.getloadavg()}
    paths, departments_of = query_paths(facts, random.Random(73), datetime.now(UTC))
    scripts = {name: rotating_script(values, workdir, name) for name, values in paths.items()}

    ports = [int(port) for port in arguments.ports.split(",")] if arguments.ports else None
    stack = Stack(env, workdir, arguments.directory_workers, ports)
    stack.start()
    results: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in types}
    worst: dict[str, dict[str, Any]] = {}
    export: dict[str, Any] | None = None
    cold = None
    try:
        if "geojson_department" in types:
            cold = measure_cold_geojson(stack, paths["geojson_department"])
        for name in types:  # warm the caches and the connection pools
            connections, seconds = WARM_UP.get(name, (4, 2))
            run_wrk(
                wrk,
                stack.gateway,
                connections,
                seconds,
                ["-s", str(scripts[name]), *REQUEST_HEADERS.get(name, [])],
            )

        def cell(name: str, level: int, script: Path) -> dict[str, Any]:
            workers = stack.directory_workers()
            gateway = stack.processes["gateway"].pid
            before = [cpu_seconds(worker) for worker in workers]
            gateway_before = cpu_seconds(gateway)
            figures = run_wrk(
                wrk,
                stack.gateway,
                level,
                arguments.seconds,
                ["-s", str(script), *REQUEST_HEADERS.get(name, [])],
            )
            spent = [cpu_seconds(worker) - seconds for worker, seconds in zip(workers, before, strict=True)]
            # Where the time goes: CPU per request in the directory's processes and in the gateway's.
            figures["directory_cpu_ms"] = round(1000 * sum(spent) / max(figures["requests"], 1), 2)
            figures["gateway_cpu_ms"] = round(
                1000 * (cpu_seconds(gateway) - gateway_before) / max(figures["requests"], 1), 2
            )
            # How the gateway's connections spread the work over the directory's processes (each keeps its
            # connections: a run where most land on one process measures one process).
            figures["directory_cpu_split"] = [round(100 * part / (sum(spent) or 1)) for part in spent]
            figures["load_1min"] = round(os.getloadavg()[0], 2)
            print(
                f"c={level:<3} {name:<24} {figures['requests_per_second']:>8.0f} req/s  "
                f"p50 {figures['p50_ms']:6.1f}  p95 {figures['p95_ms']:6.1f}  p99 {figures['p99_ms']:6.1f} ms"
                f"  non-2xx {figures['non_2xx']}  directory CPU split {figures['directory_cpu_split']} %"
                f"  CPU/request: directory {figures['directory_cpu_ms']} ms, gateway "
                f"{figures['gateway_cpu_ms']} ms"
                f"  load {figures['load_1min']}"
            )
            return figures

        for level in levels:
            for name in types:
                results[name][level] = cell(name, level, scripts[name])
        worst = find_worst(
            stack, paths, departments_of, facts, [name for name in WORST_TYPES if name in types]
        )
        for name, found in worst.items():
            script = rotating_script(found["paths"], workdir, f"{name}_worst")
            found["gateway"] = cell(f"{name} (worst)", 8, script)
        floor = asyncio.run(measure_floor(paths, worst, [name for name in WORST_TYPES if name in types]))
        if not arguments.no_export:
            export = measure_export(stack)
    finally:
        stack.stop()
    load["after"] = os.getloadavg()

    info = machine_info(
        {"wrk": f"{wrk} -v", "postgresql": "psql --version"},
        ("fastapi", "sqlalchemy", "asyncpg", "uvicorn", "aiohttp"),
    )
    info["load"] = load
    print(
        report(
            info,
            arguments,
            facts["places"],
            generation_seconds,
            results,
            export,
            cold,
            levels,
            types,
            worst,
            floor,
        )
    )
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "results": results,
                    "export": export,
                    "cold_geojson": cold,
                    "worst": worst,
                    "floor": floor,
                },
                indent=2,
            )
        )


def probe(stack: Stack, paths: list[str]) -> dict[str, float]:
    """Each path asked for alone, twice in turn: its best latency through the gateway (ms)."""
    timings: dict[str, float] = {}
    for _ in range(2):
        for path in paths:
            started = time.perf_counter()
            with urllib.request.urlopen(stack.gateway + path, timeout=60) as response:
                response.read()
            elapsed = (time.perf_counter() - started) * 1000
            timings[path] = min(elapsed, timings.get(path, elapsed))
    return timings


def find_worst(
    stack: Stack,
    paths: dict[str, list[str]],
    departments_of: dict[str, str],
    facts: dict[str, Any],
    types: list[str],
) -> dict[str, dict[str, Any]]:
    """Per search type, the queries of its costliest département, of the costliest hour of the week for "open
    at" (in the largest département), or the costliest tenth of text queries. Costliest: the most pages of the
    database its statements touch (EXPLAIN BUFFERS: the same on a busy machine), then the slowest alone."""
    import directory_sql  # the directory's code: imported only when measuring

    url, now = database_url(DIRECTORY_DB), datetime.now(UTC)
    worst: dict[str, dict[str, Any]] = {}
    for name in types:
        chosen = hour_probe_paths(facts, now) if name == "open_at" else paths[name]
        timings = probe(stack, chosen)
        pages = asyncio.run(directory_sql.pages_touched(url, chosen, now))

        def cost(path: str) -> tuple[int, float]:
            return pages[path], timings[path]  # noqa: B023 (called within this iteration only)

        if name == "open_at":
            slowest = max(chosen, key=cost)
            fastest = min(chosen, key=cost)
            hour = urllib.parse.parse_qs(urllib.parse.urlsplit(slowest).query)["ouvert_a"][0]
            worst[name] = {
                "where": f"{hour} ({pages[slowest]} pages, {timings[slowest]:.1f} ms alone in the largest "
                f"département; least: {pages[fastest]} pages)",
                "paths": worst_hour_paths(facts, hour),
            }
            continue
        if name == "text":
            slowest_paths = sorted(chosen, key=cost, reverse=True)[: max(1, len(chosen) // 10)]
            worst[name] = {
                "where": f"the costliest {len(slowest_paths)} queries ({pages[slowest_paths[-1]]}–"
                f"{pages[slowest_paths[0]]} pages)",
                "paths": slowest_paths,
            }
            continue
        per_department: dict[str, list[tuple[int, float]]] = {}
        for path in chosen:
            per_department.setdefault(departments_of[path], []).append(cost(path))
        department = max(per_department, key=lambda code: max(per_department[code]))
        fastest = min(per_department, key=lambda code: max(per_department[code]))
        heaviest, least = max(per_department[department]), max(per_department[fastest])
        worst[name] = {
            "where": f"département {department} ({heaviest[0]} pages, {heaviest[1]:.1f} ms alone; "
            f"least: {fastest}, {least[0]} pages)",
            "paths": [path for path in chosen if departments_of[path] == department],
        }
    return worst


async def measure_floor(
    paths: dict[str, list[str]], worst: dict[str, dict[str, Any]], types: list[str]
) -> dict[str, dict[str, Any]]:
    """The SQL of each search type's mix and worst case replayed straight to PostgreSQL, at concurrency 1 and
    8."""
    import directory_sql  # the directory's code: imported only when measuring

    from fne_kernel.db import utcnow

    now = utcnow()
    url = database_url(DIRECTORY_DB)
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    floor: dict[str, dict[str, Any]] = {}
    for name in types:
        for label, chosen in (("mix", paths[name]), ("worst", worst.get(name, {}).get("paths", []))):
            if not chosen:
                continue
            captured = list((await directory_sql.capture(url, chosen, now)).values())
            for level in (1, 8):
                figures = await directory_sql.replay(dsn, captured, level, FLOOR_SECONDS)
                floor[f"{name}/{label}/{level}"] = figures
                print(
                    f"SQL floor {name:<12} {label:<5} c={level}: p50 {figures['p50_ms']} ms, "
                    f"p95 {figures['p95_ms']} ms ({figures['requests']} requests)"
                )
    return floor


def report(
    info: dict[str, Any],
    arguments: argparse.Namespace,
    places: int,
    generation_seconds: float,
    results: dict[str, dict[int, dict[str, Any]]],
    export: dict[str, Any] | None,
    cold: dict[str, Any] | None,
    levels: list[int],
    types: list[str],
    worst: dict[str, dict[str, Any]],
    floor: dict[str, dict[str, Any]],
) -> str:
    lines = [
        f"Measured {info['date']} on {info['cpus']} × {info['cpu_model']}, {info['memory']}, commit "
        f"{info['commit']}; "
        f"{info['postgresql']}; Python {info['python']}; "
        + ", ".join(f"{k} {v}" for k, v in info["packages"].items())
        + ".",
        f"{places:,} active places"
        + (f" (generated in {generation_seconds:.0f} s)" if generation_seconds else "")
        + f"; wrk {arguments.seconds} s per cell; {arguments.directory_workers} uvicorn worker(s) for the "
        "directory, "
        "one for the gateway; wrk on the same 2 cores. Load average (1, 5, 15 min): "
        f"{'/'.join(f'{x:.2f}' for x in info['load']['before'])} before, "
        f"{'/'.join(f'{x:.2f}' for x in info['load']['after'])} after.",
        "",
        "| search | c | req/s | p50 ms | p95 ms | p99 ms | ratio to trivial | p95 goal (c=8) | directory "
        "CPU split % "
        "| CPU ms/request: directory, gateway | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for level in levels:
        trivial = results["trivial"][level]["requests_per_second"]
        for name in types:
            figures = results[name][level]
            goal = ""
            if level == 8 and name != "trivial":
                goal = (
                    "met"
                    if figures["p95_ms"] <= GOAL_P95_MS
                    else f"missed by {figures['p95_ms'] - GOAL_P95_MS:.0f} ms"
                )
            lines.append(
                f"| {name} | {level} | {figures['requests_per_second']:.0f} | {figures['p50_ms']:.1f} | "
                f"{figures['p95_ms']:.1f} | {figures['p99_ms']:.1f} | "
                f"{figures['requests_per_second'] / trivial:.2f} | {goal} | "
                f"{'/'.join(map(str, figures['directory_cpu_split']))} | {figures['directory_cpu_ms']}, "
                f"{figures['gateway_cpu_ms']} | {figures['load_1min']} |"
            )
    if worst:
        lines += [
            "",
            "Worst cases at c=8, and the SQL floor (the same searches' statements replayed straight to "
            "PostgreSQL, p50 / p95 ms):",
            "",
            "| search | where | req/s | p50 ms | p95 ms | p95 goal | SQL c=1 | SQL c=8 | mix SQL c=1 | "
            "mix SQL c=8 | p95 / SQL p95 (c=8) | CPU ms/request: directory, gateway | load |",
            "| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- | --- | ---: | --- | ---: |",
        ]
        for name, found in worst.items():
            figures = found["gateway"]
            goal = (
                "met"
                if figures["p95_ms"] <= GOAL_P95_MS
                else f"missed by {figures['p95_ms'] - GOAL_P95_MS:.0f} ms"
            )
            sql = {key: floor.get(f"{name}/{key}", {}) for key in ("worst/1", "worst/8", "mix/1", "mix/8")}
            cells = [f"{sql[key].get('p50_ms', '?')} / {sql[key].get('p95_ms', '?')}" for key in sql]
            ratio = (
                figures["p95_ms"] / sql["worst/8"]["p95_ms"] if sql["worst/8"].get("p95_ms") else float("nan")
            )
            lines.append(
                f"| {name} | {found['where']} | {figures['requests_per_second']:.0f} | "
                f"{figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | {goal} | {' | '.join(cells)} | "
                f"{ratio:.1f} | {figures['directory_cpu_ms']}, {figures['gateway_cpu_ms']} | "
                f"{figures['load_1min']} |"
            )
    lines.append("")
    if export is not None:
        verdict = "met" if export["seconds"] <= GOAL_EXPORT_SECONDS else "missed"
        lines.append(
            f"Full national-standard CSV export through the gateway: {export['rows']:,} rows, "
            f"{export['megabytes']} MB in {export['seconds']} s (goal ≤ {GOAL_EXPORT_SECONDS:.0f} s: "
            f"{verdict}); directory processes' resident memory {export['rss_before_mib']} MiB before, peak "
            f"{export['rss_peak_mib']} MiB, {export['rss_after_mib']} MiB after."
        )
    if cold is not None:
        lines.append(
            f"First rendering of each department's GeoJSON (nothing kept yet), one at a time: median "
            f"{cold['median_ms']} ms, slowest {cold['max_ms']} ms over {cold['requests']} departments."
        )
    medians = statistics.median(results["trivial"][level]["requests_per_second"] for level in levels)
    lines.append(f"Trivial route median over levels: {medians:.0f} req/s.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
