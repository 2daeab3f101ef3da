#!/usr/bin/env python3
"""Checks that directory searches give the same results as another implementation of places/search.py (by
default the one of commit 17f8d0e, before the search plans of issue #18): the same places in the same order,
the same total and the same facet counts, for every query of bench/directory.py's rotation (every département,
every hour of the week) and for searches that exercise each way of reading a page (a kind of place, a service,
no filter, other orders, further pages, pages past the end).

    FNE_BENCH_DATABASE_PREFIX=fne_bench .venv/bin/python bench/directory_search_check.py [--before COMMIT]

Runs on the benchmark's directory database (generate it with bench/directory.py first); reads only. Prints
each difference, each implementation's time per kind of search (median and slowest, one search at a time) and
in all; exits with 1 when any result differs.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import statistics
import subprocess
import sys
import time
import types
import urllib.parse
from typing import Any

from common import REPOSITORY
from directory import DIRECTORY_DB, database_url, directory_facts, query_paths
from directory_sql import as_search

from fne_directory.config import Settings
from fne_directory.places import search as current
from fne_directory.places.vocabulary import SERVICES
from fne_kernel.db import create_engine, session_factory, utcnow

SEARCH_MODULE = "services/directory/fne_directory/places/search.py"


def implementation_at(commit: str) -> types.ModuleType:
    """places/search.py as it was at `commit`, imported beside the current one."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{SEARCH_MODULE}"],
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader(f"fne_directory.places.search_at_{commit}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(source, f"{commit}:{SEARCH_MODULE}", "exec"), module.__dict__)
    return module


def extra_paths(facts: dict[str, Any]) -> list[str]:
    """Searches the rotation lacks: broad filters, no filter, other orders, further pages."""

    def page(**params: Any) -> str:
        return "/api/directory/lieux?" + urllib.parse.urlencode({"size": 20, **params}, doseq=True)

    largest, smallest = facts["departments"][0], facts["departments"][-1]
    found = [page(), page(page=3), page(facettes="true"), page(tri="mise_a_jour"), page(fraicheur="a_jour")]
    for kind in ("BIB", "MSAP", "EPN", "ASSO", "MUNI", "CCAS", "TIERS_LIEUX"):  # generate_places.py's kinds
        found += [
            page(typologie=kind),
            page(typologie=kind, page=4),
            page(typologie=kind, facettes="true"),
            page(typologie=kind, departement=largest),
            page(typologie=kind, tri="mise_a_jour"),
        ]
    for service in SERVICES[:6]:
        found += [
            page(services=service),
            page(services=service, ouvert="true"),
            page(services=service, page=40, size=50),
        ]
    for department in (largest, smallest):
        found += [page(departement=department, page=page_number) for page_number in (1, 2, 50, 200)]
        found += [
            page(departement=department, tri="mise_a_jour"),
            page(departement=department, q="mediatheque"),
            page(departement=department, typologie="BIB", tri="nom"),
        ]
        # Open at a moment in one département: read from its own index (further pages, past the end).
        found += [
            page(departement=department, ouvert="true", page=page_number) for page_number in (2, 40, 500)
        ]
    return found


def as_query_of(module: types.ModuleType, query: Any) -> Any:
    """The query as the other implementation's own PlaceQuery (fields renamed since: `departements`)."""
    fields = {
        name: getattr(query, name) for name in module.PlaceQuery.__dataclass_fields__ if hasattr(query, name)
    }
    if "departements" in module.PlaceQuery.__dataclass_fields__:
        fields["departements"] = query.departments
    return module.PlaceQuery(**fields)


def outcome(found: Any) -> tuple[Any, ...]:
    return (
        [place.id for place, _ in found.places],
        [None if d is None else round(d, 3) for _, d in found.places],
        found.total,
        found.facets,
    )


async def check(before: types.ModuleType, groups: dict[str, list[str]]) -> int:
    engine = create_engine(
        database_url(DIRECTORY_DB),
        server_settings=Settings(database_url="sqlite://").database_server_settings,
    )
    sessions = session_factory(engine)
    now = utcnow()
    differences = 0
    spent = {"before": 0.0, "now": 0.0, "now, facets kept": 0.0}
    kept = current.KeptFacets(10_000, 0)
    timings: dict[tuple[str, str], list[float]] = {}
    paths = [(group, path) for group, values in groups.items() for path in values]
    try:
        for group, path in paths:
            query, offset, limit, with_facets = await as_search(path, now)
            results = {}
            for name, module, keep in (
                ("before", before, None),
                ("now", current, None),
                ("now, facets kept", current, kept),
            ):
                async with sessions() as session:
                    started = time.perf_counter()
                    results[name] = outcome(
                        await module.search(
                            session,
                            query if module is current else as_query_of(module, query),
                            now=now,
                            offset=offset,
                            limit=limit,
                            with_facets=with_facets,
                            kept_facets=keep,
                        )
                    )
                    elapsed = time.perf_counter() - started
                    spent[name] += elapsed
                    timings.setdefault((group, name), []).append(elapsed * 1000)
            for name in ("now", "now, facets kept"):
                if results[name] != results["before"]:
                    differences += 1
                    print(
                        f"DIFFERENT ({name}): {path}\n  before: {results['before'][:3]}\n"
                        f"  {name}: {results[name][:3]}"
                    )
    finally:
        await engine.dispose()
    print(
        "| searches | n | before: median / slowest ms | now: median / slowest ms |\n| --- | ---: | --- | "
        "--- |"
    )
    for group in groups:
        before_ms, now_ms = timings[(group, "before")], timings[(group, "now")]
        print(
            f"| {group} | {len(now_ms)} | {statistics.median(before_ms):.1f} / {max(before_ms):.1f} | "
            f"{statistics.median(now_ms):.1f} / {max(now_ms):.1f} |"
        )
    print(
        f"{len(paths)} searches, {differences} differences; time in all: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items())
    )
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default="17f8d0e")
    parser.add_argument(
        "--only", help="kinds of search compared (comma-separated: text, departement, other…)"
    )
    arguments = parser.parse_args()
    facts = asyncio.run(directory_facts())
    paths, _ = query_paths(facts, random.Random(73), utcnow())
    searches = {
        name: values for name, values in paths.items() if name != "trivial" and not name.startswith("geojson")
    }
    searches["other"] = extra_paths(facts)
    if arguments.only:
        searches = {name: values for name, values in searches.items() if name in arguments.only.split(",")}
    print(
        f"comparing with {SEARCH_MODULE} at {arguments.before}, on {DIRECTORY_DB} ({facts['places']:,} "
        "places)"
    )
    sys.exit(1 if asyncio.run(check(implementation_at(arguments.before), searches)) else 0)


if __name__ == "__main__":
    main()
