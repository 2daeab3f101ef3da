"""Surveys benchmark: submissions of a 20-question questionnaire through the gateway, and the aggregation of
stored answers by commune × dimension for the observatory. Loopback only; everything it starts, it stops.

    .venv/bin/python bench/surveys.py                 # 100,000 submissions, 1,000,000 answers
    .venv/bin/python bench/surveys.py --submissions 300 --answers 20000  # a quick check of the script
    .venv/bin/python bench/surveys.py --nice -15      # as root: the CPU first to the benchmark

It creates a fresh PostgreSQL database (FNE_BENCH_POSTGRES_URL, default
postgresql+asyncpg://postgres@127.0.0.1:5432), migrates it, runs the surveys service and the gateway as
separate processes on free ports, creates an API key with `fne api-key create`, publishes the questionnaire
and a campaign through the API, then:

1. submissions: `--submissions` complete responses (each a new beneficiary, with its own Idempotency-Key) sent
   by `--concurrency` client connections (aiohttp, in this process) to POST /api/surveys/reponses; reports
   responses/s, latency percentiles, any non-201 answer, and the CPU milliseconds per submission of the
   service, the gateway, this load generator, PostgreSQL's backends of the database and the rest of the
   machine;
2. aggregation: stores `--answers` answers (responses of 20 answers each, with their scores) straight into the
   database, then times GET /api/surveys/agregats by commune over the 8 dimensions (median of each): the first
   request of a surveys process (`--cold-rounds`: the first request, then after restarts), the first after
   one more response was stored (`--changed-rounds`), and the same request repeated (`--rounds`: the service
   keeps the protected figures until the answers change).

Goals of issue #5: ≥ 300 responses/s with p95 ≤ 100 ms; aggregation ≤ 2 s. Figures go to docs/benchmarks.md.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from common import AUTOGROUP, cpu_seconds, free_port, machine_busy_seconds, machine_info, set_priority
from sqlalchemy import insert
from sqlalchemy.engine import make_url

QUESTIONS = 20
# FNE_TEST_RUN_ID keeps two engineers' runs on one server apart.
RUN_ID = os.environ.get("FNE_TEST_RUN_ID")
DATABASE = "fne_bench_surveys" + (f"_{RUN_ID}" if RUN_ID else "")
AXES = (
    "equipement",
    "internet",
    "communiquer",
    "demarches",
    "securite",
    "documents",
    "consommer",
    "esprit_critique",
)


def savoie_communes() -> list[str]:
    """The Savoie's communes (the service refuses unknown INSEE codes)."""
    from fne_surveys.territories import communes

    return sorted(code for code in communes() if code.startswith("73"))


def questionnaire() -> dict[str, Any]:
    """20 questions on the toile's 1–4 scale, two or three per axis, each scored on its axis."""
    questions = [
        {
            "key": f"q{number:02d}",
            "type": "scale",
            "minimum": 1,
            "maximum": 4,
            "required": True,
            "label": {"fr": f"Question {number}"},
        }
        for number in range(1, QUESTIONS + 1)
    ]
    rules = [
        {
            "question": f"q{number:02d}",
            "dimension": f"toile-capacites/{AXES[(number - 1) % len(AXES)]}",
            "kind": "value",
        }
        for number in range(1, QUESTIONS + 1)
    ]
    return {
        "code": "bench-20",
        "title": {"fr": "Banc d'essai, 20 questions"},
        "questions": questions,
        "scoring": {"version": "1", "frameworks": {"toile-capacites": "2026-1"}, "rules": rules},
    }


class Platform:
    """The surveys service and the gateway, as `fne up` runs them, on a throw-away directory."""

    def __init__(self, database_url: str, workers: int, directory: Path, connections: int) -> None:
        self.directory = directory
        self.ports = {"gateway": free_port(), "surveys": free_port()}
        self.processes: list[subprocess.Popen[bytes]] = []
        keys = directory / "identity"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GATEWAY_", "SURVEYS_", "DIRECTORY_", "OBSERVATORY_"))
        }
        self.env |= {
            "SURVEYS_DATABASE_URL": database_url,
            "SURVEYS_PSEUDONYM_KEY": uuid.uuid4().hex * 2,
            "SURVEYS_IDENTITY_PUBLIC_KEY": str(keys / "identity-public.pem"),
            "SURVEYS_ACCESS_LOG": "false",
            "SURVEYS_LOG_LEVEL": "WARNING",
            "SURVEYS_INSTALL_SHIPPED_QUESTIONNAIRES": "false",
            # As many pooled connections as requests in flight: beyond its pool, SQLAlchemy opens a connection
            # per request and closes it after (a connection costs more than the submission).
            "SURVEYS_DATABASE_POOL_SIZE": str(max(10, connections)),
            "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'gateway.db'}",
            "GATEWAY_IDENTITY_PRIVATE_KEY": str(keys / "identity-private.pem"),
            "GATEWAY_ACCESS_LOG": "false",
            "GATEWAY_LOG_LEVEL": "WARNING",
            "GATEWAY_SURVEYS_URL": f"http://127.0.0.1:{self.ports['surveys']}",
            "GATEWAY_RATE_LIMIT_AUTHENTICATED_PER_MINUTE": "100000000",
            "GATEWAY_FRONTEND_DIR": str(directory),
        }
        self.workers = workers
        self.fne("keys", "--directory", str(keys))
        self.fne("migrate", "surveys", "gateway")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def fne(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "fne_cli", *args],
            env=self.env,
            cwd=self.directory,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"fne {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def start(self) -> None:
        for name, workers in (("surveys", self.workers), ("gateway", 1)):
            self.processes.append(self.serve(name, workers))

    def serve(self, name: str, workers: int) -> subprocess.Popen[bytes]:
        log = open(self.directory / "platform.log", "ab")
        port, count = str(self.ports[name]), str(workers)
        return subprocess.Popen(
            [sys.executable, "-m", "fne_cli", "serve", name, "--port", port, "--workers", count],
            env=self.env,
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def restart_surveys(self) -> None:
        """A new surveys process: nothing kept in memory from earlier requests."""
        self.processes[0].terminate()
        self.processes[0].wait(timeout=15)
        self.processes[0] = self.serve("surveys", self.workers)
        asyncio.run(self.wait_ready())

    async def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as client:
            while time.monotonic() < deadline:
                try:
                    async with client.get(f"{self.url}/api/health") as response:
                        body = await response.json()
                        if body["services"]["surveys"].get("ready"):
                            return
                except (aiohttp.ClientError, KeyError, ValueError):
                    pass
                if any(process.poll() is not None for process in self.processes):
                    raise RuntimeError((self.directory / "platform.log").read_text()[-3000:])
                await asyncio.sleep(0.3)
        raise TimeoutError("platform not ready")

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by the surveys service (its workers included) and by the gateway."""

        def tree(pid: int) -> list[int]:
            children = (
                [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
                if Path(f"/proc/{pid}/task/{pid}/children").exists()
                else []
            )
            return [pid, *(found for child in children for found in tree(child))]

        return {
            name: sum(cpu_seconds(pid) for pid in tree(process.pid))
            for name, process in zip(("surveys", "gateway"), self.processes, strict=True)
        }

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def fresh_database(server_url: str, name: str, keep: bool = False) -> Iterator[str]:
    server = make_url(server_url)

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(
            host=server.host,
            port=server.port or 5432,
            user=server.username or "postgres",
            password=server.password,
            database="postgres",
        )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server_url.rstrip('/')}/{name}"
    finally:
        if not keep:
            asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def prepare(client: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> str:
    async def call(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        async with client.request(method, url + path, json=body, headers=headers) as response:
            if response.status >= 300:
                raise RuntimeError(f"{method} {path}: {response.status} {await response.text()}")
            return await response.json()

    draft = await call("POST", "/api/surveys/questionnaires", questionnaire())
    await call("POST", f"/api/surveys/questionnaires/{draft['id']}/publication")
    campaign = await call(
        "POST",
        "/api/surveys/campagnes",
        {"nom": "Banc d'essai", "questionnaire_id": draft["id"], "mode": "mediator"},
    )
    return campaign["id"]


def percentile(values: list[float], rank: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(rank / 100 * (len(ordered) - 1)))]


def database_cpu(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving the benchmark's database (this machine's server)."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = entry.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            found[int(entry.parent.name)] = cpu_seconds(int(entry.parent.name))
    return found


async def submissions(platform: Platform, key: str, total: int, concurrency: int) -> dict[str, Any]:
    url = platform.url
    headers = {"authorization": f"Bearer {key}"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as client:
        campaign_id = await prepare(client, url, headers)
        generator = random.Random(5)
        places = savoie_communes()
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        client_errors = [0]
        remaining = iter(range(total))

        async def worker() -> None:
            for number in remaining:
                body = {
                    "campagne_id": campaign_id,
                    "code_beneficiaire": f"BENCH-{number}",
                    "terminer": True,
                    "consentement": {"donne": True},
                    "attributs": {"commune": generator.choice(places), "tranche_age": "45_59"},
                    "valeurs": {
                        f"q{index:02d}": generator.randint(1, 4) for index in range(1, QUESTIONS + 1)
                    },
                }
                key_headers = headers | {"idempotency-key": str(uuid.uuid4())}
                started = time.perf_counter()
                for _attempt in range(2):
                    try:
                        async with client.post(
                            f"{url}/api/surveys/reponses", json=body, headers=key_headers
                        ) as response:
                            await response.read()
                            status = response.status
                        break
                    except aiohttp.ClientError:
                        # A kept-alive connection closed by the server as it was reused: the same
                        # Idempotency-Key makes the retry safe (a 409 tells that the first attempt had
                        # arrived).
                        status = 599
                        client_errors[0] += 1
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        database_before = database_cpu(DATABASE)
        load_before, cpu_before = os.getloadavg()[0], platform.cpu()
        client_before, busy_before = time.process_time(), machine_busy_seconds()
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        cpu_after, client_after, busy_after = platform.cpu(), time.process_time(), machine_busy_seconds()
        database_after = database_cpu(DATABASE)
    per_submission = {
        name: round((cpu_after[name] - cpu_before[name]) / total * 1000, 2) for name in cpu_after
    }
    per_submission["load_generator"] = round((client_after - client_before) / total * 1000, 2)
    # Backends that ended during the run are missed (the pool keeps its connections: few, if any).
    per_submission["postgresql"] = round(
        sum(spent - database_before.get(pid, 0.0) for pid, spent in database_after.items()) / total * 1000, 2
    )
    # The rest of the machine's CPU: PostgreSQL's own processes (WAL writer…), and whatever else ran
    # meanwhile.
    per_submission["everything_else"] = round(
        (busy_after - busy_before) / total * 1000 - sum(per_submission.values()), 2
    )
    return {
        "submissions": total,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "cpu_ms_per_submission": per_submission,
        "responses_per_second": round(total / elapsed, 1),
        **{f"p{rank}_ms": round(percentile(latencies, rank), 1) for rank in (50, 95, 99)},
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "connection_errors_retried": client_errors[0],
    }


async def store_answers(database_url: str, answers: int) -> dict[str, Any]:
    """Responses of 20 answers with their 8 scores, written in bulk (the measure is the read, not this)."""
    from sqlalchemy import select

    from fne_kernel.db import create_engine, session_factory
    from fne_surveys.campaigns.models import Campaign
    from fne_surveys.questionnaires.models import Questionnaire
    from fne_surveys.responses.models import Respondent, Response, ResponseScore

    engine = create_engine(database_url)
    generator = random.Random(7)
    places = savoie_communes()
    started = time.perf_counter()
    responses = answers // QUESTIONS
    async with session_factory(engine)() as session, session.begin():
        campaign = await session.scalar(select(Campaign).limit(1))
        questionnaire_id = await session.scalar(
            select(Questionnaire.id).where(Questionnaire.code == "bench-20")
        )
        assert campaign is not None and questionnaire_id is not None
        now = datetime.now(UTC)
        batch = 2000
        for first in range(0, responses, batch):
            people, filled, scores = [], [], []
            for _ in range(min(batch, responses - first)):
                respondent_id, response_id = str(uuid.uuid4()), str(uuid.uuid4())
                done = now - timedelta(days=generator.randint(0, 700))
                people.append(
                    {
                        "id": respondent_id,
                        "pseudonym": uuid.uuid4().hex * 2,
                        "created_at": done,
                        "commune_code": generator.choice(places),
                    }
                )
                values = {f"q{index:02d}": generator.randint(1, 4) for index in range(1, QUESTIONS + 1)}
                filled.append(
                    {
                        "id": response_id,
                        "campaign_id": campaign.id,
                        "questionnaire_id": questionnaire_id,
                        "respondent_id": respondent_id,
                        "phase": generator.choice(("pre", "post")),
                        "status": "completed",
                        "source": "mediator",
                        "answers": values,
                        "version": 1,
                        "started_at": done,
                        "updated_at": done,
                        "completed_at": done,
                    }
                )
                for axis_index, axis in enumerate(AXES):
                    points = [
                        values[f"q{index:02d}"] - 1
                        for index in range(axis_index + 1, QUESTIONS + 1, len(AXES))
                    ]
                    percent = round(sum(points) / (3 * len(points)) * 100, 2)
                    scores.append(
                        {
                            "response_id": response_id,
                            "framework": "toile-capacites",
                            "dimension": axis,
                            "framework_version": "2026-1",
                            "scoring_version": "bench-20@1/1",
                            "raw": float(sum(points)),
                            "maximum": 3.0 * len(points),
                            "percent": percent,
                            "level": 1 + (percent >= 16.67) + (percent >= 50) + (percent >= 83.34),
                            "items": len(points),
                        }
                    )
            await session.execute(insert(Respondent), people)
            await session.execute(insert(Response), filled)
            await session.execute(insert(ResponseScore), scores)
        await session.execute(__import__("sqlalchemy").text("ANALYZE"))
    await engine.dispose()
    return {
        "answers": responses * QUESTIONS,
        "responses": responses,
        "scores": responses * len(AXES),
        "load_seconds": round(time.perf_counter() - started, 1),
    }


async def one_more_response(database_url: str, serial: int) -> None:
    """A new completed response with its scores, as a submission would store it: the answers changed."""
    from sqlalchemy import select

    from fne_kernel.db import create_engine, session_factory
    from fne_surveys.campaigns.models import Campaign
    from fne_surveys.responses.models import Respondent, Response, ResponseScore

    engine = create_engine(database_url)
    generator = random.Random(1000 + serial)
    async with session_factory(engine)() as session, session.begin():
        campaign = await session.scalar(select(Campaign).limit(1))
        assert campaign is not None
        now, respondent_id, response_id = datetime.now(UTC), str(uuid.uuid4()), str(uuid.uuid4())
        await session.execute(
            insert(Respondent),
            [
                {
                    "id": respondent_id,
                    "pseudonym": uuid.uuid4().hex * 2,
                    "created_at": now,
                    "commune_code": generator.choice(savoie_communes()),
                }
            ],
        )
        values = {f"q{index:02d}": generator.randint(1, 4) for index in range(1, QUESTIONS + 1)}
        await session.execute(
            insert(Response),
            [
                {
                    "id": response_id,
                    "campaign_id": campaign.id,
                    "questionnaire_id": campaign.questionnaire_id,
                    "respondent_id": respondent_id,
                    "phase": "pre",
                    "status": "completed",
                    "source": "mediator",
                    "answers": values,
                    "version": 1,
                    "started_at": now,
                    "updated_at": now,
                    "completed_at": now,
                }
            ],
        )
        await session.execute(
            insert(ResponseScore),
            [
                {
                    "response_id": response_id,
                    "framework": "toile-capacites",
                    "dimension": axis,
                    "framework_version": "2026-1",
                    "scoring_version": "bench-20@1/1",
                    "raw": 1.0,
                    "maximum": 6.0,
                    "percent": 16.67,
                    "level": 1,
                    "items": 2,
                }
                for axis in AXES
            ],
        )
    await engine.dispose()


async def timed_aggregation(platform: Platform, database: str, key: str) -> tuple[float, float, float, int]:
    """One GET /agregats by commune: wall seconds, and the CPU seconds it cost the surveys service and
    PostgreSQL's backends (which a loaded machine does not inflate as it does the wall time); cells."""
    before, backends = platform.cpu()["surveys"], database_cpu(database)
    async with aiohttp.ClientSession() as client:
        started = time.perf_counter()
        async with client.get(
            f"{platform.url}/api/surveys/agregats",
            headers={"authorization": f"Bearer {key}"},
            params={"referentiel": "toile-capacites", "territoire": "commune", "periode": "annee"},
        ) as response:
            body = await response.json()
            if response.status != 200:
                raise RuntimeError(f"agregats: {response.status} {body}")
        elapsed = time.perf_counter() - started
    after = database_cpu(database)
    postgres = sum(after[pid] - backends.get(pid, 0.0) for pid in after)
    return elapsed, platform.cpu()["surveys"] - before, postgres, len(body["cellules"])


def summary(timings: list[tuple[float, float, float, int]]) -> dict[str, Any]:
    return {
        "rounds": len(timings),
        "seconds": [round(timing[0], 3) for timing in timings],
        "median_seconds": round(statistics.median(timing[0] for timing in timings), 3),
        "max_seconds": round(max(timing[0] for timing in timings), 3),
        "median_cpu_seconds": {
            "surveys": round(statistics.median(timing[1] for timing in timings), 3),
            "postgresql": round(statistics.median(timing[2] for timing in timings), 3),
        },
        "cells": timings[-1][3],
    }


def aggregation(
    platform: Platform, database_url: str, key: str, rounds: int, cold_rounds: int, changed_rounds: int
) -> dict[str, Any]:
    """GET /agregats by commune, timed three ways: the first request of a new surveys process (nothing kept:
    `cold_rounds`, each after a restart), the first after one more response was stored (`changed_rounds`),
    and the same request again (`rounds`; the first of them follows the last changed round)."""
    database = make_url(database_url).database or DATABASE
    found: dict[str, Any] = {"load_average_before": round(os.getloadavg()[0], 2)}
    first: list[tuple[float, float, float, int]] = []
    for round_number in range(cold_rounds):
        if round_number:
            platform.restart_surveys()
        first.append(asyncio.run(timed_aggregation(platform, database, key)))
    changed = []
    for serial in range(changed_rounds):
        asyncio.run(one_more_response(database_url, serial))
        changed.append(asyncio.run(timed_aggregation(platform, database, key)))
    again = [asyncio.run(timed_aggregation(platform, database, key)) for _ in range(rounds)]
    for name, timings in (("first_request", first), ("after_new_response", changed), ("repeated", again)):
        if timings:
            found[name] = summary(timings)
    found["load_average_after"] = round(os.getloadavg()[0], 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--answers", type=int, default=1_000_000, help="stored answers for the aggregation")
    parser.add_argument("--rounds", type=int, default=5, help="aggregations repeated, the answers unchanged")
    parser.add_argument(
        "--cold-rounds",
        type=int,
        default=3,
        help="aggregations by a new surveys process (the first one is the first request; then restarts)",
    )
    parser.add_argument(
        "--changed-rounds", type=int, default=3, help="aggregations each after one more response is stored"
    )
    parser.add_argument("--workers", type=int, default=1, help="surveys service processes")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FNE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="leave the database (and its million answers) at the end, e.g. to profile the aggregation",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run at this priority (e.g. -15, as root) so that other work on the machine gets the "
        "CPU the benchmark leaves idle (PostgreSQL's backends are the server's: not reniced)",
    )
    options = parser.parse_args()
    autogroup_nice = set_priority(options.nice) if options.nice else None

    directory = Path(tempfile.mkdtemp(prefix="fne-bench-surveys-"))
    platform: Platform | None = None

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        with fresh_database(options.postgres_url, DATABASE, options.keep_database) as database_url:
            platform = Platform(database_url, options.workers, directory, options.concurrency)
            key = (
                platform.fne(
                    "api-key", "create", "bench", "--scope", "surveys:write", "--scope", "surveys:read"
                )
                .strip()
                .splitlines()[-1]
            )
            platform.start()
            asyncio.run(platform.wait_ready())
            figures: dict[str, Any] = {
                "machine": machine_info({}, ("fastapi", "sqlalchemy", "asyncpg", "uvicorn"))
            }
            print(json.dumps({"machine": figures["machine"]}, indent=2), flush=True)
            figures["submissions"] = asyncio.run(
                submissions(platform, key, options.submissions, options.concurrency)
            )
            print(json.dumps({"submissions": figures["submissions"]}, indent=2), flush=True)
            figures["stored"] = asyncio.run(store_answers(database_url, options.answers))
            figures["aggregation"] = aggregation(
                platform, database_url, key, options.rounds, options.cold_rounds, options.changed_rounds
            )
            print(json.dumps({key: figures[key] for key in ("stored", "aggregation")}, indent=2), flush=True)
            if options.json:
                options.json.write_text(json.dumps(figures, indent=2))
    finally:
        if platform is not None:
            platform.stop()
        shutil.rmtree(directory, ignore_errors=True)
        if autogroup_nice is not None:
            AUTOGROUP.write_text(str(autogroup_nice))


if __name__ == "__main__":
    main()
