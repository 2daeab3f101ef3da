#!/usr/bin/env python3
"""Soak test (issue #20): a busy week's mix against the real processes on PostgreSQL, for tens of minutes.

The four processes (`fne serve`, one worker each) run on loopback ports from `--port-base` (gateway, then
directory, observatory, surveys; the gateway's metrics listener on base + 9), on fresh PostgreSQL databases
`<prefix>_<component>`. A fake data·inclusion API (bench/sync.py's, child process) is the synchronised source.
The load, closed-loop users with think times, all through the gateway:

- residents: searches (text with typos, filters, around a point, open now), then open one of the places found;
- mediators (API key `surveys:write`): submit a completed questionnaire (POST /reponses, Idempotency-Key);
- partners: walk the change feed with its cursor, download exports (GeoJSON gzip, CSV);
- elected officials: the roadmap's scoreboard and the indicator catalogue (observatory);
- a coordinator: every `--sync-every` s a data·inclusion synchronisation, every `--import-every` s a file
  import (data·inclusion JSON, new and changed places), each followed until its job ends: it must succeed.

Every `--sample-every` s the resident memory (RSS) of every process and the load average are sampled. At the
end: requests, errors and p50/p95/p99 per request type; RSS after warm-up vs at the end; then a check that
nothing acknowledged is missing (every submission the surveys service acknowledged is stored, every place of
every acknowledged import is in the directory, no sync job failed).

`--kill SERVICE --kill-at 0.5 --down 20`: SIGKILLs that service at half time and starts it again 20 s later.
The clients retry a refused write after the restart (same Idempotency-Key); errors are then expected only on
that service's prefix while it is down, and counted apart.

    .venv/bin/python bench/soak.py --minutes 30 --port-base 20100
    .venv/bin/python bench/soak.py --minutes 10 --port-base 20200 --kill directory
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPOSITORY, machine_info, tree_resident_kib
from sync import serve_fake
from sync import service as di_service
from sync import structure as di_structure

POSTGRES = os.environ.get("FNE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432").rstrip(
    "/"
)
FNE = [sys.executable, "-m", "fne_cli"]
COMPONENTS = ("gateway", "directory", "observatory", "surveys")
SERVICES = ("directory", "observatory", "surveys")
QUESTIONS = 12
AXES = ["equipement", "internet", "communiquer", "demarches", "securite", "documents"]


def percentile(values: list[float], rank: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(rank / 100 * (len(ordered) - 1)))] if ordered else 0.0


async def postgres(database: str = "postgres") -> asyncpg.Connection:
    server = urllib.parse.urlsplit(POSTGRES.replace("postgresql+asyncpg", "postgresql"))
    return await asyncpg.connect(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        database=database,
    )


async def recreate(names: list[str], create: bool = True) -> None:
    connection = await postgres()
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


class Platform:
    def __init__(self, port_base: int, prefix: str, workdir: Path) -> None:
        self.workdir = workdir
        self.ports = {
            "gateway": port_base,
            "directory": port_base + 1,
            "observatory": port_base + 2,
            "surveys": port_base + 3,
        }
        self.metrics_port = port_base + 9
        self.fake_port = port_base + 8
        self.databases = {name: f"{prefix}_{name}" for name in COMPONENTS}
        keys = workdir / "identity"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GATEWAY_", "SURVEYS_", "DIRECTORY_", "OBSERVATORY_", "OTEL_"))
        }
        for name in COMPONENTS:
            prefix_ = name.upper() + "_"
            self.env |= {
                f"{prefix_}DATABASE_URL": f"{POSTGRES}/{self.databases[name]}",
                f"{prefix_}ACCESS_LOG": "false",
                f"{prefix_}LOG_LEVEL": "WARNING",
            }
            if name != "gateway":
                self.env[f"{prefix_}IDENTITY_PUBLIC_KEY"] = str(keys / "identity-public.pem")
                self.env[f"GATEWAY_{name.upper()}_URL"] = f"http://127.0.0.1:{self.ports[name]}"
        self.env |= {
            "GATEWAY_IDENTITY_PRIVATE_KEY": str(keys / "identity-private.pem"),
            "GATEWAY_FRONTEND_DIR": str(workdir / "no-frontend"),
            "GATEWAY_METRICS_PORT": str(self.metrics_port),
            "GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000",
            "GATEWAY_RATE_LIMIT_AUTHENTICATED_PER_MINUTE": "1000000",
            "SURVEYS_PSEUDONYM_KEY": uuid.uuid4().hex * 2,
            "SURVEYS_INSTALL_SHIPPED_QUESTIONNAIRES": "false",
            "DIRECTORY_SYNC_SCHEDULER": "false",
            "DIRECTORY_SYNC_DEPARTEMENT": "73",
            "DIRECTORY_SYNC_DATA_INCLUSION_URL": f"http://127.0.0.1:{self.fake_port}",
            "DIRECTORY_SYNC_DATA_INCLUSION_TOKEN": "soak",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.fne("keys", "--directory", str(keys))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def fne(self, *args: str) -> str:
        done = subprocess.run(
            [*FNE, *args], env=self.env, cwd=REPOSITORY, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise RuntimeError(f"fne {' '.join(args)} failed: {done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, name: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            [*FNE, "serve", name, "--port", str(self.ports[name])],
            env=self.env,
            cwd=REPOSITORY,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    async def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as client:
            while time.monotonic() < deadline:
                try:
                    async with client.get(f"{self.url}/api/health") as response:
                        body = await response.json()
                        if all(body["services"][name].get("ready") for name in SERVICES):
                            return
                except (aiohttp.ClientError, KeyError, ValueError, TypeError):
                    pass
                await asyncio.sleep(0.5)
        raise TimeoutError(f"platform not ready, see {self.workdir}")

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()

    def rss_mib(self) -> dict[str, float]:
        return {
            name: round(tree_resident_kib(process.pid) / 1024, 1)
            for name, process in self.processes.items()
            if process.poll() is None
        }

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


class Recorder:
    """Latencies and outcomes per request type, and the errors with their time and service."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[dict[str, Any]] = []
        self.started = time.monotonic()

    def record(self, kind: str, path: str, status: int, seconds: float, detail: str = "") -> None:
        self.latencies[kind].append(seconds * 1000)
        if status >= 400 or status == 0:
            self.errors.append(
                {
                    "t": round(time.monotonic() - self.started, 1),
                    "kind": kind,
                    "service": path.split("/")[2] if path.startswith("/api/") else path,
                    "status": status,
                    "detail": detail[:200],
                }
            )


class Load:
    def __init__(
        self,
        platform: Platform,
        recorder: Recorder,
        deadline: float,
        communes: list[dict[str, Any]],
        keys: dict[str, str],
        campaign_id: str,
    ) -> None:
        self.platform, self.recorder, self.deadline = platform, recorder, deadline
        self.communes, self.keys, self.campaign_id = communes, keys, campaign_id
        self.place_ids: list[str] = []
        self.acknowledged_submissions: set[str] = set()
        self.imported_ids: list[str] = []
        self.jobs: list[dict[str, Any]] = []
        self.import_round = 0
        self.unfinished_imports = 0

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    async def call(
        self,
        client: aiohttp.ClientSession,
        kind: str,
        method: str,
        path: str,
        *,
        key: str | None = None,
        retry_until: float = 0,
        **options: Any,
    ) -> tuple[int, Any]:
        """One request; a write refused while its service is down (503/502/connection) is tried again, with
        the same body and Idempotency-Key, until `retry_until`."""
        headers = dict(options.pop("headers", {}))
        if key:
            headers["authorization"] = f"Bearer {key}"
        while True:
            started = time.perf_counter()
            try:
                async with client.request(
                    method, self.platform.url + path, headers=headers, **options
                ) as response:
                    raw = await response.read()
                    status = response.status
                    detail = raw[:200].decode(errors="replace") if status >= 400 else ""
            except (TimeoutError, aiohttp.ClientError) as exc:
                status, raw, detail = 0, b"", type(exc).__name__
            self.recorder.record(kind, path, status, time.perf_counter() - started, detail)
            if status in (0, 502, 503, 504) and time.monotonic() < retry_until:
                await asyncio.sleep(2)
                continue
            body: Any = raw
            if (
                raw
                and status < 300
                and "json" in (response.headers.get("content-type", "") if status else "")
            ):
                body = json.loads(raw)
            return status, body

    async def think(self, low: float, high: float) -> None:
        await asyncio.sleep(random.uniform(low, high))

    async def resident(self, client: aiohttp.ClientSession, rng: random.Random) -> None:
        services = [
            "Aide aux démarches administratives",
            "Maîtrise des outils numériques du quotidien",
            "Accès internet et matériel informatique",
        ]
        while self.running():
            commune = rng.choice(self.communes)
            choice = rng.random()
            if choice < 0.4:
                name = commune["nom"].lower()
                if len(name) > 5:
                    position = rng.randrange(1, len(name) - 1)
                    name = name[:position] + rng.choice("aeiou") + name[position + 1 :]
                kind, query = "search_text", {"q": name, "size": 20}
            elif choice < 0.65:
                kind, query = (
                    "search_filtered",
                    {"departement": "73", "services": rng.choice(services), "facettes": "true", "size": 20},
                )
            elif choice < 0.85:
                kind, query = (
                    "search_radius",
                    {"lat": commune["latitude"], "lon": commune["longitude"], "rayon_km": 15, "size": 20},
                )
            else:
                kind, query = "search_open_now", {"ouvert": "true", "code_insee": commune["code"], "size": 20}
            _status, body = await self.call(
                client, kind, "GET", "/api/directory/lieux?" + urllib.parse.urlencode(query)
            )
            items = body.get("items", []) if isinstance(body, dict) else []
            await self.think(0.5, 2)
            if items:
                place = rng.choice(items)
                await self.call(client, "place_open", "GET", f"/api/directory/lieux/{place['id']}")
                await self.think(1, 4)

    async def mediator(self, client: aiohttp.ClientSession, rng: random.Random) -> None:
        while self.running():
            code = f"SOAK-{uuid.uuid4().hex[:12]}"
            body = {
                "campagne_id": self.campaign_id,
                "code_beneficiaire": code,
                "terminer": True,
                "consentement": {"donne": True},
                "attributs": {"commune": rng.choice(self.communes)["code"], "tranche_age": "45_59"},
                "valeurs": {f"q{index:02d}": rng.randint(1, 4) for index in range(1, QUESTIONS + 1)},
            }
            status, _ = await self.call(
                client,
                "survey_submit",
                "POST",
                "/api/surveys/reponses",
                json=body,
                key=self.keys["mediator"],
                headers={"idempotency-key": code},
                retry_until=self.deadline + 120,
            )
            if status in (201, 200, 409):
                self.acknowledged_submissions.add(code)
            await self.think(3, 8)

    async def partner(self, client: aiohttp.ClientSession, rng: random.Random) -> None:
        since = "2020-01-01T00:00:00Z"
        while self.running():
            cursor = None
            for _page in range(50):
                query = {"depuis": since, "limite": 200, **({"curseur": cursor} if cursor else {})}
                status, body = await self.call(
                    client,
                    "change_feed",
                    "GET",
                    "/api/directory/lieux/modifications?" + urllib.parse.urlencode(query),
                )
                if status != 200 or not isinstance(body, dict) or not body.get("next_cursor"):
                    break
                cursor = body["next_cursor"]
            await self.think(5, 10)
            export = rng.choice(
                [
                    (
                        "export_geojson",
                        "/api/directory/exports/lieux.geojson?departement=73",
                        {"accept-encoding": "gzip"},
                    ),
                    ("export_csv", "/api/directory/exports/lieux.csv?departement=73", {}),
                    (
                        "export_data_inclusion",
                        "/api/directory/exports/data-inclusion/structures.json",
                        {"accept-encoding": "gzip"},
                    ),
                ]
            )
            await self.call(client, export[0], "GET", export[1], headers=export[2])
            await self.think(10, 20)

    async def official(self, client: aiohttp.ClientSession, rng: random.Random) -> None:
        while self.running():
            path = rng.choice(
                [
                    "/api/observatory/feuille-de-route",
                    "/api/observatory/indicateurs",
                    "/api/observatory/territoires?niveau=epci&dans=departement:73",
                ]
            )
            await self.call(client, "observatory_read", "GET", path)
            await self.think(5, 15)

    async def follow(self, client: aiohttp.ClientSession, kind: str, job: dict[str, Any]) -> bool:
        """Polls the job until it ends; False when it never does (its process killed: it stays `en_cours`
        until its heartbeat is stale, 10 minutes)."""
        while True:
            await asyncio.sleep(2)
            if time.monotonic() > self.deadline + 60:
                self.jobs.append({"kind": kind, "status": "unfinished", "id": job["id"]})
                return False
            status, body = await self.call(
                client,
                "sync_job_poll",
                "GET",
                f"/api/directory/sync/taches/{job['id']}",
                key=self.keys["coordinator"],
                retry_until=self.deadline + 300,
            )
            if status == 200 and isinstance(body, dict) and body.get("termine_le"):
                self.jobs.append(
                    {
                        "kind": kind,
                        "status": body["statut"],
                        "source": body.get("source"),
                        "counts": body.get("compteurs"),
                    }
                )
                return body["statut"] == "reussie"
            if status == 404:  # the job's start was lost with the process: recorded as such
                self.jobs.append({"kind": kind, "status": "lost"})
                return False

    async def coordinator_sync(self, client: aiohttp.ClientSession, every: float) -> None:
        await asyncio.sleep(20)
        while self.running():
            status, body = await self.call(
                client,
                "sync_start",
                "POST",
                "/api/directory/sync/sources/data-inclusion/taches",
                key=self.keys["coordinator"],
                retry_until=self.deadline,
            )
            if status == 202:
                await self.follow(client, "sync", body)
            elif status != 409:
                self.jobs.append({"kind": "sync", "status": f"refused {status}"})
            await asyncio.sleep(every)

    async def coordinator_import(self, client: aiohttp.ClientSession, every: float) -> None:
        await asyncio.sleep(40)
        while self.running():
            self.import_round += 1
            base = 500_000 + self.import_round * 100
            communes = [{**c, "code_postal": c["code_postal"]} for c in self.communes]
            structures = [di_structure(base + index, communes) for index in range(20)]
            for item in structures:
                item["id"] = f"soak-{item['id']}"
                item["source"] = "fichier-soak"
            services = [
                dict(
                    di_service(base + index, 1),
                    structure_id=structures[index]["id"],
                    id=f"soak-s{base + index}",
                )
                for index in range(20)
            ]
            # Half of the previous round again, changed: an import both adds and updates places.
            document = json.dumps({"structures": structures, "services": services}).encode()
            status, body = await self.call(
                client,
                "import_file",
                "POST",
                "/api/directory/sync/imports?source=soak&format=data-inclusion-json",
                data=document,
                key=self.keys["coordinator"],
                headers={"content-type": "application/json"},
                retry_until=self.deadline,
            )
            if status == 202 and await self.follow(client, "import", body):
                self.imported_ids += [item["id"] for item in structures]
            elif status == 202:
                self.unfinished_imports += len(structures)
            else:
                self.jobs.append({"kind": "import", "status": f"refused {status}"})
            await asyncio.sleep(every)


async def prepare_surveys(client: aiohttp.ClientSession, url: str, key: str) -> str:
    headers = {"authorization": f"Bearer {key}"}

    async def call(path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with client.post(url + path, json=body, headers=headers) as response:
            if response.status >= 300:
                raise RuntimeError(f"POST {path}: {response.status} {await response.text()}")
            return await response.json()

    questions = [
        {
            "key": f"q{n:02d}",
            "type": "scale",
            "minimum": 1,
            "maximum": 4,
            "required": True,
            "label": {"fr": f"Question {n}"},
        }
        for n in range(1, QUESTIONS + 1)
    ]
    rules = [
        {
            "question": f"q{n:02d}",
            "dimension": f"toile-capacites/{AXES[(n - 1) % len(AXES)]}",
            "kind": "value",
        }
        for n in range(1, QUESTIONS + 1)
    ]
    draft = await call(
        "/api/surveys/questionnaires",
        {
            "code": "soak-12",
            "title": {"fr": "Endurance"},
            "questions": questions,
            "scoring": {"version": "1", "frameworks": {"toile-capacites": "2026-1"}, "rules": rules},
        },
    )
    await call(f"/api/surveys/questionnaires/{draft['id']}/publication", {})
    campaign = await call(
        "/api/surveys/campagnes", {"nom": "Endurance", "questionnaire_id": draft["id"], "mode": "mediator"}
    )
    return campaign["id"]


async def savoie_communes(database: str) -> list[dict[str, Any]]:
    connection = await postgres(database)
    try:
        rows = await connection.fetch(
            "SELECT code, nom, codes_postaux, latitude, longitude FROM communes WHERE departement_code = "
            "'73' "
            "AND latitude IS NOT NULL ORDER BY code"
        )
    finally:
        await connection.close()

    def postal(value: Any) -> str:
        codes = json.loads(value) if isinstance(value, str) else value
        return (codes or ["73000"])[0]

    return [
        {
            "code": r["code"],
            "nom": r["nom"],
            "code_postal": postal(r["codes_postaux"]),
            "latitude": r["latitude"],
            "longitude": r["longitude"],
        }
        for r in rows
    ]


async def scrape_metrics(client: aiohttp.ClientSession, platform: Platform) -> dict[str, Any]:
    """Requests counted by each process's /metrics, and what the public gateway answers for a service's."""
    counted = {}
    targets = {
        name: f"http://127.0.0.1:{port}/metrics" for name, port in platform.ports.items() if name != "gateway"
    }
    targets["gateway"] = f"http://127.0.0.1:{platform.metrics_port}/metrics"
    for name, url in targets.items():
        async with client.get(url) as response:
            text = await response.text()
        counted[name] = int(
            sum(
                float(line.rsplit(" ", 1)[1])
                for line in text.splitlines()
                if line.startswith("fne_http_requests_total{")
            )
        )
    async with client.get(f"{platform.url}/api/directory/metrics") as response:
        counted["public_gateway_status_for_api_directory_metrics"] = response.status
    return counted


async def verify(platform: Platform, load: Load) -> dict[str, Any]:
    """What the clients were told was stored, looked for in the databases."""
    surveys = await postgres(platform.databases["surveys"])
    directory = await postgres(platform.databases["directory"])
    try:
        stored = await surveys.fetchval("SELECT count(*) FROM responses")
        records = {
            row["source_id"]
            for row in await directory.fetch(
                "SELECT source_id FROM sync_source_records WHERE source = 'fichier-soak' AND kind = 'lieu' "
                "AND place_id IS NOT NULL"
            )
        }
        places = await directory.fetchval("SELECT count(*) FROM places WHERE status = 'active'")
        sync_records = await directory.fetchval("SELECT count(*) FROM sync_source_records")
    finally:
        await surveys.close()
        await directory.close()
    missing_imports = sorted(set(load.imported_ids) - records)
    return {
        "submissions_acknowledged": len(load.acknowledged_submissions),
        "responses_stored": stored,
        "imported_places_acknowledged": len(set(load.imported_ids)),
        "imported_places_missing": len(missing_imports),
        "active_places": places,
        "places_of_imports_that_did_not_finish": load.unfinished_imports,
        "sync_records": sync_records,
        "jobs": {
            f"{kind} {status}": sum(1 for job in load.jobs if (job["kind"], job["status"]) == (kind, status))
            for kind, status in sorted({(job["kind"], job["status"]) for job in load.jobs})
        },
    }


async def run(options: argparse.Namespace, platform: Platform) -> dict[str, Any]:
    communes = await savoie_communes(platform.databases["directory"])
    keys = {}
    for role, scopes in (("mediator", ["surveys:write"]), ("coordinator", ["sync:run", "directory:write"])):
        output = platform.fne("api-key", "create", f"soak-{role}", *[f"--scope={s}" for s in scopes])
        keys[role] = output.strip().splitlines()[-1].strip()
    for name in COMPONENTS:
        platform.start(name)
    await platform.wait_ready()
    recorder = Recorder()
    connector = aiohttp.TCPConnector(limit=64)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        campaign_id = await prepare_surveys(client, platform.url, keys["mediator"])
        duration = options.minutes * 60
        deadline = time.monotonic() + duration
        load = Load(platform, recorder, deadline, communes, keys, campaign_id)
        samples: list[dict[str, Any]] = []
        kill_window: list[float] = []

        async def sampler() -> None:
            while load.running():
                samples.append(
                    {
                        "t": round(time.monotonic() - recorder.started),
                        "rss": platform.rss_mib(),
                        "load": round(os.getloadavg()[0], 2),
                    }
                )
                await asyncio.sleep(options.sample_every)

        async def killer() -> None:
            await asyncio.sleep(duration * options.kill_at)
            kill_window.append(round(time.monotonic() - recorder.started, 1))
            platform.kill(options.kill)
            await asyncio.sleep(options.down)
            platform.start(options.kill)
            await platform.wait_ready()
            kill_window.append(round(time.monotonic() - recorder.started, 1))

        rng = random.Random(20)
        tasks = [
            *(load.resident(client, random.Random(rng.random())) for _ in range(options.residents)),
            *(load.mediator(client, random.Random(rng.random())) for _ in range(options.mediators)),
            *(load.partner(client, random.Random(rng.random())) for _ in range(options.partners)),
            load.official(client, random.Random(rng.random())),
            load.coordinator_sync(client, options.sync_every),
            load.coordinator_import(client, options.import_every),
            sampler(),
            *([killer()] if options.kill else []),
        ]
        await asyncio.gather(*tasks)
        samples.append(
            {
                "t": round(time.monotonic() - recorder.started),
                "rss": platform.rss_mib(),
                "load": round(os.getloadavg()[0], 2),
            }
        )
        # The last jobs end, then what was acknowledged is looked for.
        await asyncio.sleep(5)
        try:
            scraped = await scrape_metrics(client, platform)
        except (aiohttp.ClientError, ValueError, IndexError) as exc:
            scraped = {"error": repr(exc)}
    checks = await verify(platform, load) | {"metrics": scraped}
    return {"recorder": recorder, "samples": samples, "kill_window": kill_window, "checks": checks}


def summarise(options: argparse.Namespace, outcome: dict[str, Any]) -> dict[str, Any]:
    recorder: Recorder = outcome["recorder"]
    kinds = {}
    for kind, values in sorted(recorder.latencies.items()):
        errors = sum(1 for error in recorder.errors if error["kind"] == kind)
        kinds[kind] = {
            "requests": len(values),
            "errors": errors,
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
        }
    samples = outcome["samples"]
    warm = next((sample for sample in samples if sample["t"] >= options.warmup_minutes * 60), samples[0])
    last = samples[-1]
    memory = {
        name: {
            "after_warmup_mib": warm["rss"].get(name),
            "end_mib": last["rss"].get(name),
            "max_mib": max(sample["rss"].get(name, 0) for sample in samples if sample["t"] >= warm["t"]),
        }
        for name in COMPONENTS
    }
    window = outcome["kill_window"]
    outside = [
        error
        for error in recorder.errors
        if not (window and options.kill == error["service"] and window[0] - 1 <= error["t"] <= window[1] + 5)
    ]
    return {
        "minutes": options.minutes,
        "kill": options.kill,
        "env": options.env,
        "kill_window_s": window,
        "requests": sum(len(values) for values in recorder.latencies.values()),
        "errors_total": len(recorder.errors),
        "errors_outside_kill_window": len(outside),
        "errors_sample": outside[:10],
        "per_kind": kinds,
        "memory": memory,
        "load_average": {
            "min": min(s["load"] for s in samples),
            "max": max(s["load"] for s in samples),
            "mean": round(sum(s["load"] for s in samples) / len(samples), 2),
        },
        "checks": outcome["checks"],
        "rss_series": [(s["t"], s["rss"]) for s in samples],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--port-base", type=int, default=20100)
    parser.add_argument("--prefix", default="fne_soak")
    parser.add_argument(
        "--places", type=int, default=3000, help="synthetic places to start with (all France)"
    )
    parser.add_argument(
        "--structures", type=int, default=400, help="records of the fake data·inclusion source"
    )
    parser.add_argument("--residents", type=int, default=8)
    parser.add_argument("--mediators", type=int, default=3)
    parser.add_argument("--partners", type=int, default=2)
    parser.add_argument("--sync-every", type=float, default=120)
    parser.add_argument("--import-every", type=float, default=180)
    parser.add_argument("--sample-every", type=float, default=15)
    parser.add_argument("--warmup-minutes", type=float, default=3)
    parser.add_argument("--kill", choices=SERVICES)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--down", type=float, default=20)
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the processes, e.g. DIRECTORY_EXPORT_CACHE_BYTES=0 (repeatable)",
    )
    parser.add_argument(
        "--keep-databases", action="store_true", help="leave the databases for a look afterwards"
    )
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fne-soak-"))
    platform = Platform(options.port_base, options.prefix, workdir)
    platform.env |= dict(setting.split("=", 1) for setting in options.env)
    asyncio.run(recreate(list(platform.databases.values())))
    platform.fne("migrate")
    platform.fne("directory", "load-territories")
    platform.fne("observatory", "load-territories", "--departements", "73")
    platform.fne("observatory", "load-reference")
    subprocess.run(
        [sys.executable, str(REPOSITORY / "bench" / "generate_places.py"), str(options.places)],
        env=platform.env,
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
    )
    communes = asyncio.run(savoie_communes(platform.databases["directory"]))
    fake = multiprocessing.get_context("spawn").Process(
        target=serve_fake, args=(platform.fake_port, options.structures, communes), daemon=True
    )
    fake.start()
    try:
        outcome = asyncio.run(run(options, platform))
    finally:
        platform.stop()
        fake.terminate()
        if not options.keep_databases:
            asyncio.run(recreate(list(platform.databases.values()), create=False))
    summary = summarise(options, outcome)
    summary["machine"] = machine_info(
        {"postgresql": "psql --version"},
        ("fastapi", "sqlalchemy", "asyncpg", "uvicorn", "aiohttp", "prometheus-client"),
    )
    summary["logs"] = str(workdir)
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    print(text)
    if options.json:
        options.json.write_text(text)


if __name__ == "__main__":
    main()
