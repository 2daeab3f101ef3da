#!/usr/bin/env python3
"""Merging benchmark: the held-out scenario of tests/sync/scenario.py (real places of Savoie, data·inclusion's
dora, mediation-numerique and soliguide records with its `doublons` hints, Mednum73 entries, and the
difficulties the issue lists) served by the fakes of the real APIs, synchronised by the real connectors into a
fresh directory database: pairwise precision and recall across sources, inside data·inclusion and overall,
automatically and if a coordinator accepted every review, the review queue, and the time each run took.

    .venv/bin/python bench/linkage.py                        # seeds 73, 2026, 5, 11 on SQLite
    .venv/bin/python bench/linkage.py --copies 8 --seeds 73  # a larger directory (8 × the scenario)
    .venv/bin/python bench/linkage.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sync import fresh_database


async def one(seed: int, copies: int, database_url: str | None, scratch: Path) -> dict[str, Any]:

    from fne_directory.config import Settings
    from fne_directory.sync import service, sources
    from fne_directory.territories.loader import load_communes
    from fne_kernel import migrations
    from fne_kernel.db import create_engine, session_factory
    from tests.sync.fakes import FakeSource, data_inclusion_app, serve, yeswiki_app
    from tests.sync.scenario import generate
    from tests.sync.test_scenario import departement_communes, measured

    url = await fresh_database(database_url, scratch, "fne_bench_linkage")
    await asyncio.to_thread(migrations.upgrade, "fne_directory", url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await load_communes(session)
    async with sessions() as session:
        scenario = generate(
            await departement_communes(session, "73"),
            await departement_communes(session, "74"),
            seed=seed,
            copies=copies,
        )
    di, wiki = FakeSource(), FakeSource()
    di.records = {"structures": scenario.structures, "services": scenario.services}
    wiki.records = {"entries": scenario.entries}
    runners = []
    for state, app in ((di, data_inclusion_app(di, "bench")), (wiki, yeswiki_app(wiki, "1"))):
        runner, state.url = await serve(app)
        runners.append(runner)
    settings = Settings(
        database_url=url,
        sync_scheduler=False,
        sync_page_size=1000,
        sync_data_inclusion_url=di.url,
        sync_data_inclusion_token="bench",
        sync_mednum73_url=wiki.url + "/",
        sync_mednum73_form_id="1",
    )
    timings = {}
    try:
        for source in ("data-inclusion", "mednum73"):
            connector = sources.connector_for(settings, source)
            async with sessions() as session, session.begin():
                job = await service.start_job(session, source, "cli", "bench")
            started = time.perf_counter()
            job = await service.execute_run(sessions, settings, job, connector)
            timings[source] = {
                "seconds": round(time.perf_counter() - started, 2),
                "status": job.status,
                "counts": dict(job.counts),
            }
        async with sessions() as session:
            figures = await measured(session, scenario)
    finally:
        for runner in runners:
            await runner.cleanup()
        await engine.dispose()
    return {
        "seed": seed,
        "copies": copies,
        "structures": len(scenario.structures),
        "entries": len(scenario.entries),
        "database": engine.dialect.name,
        **figures,
        "runs": timings,
    }


def line(result: dict[str, Any]) -> str:
    automatic, reviewed = result["automatic"], result["after_review"]

    def pr(figures: dict[str, Any]) -> str:
        return f"{figures['precision']} / {figures['recall']}"

    return (
        f"| {result['seed']} × {result['copies']} | {result['records']} | {result['real_places']} | "
        f"{automatic['places']} | {pr(automatic['across'])} | {pr(automatic['within_di'])} | "
        f"{pr(automatic['all'])} | {pr(reviewed['all'])} | {result['review_queue']} "
        f"({100 * result['review_queue'] / result['records']:.1f} %) | "
        f"{result['runs']['data-inclusion']['seconds']} + {result['runs']['mednum73']['seconds']} s |"
    )


async def main(options: argparse.Namespace) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        "| seed × copies | records | real places | published | across P / R | inside data·inclusion P / R "
        "| all P / R | all, reviews accepted P / R | review queue | sync time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for seed in options.seeds:
        with tempfile.TemporaryDirectory(prefix="fne-bench-linkage-") as scratch:
            result = await one(seed, options.copies, options.database_url, Path(scratch))
        print(line(result))
        if options.json:
            print(json.dumps(result, ensure_ascii=False))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[73, 2026, 5, 11])
    parser.add_argument(
        "--copies", type=int, default=1, help="the scenario this many times, on other real places"
    )
    parser.add_argument(
        "--database-url", help="PostgreSQL server URL; default: SQLite in a temporary directory"
    )
    parser.add_argument("--json", action="store_true", help="also print every figure as JSON")
    asyncio.run(main(parser.parse_args()))
