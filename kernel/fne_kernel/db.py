"""Async engine and sessions: one session per request, committed or rolled back by the dependency."""

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import orjson
from fastapi import Depends
from sqlalchemy import JSON, DateTime, Dialect, MetaData, Text, TypeDecorator, event, exc
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeEngine
from starlette.applications import Starlette
from starlette.requests import Request

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class KernelBase(DeclarativeBase):
    """Services subclass this with their own MetaData (each service owns its own database)."""

    __abstract__ = True


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    foreign_keys: bool = True,
    server_settings: dict[str, str] | None = None,
) -> AsyncEngine:
    """`server_settings`: PostgreSQL run-time parameters set on each connection.

    `foreign_keys=False` is for migrations: SQLite alters a table by copying it, and dropping the old copy
    with foreign keys enforced would cascade to the rows of every table that references it."""
    # JSON columns through orjson: the same documents, several times faster to read and write.
    options: dict[str, Any] = {"echo": echo, "json_deserializer": orjson.loads, "json_serializer": json_text}
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": 30}
    else:
        options["pool_size"] = pool_size
        if server_settings:
            options["connect_args"] = {"server_settings": server_settings}
    engine = create_async_engine(url, **options)
    if is_sqlite(url):
        _fix_sqlite_transactions(engine, foreign_keys)
    else:
        _replace_closed_connections(engine)
    return engine


def _replace_closed_connections(engine: AsyncEngine) -> None:
    """A pooled connection that the server closed (restart, termination, idle timeout) is replaced at
    checkout.

    The driver notices a closed socket as it happens, so checking costs nothing; SQLAlchemy's pre-ping would
    cost three round trips (BEGIN, a query, ROLLBACK) on every request."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise exc.DisconnectionError("connection closed by the server")


def json_text(value: Any) -> str:
    """JSON text as the services' JSON columns store it (orjson: compact, UTF-8)."""
    return orjson.dumps(value).decode()


def _fix_sqlite_transactions(engine: AsyncEngine, foreign_keys: bool) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINTs (used by the tests) and ignores FKs.

    The SQLAlchemy documentation's recipe: let SQLAlchemy emit BEGIN itself.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that will write takes the write lock at once (waiting up to the busy timeout): one
        # that read first and wrote later would fail at once, "database is locked", when another wrote
        # meanwhile.
        immediate = connection.get_execution_options().get(WRITES_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


WRITES_OPTION = "fne_writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_write_locks: "weakref.WeakKeyDictionary[Any, dict[Any, asyncio.Lock]]" = weakref.WeakKeyDictionary()


def sqlite_write_lock(engine: AsyncEngine) -> asyncio.Lock | None:
    """The lock that queues this process's writers to an SQLite database (None for other databases).

    SQLite takes one writer at a time: waiting in SQLite's busy handler means polling from a thread per
    waiting request; an asyncio lock queues them in arrival order and at no cost, and the write transaction
    then begins with `BEGIN IMMEDIATE`, which waits out writers of other processes (the command line, a second
    replica) up to the busy timeout. Reads are never queued (WAL: readers see the last commit while a writer
    writes)."""
    if engine.dialect.name != "sqlite":
        return None
    per_loop = _write_locks.setdefault(engine.sync_engine, {})
    loop = asyncio.get_running_loop()
    lock = per_loop.get(loop)
    if lock is None:
        per_loop.clear()  # a lock belongs to one event loop; an engine outlives a test's loop
        lock = per_loop[loop] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for work that writes (a request other than a read, a background job): on SQLite it waits
    its turn and holds the write lock from its first statement to its end."""
    engine = sessions.kw.get("bind")
    # Bound to one connection (the tests' rolled-back transaction), there is nothing to queue.
    lock = sqlite_write_lock(engine) if isinstance(engine, AsyncEngine) else None
    if lock is None:
        async with sessions() as session:
            yield session
        return
    async with lock, sessions() as session:
        await session.connection(execution_options={WRITES_OPTION: True})
        yield session


def app_sessions(app: Starlette) -> async_sessionmaker[AsyncSession]:
    """The app's session factory, which its factory keeps on `app.state` (tests swap it for rolled-back
    sessions): background jobs, which have no request, read it here."""
    return cast(async_sessionmaker[AsyncSession], app.state.sessions)


async def get_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    """Request dependency for work that outlives the request's own session (streamed exports, jobs)."""
    return app_sessions(request.app)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Request dependency: services only flush(); this commits on success and rolls back on any error.
    Requests that may write go through `write_session` (queued per SQLite database)."""
    sessions = app_sessions(request.app)
    opened = sessions() if request.method in SAFE_METHODS else write_session(sessions)
    async with opened as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
            for callback in session.info.pop("after_commit", ()):
                callback()


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Runs `callback` once the request's transaction is committed (e.g. to evict a cache entry)."""
    session.info.setdefault("after_commit", []).append(callback)


# "function" scope: the commit happens before the response is sent, so a failed commit is never reported as
# success.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend (SQLite stores naive text and would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StringList(TypeDecorator[list[str]]):
    """A list of strings: `text[]` on PostgreSQL (array operators, GIN indexes), JSON on SQLite."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(Text))
        return dialect.type_descriptor(JSON())


class UTCIntervals(TypeDecorator[list[tuple[datetime, datetime]]]):
    """Half-open UTC time intervals: a `tstzmultirange` on PostgreSQL (`@>` tests a moment within the row), a
    JSON list of [start, end] texts elsewhere, all in one UTC format so that they compare as the moments do
    (`utc_text`)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TSTZMULTIRANGE())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value: list[tuple[datetime, datetime]] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return [postgresql.Range(start, end, bounds="[)") for start, end in value]
        return [[utc_text(start), utc_text(end)] for start, end in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[tuple[datetime, datetime]] | None:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return [(interval.lower, interval.upper) for interval in value]
        return [(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in value]


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def utcnow() -> datetime:
    return datetime.now(UTC)
