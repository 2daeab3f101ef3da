"""`fne backup` / `fne restore`: one component's database to a file and back (docs/operations.md).

PostgreSQL: `pg_dump --format=custom` (compressed, restorable table by table) and `pg_restore --clean
--single-transaction` (all or nothing: a failed restore leaves the database as it was). The password goes to
the tools through PGPASSWORD, never on their command line. These are logical copies, for one component, a
migration to another server or a drill; production's continuous archiving with point-in-time recovery is the
operator's (deploy/kubernetes/postgres-cluster.yaml).

SQLite (the one-machine default): SQLite's online backup API copies a consistent snapshot while the services
keep running and writing; a restore writes the copy back through the same API, so the database file is never
seen half-written.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_SUFFIX, POSTGRES_SUFFIX = ".db", ".dump"
_STAMP = re.compile(r"-\d{8}T\d{6}Z\.(db|dump)$")


class BackupError(Exception):
    """What went wrong, said to the operator in French."""


def _backend(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"base de données non prise en charge : {backend}")
    return backend


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URL of a SQLAlchemy one (without its password) and the environment carrying the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    query = {"sslmode": "require"} if parsed.query.get("ssl") in ("require", "true") else {}
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=query,
    )
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("base SQLite en mémoire : rien à sauvegarder")
    return Path(database)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} est introuvable : installez les outils clients de PostgreSQL "
            "(paquet postgresql-client), de la même version majeure que le serveur ou plus récente"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} a échoué : {done.stderr.strip()[-2000:]}")


def backup(component: str, url: str, directory: Path, now: datetime | None = None) -> Path:
    """Copies the component's database into `directory`, in a file named after it and the time (UTC)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(parents=True, exist_ok=True)
    if _backend(url) == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"{source} n'existe pas")
        target = directory / f"{component}-{stamp}{SQLITE_SUFFIX}"
        partial = target.with_suffix(".partial")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(partial) as copy:
            live.backup(copy)  # pages copied in one pass, restarted if a writer changes them meanwhile
        partial.rename(target)
        return target
    target = directory / f"{component}-{stamp}{POSTGRES_SUFFIX}"
    libpq, env = _libpq(url)
    partial = target.with_suffix(".partial")
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", libpq],
        env,
    )
    partial.rename(target)
    return target


def restore(url: str, file: Path) -> None:
    """Replaces the database's content with the backup's (the services of that component stopped)."""
    if not file.is_file():
        raise BackupError(f"{file} n'existe pas")
    backend = _backend(url)
    expected = SQLITE_SUFFIX if backend == "sqlite" else POSTGRES_SUFFIX
    if file.suffix != expected:
        raise BackupError(f"{file.name} n'est pas une sauvegarde {backend} (fichier {expected} attendu)")
    if backend == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as saved:
            if saved.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{file.name} est endommagée (PRAGMA integrity_check)")
            with sqlite3.connect(target) as live:
                saved.backup(live)
        return
    libpq, env = _libpq(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={libpq}",
            str(file),
        ],
        env,
    )


def prune(component: str, directory: Path, keep: int) -> list[Path]:
    """Removes all but the `keep` most recent backups of the component in `directory`; returns those
    removed."""
    found = sorted(path for path in directory.glob(f"{component}-*") if _STAMP.search(path.name))
    removed = found[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
