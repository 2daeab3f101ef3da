"""The restore drill: back up the directory's database, destroy it, restore it, and find every row again.

On PostgreSQL (CI) through pg_dump/pg_restore, on SQLite through its online backup API, with the real `fne
backup` and `fne restore` commands.
"""

import asyncio
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import fne_directory.models  # noqa: F401  (every table of the directory in Base.metadata)
from fne_cli import backup
from fne_cli.main import app as cli_app
from fne_directory.config import Settings
from fne_directory.database import Base
from fne_directory.main import create_app
from fne_directory.territories.loader import load_communes
from fne_kernel import migrations
from fne_kernel.db import create_engine, session_factory
from fne_kernel.identity import Principal, Role, Scope
from tests.conftest import POSTGRES_URL
from tests.directory.factories import place_payload
from tests.support import identity_header, user_principal


async def fill_directory(url: str, identity_keys: tuple[str, str]) -> None:
    """Places created, changed and withdrawn through the API, and a file imported by the synchronisation."""
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    coordinator = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    importer = identity_header(
        identity_keys[0],
        Principal(kind="api_key", subject="key-1", name="CD73", scopes=frozenset({Scope.SYNC_RUN})),
    )
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
            ids = []
            for name in ("Médiathèque Jean-Jacques Rousseau", "France Services Chambéry", "Espace numérique"):
                created = await client.post(
                    "/lieux", json=place_payload(nom=name, pivot=None), headers=coordinator
                )
                assert created.status_code == 201, created.text
                ids.append(created.json()["id"])

            async def tag(place_id: str) -> dict[str, str]:
                return {"If-Match": (await client.get(f"/lieux/{place_id}")).headers["etag"]}

            changed = await client.patch(
                f"/lieux/{ids[0]}",
                json={"telephone": "04 79 00 00 00"},
                headers=coordinator | await tag(ids[0]),
            )
            assert changed.status_code == 200, changed.text
            withdrawn = await client.delete(f"/lieux/{ids[2]}", headers=coordinator | await tag(ids[2]))
            assert withdrawn.status_code in (200, 204), withdrawn.text
            document = [
                {
                    **place_payload(nom="Tiers-lieu de la Cassine", pivot=None, adresse="Rue de la Cassine"),
                    "id": "drill-1",
                }
            ]
            started = await client.post(
                "/sync/imports", params={"source": "exercice"}, json=document, headers=importer
            )
            assert started.status_code == 202, started.text
            await app.state.sync_tasks[started.json()["id"]]
            job = (await client.get(f"/sync/taches/{started.json()['id']}", headers=importer)).json()
            assert job["statut"] == "reussie", job
    finally:
        await app.state.engine.dispose()


async def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the directory (the schema's version included), in a stable order."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            tables = {
                table.name: sorted(
                    (tuple(row) for row in (await session.execute(select(table))).all()), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
            tables["alembic_version"] = [
                tuple(row) for row in (await session.execute(text("SELECT * FROM alembic_version"))).all()
            ]
            return tables
    finally:
        await engine.dispose()


async def destroy(url: str) -> None:
    """The database gone (a lost disk, a DROP by mistake), then an empty one where it was."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database is not None:
        for path in Path(parsed.database).parent.glob(Path(parsed.database).name + "*"):
            path.unlink()
        return
    server = make_url(POSTGRES_URL)
    connection = await asyncpg.connect(
        host=server.host,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        database="postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE "{parsed.database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await connection.close()


def fne(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli_app, list(args), env={"DIRECTORY_DATABASE_URL": url})


def said(result: Any) -> str:
    """The command's output without the frame drawn around errors."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


async def test_backup_destroy_restore_brings_every_place_version_and_sync_record_back(
    databases, identity_keys, tmp_path: Path
):
    url = await databases.fresh("directory_drill")
    await asyncio.to_thread(migrations.upgrade, "fne_directory", url)
    engine = create_engine(url)
    async with session_factory(engine)() as session, session.begin():
        await load_communes(session)
    await engine.dispose()
    await fill_directory(url, identity_keys)
    before = await every_row(url)
    assert len(before["places"]) == 4 and len(before["place_changes"]) >= 5
    assert before["sync_source_records"] and before["sync_jobs"] and before["sync_field_provenance"]

    done = await asyncio.to_thread(fne, url, "backup", "directory", "--to", str(tmp_path))
    assert done.exit_code == 0, done.output
    [saved] = list(tmp_path.glob("directory-*"))
    assert saved.suffix == (".dump" if databases.backend == "postgresql" else ".db")

    await destroy(url)
    assert (await asyncio.to_thread(fne, url, "restore", "directory", str(saved), "--yes")).exit_code == 0
    after = await every_row(url)
    assert after == before

    # The restored database serves: ready (schema at head), its places readable.
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
        assert (await client.get("/ready")).status_code == 200
        listed = (await client.get("/lieux", params={"size": 50})).json()
        assert {item["nom"] for item in listed["items"]} >= {
            "Médiathèque Jean-Jacques Rousseau",
            "Tiers-lieu de la Cassine",
        }
    await app.state.engine.dispose()


def test_restore_refuses_a_file_of_the_other_kind_or_missing(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'directory.db'}"
    wrong = tmp_path / "directory-20261203T000000Z.dump"
    wrong.write_bytes(b"PGDMP")
    refused = fne(url, "restore", "directory", str(wrong), "--yes")
    assert refused.exit_code == 2 and "n'est pas une sauvegarde sqlite" in said(refused)
    missing = fne(url, "restore", "directory", str(tmp_path / "absent.db"), "--yes")
    assert missing.exit_code == 2 and "n'existe pas" in said(missing)
    assert not (tmp_path / "directory.db").exists()  # nothing was touched


def test_sqlite_backup_is_a_consistent_snapshot_while_a_writer_runs(tmp_path: Path):
    """Each transaction adds one row and moves a balance: any consistent copy has balance == rows."""
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(
            "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT);"
            "CREATE TABLE balance (total INTEGER); INSERT INTO balance VALUES (0);"
        )
    stop = threading.Event()

    def writer() -> None:
        with sqlite3.connect(live, timeout=30) as connection:
            while not stop.is_set():
                with connection:
                    connection.execute("INSERT INTO rows (payload) VALUES (?)", ("x" * 2000,))
                    connection.execute("UPDATE balance SET total = total + 1")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [
            backup.backup("test", f"sqlite+aiosqlite:///{live}", tmp_path / "saved", now=None)
            for _ in range(3)
        ]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = connection.execute("SELECT count(*) FROM rows").fetchone()[0]
            assert connection.execute("SELECT total FROM balance").fetchone()[0] == rows


def test_keep_prunes_the_oldest_backups_of_that_component_only(tmp_path: Path):
    for stamp in ("20261201T000000Z", "20261202T000000Z", "20261203T000000Z"):
        (tmp_path / f"directory-{stamp}.dump").write_bytes(b"")
        (tmp_path / f"surveys-{stamp}.dump").write_bytes(b"")
    removed = backup.prune("directory", tmp_path, keep=2)
    assert [path.name for path in removed] == ["directory-20261201T000000Z.dump"]
    assert len(list(tmp_path.glob("surveys-*"))) == 3


@pytest.mark.skipif(not POSTGRES_URL, reason="needs FNE_TEST_POSTGRES_URL (CI sets it)")
def test_the_password_never_reaches_the_command_line(monkeypatch, tmp_path: Path):
    seen: list[tuple[list[str], dict[str, str]]] = []

    def fake_run(command: list[str], env: dict[str, str]) -> None:
        seen.append((command, env))
        Path(next(part.split("=", 1)[1] for part in command if part.startswith("--file="))).write_bytes(b"")

    monkeypatch.setattr(backup, "_run", fake_run)
    backup.backup("directory", "postgresql+asyncpg://fne:s3cret-pw@db.internal:5432/fne_directory", tmp_path)
    [(command, env)] = seen
    assert "s3cret-pw" not in " ".join(command) and env["PGPASSWORD"] == "s3cret-pw"
    assert command[-1] == "postgresql://fne@db.internal:5432/fne_directory"
