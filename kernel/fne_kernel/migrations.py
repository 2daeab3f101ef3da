"""Alembic, per service: each service package keeps its migrations in `<package>/migrations`."""

import asyncio
from importlib.resources import files
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData

from fne_kernel.db import create_engine

# Dated revision file names, so the history reads in order in a file listing.
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(slug)s_%%(rev)s"


def alembic_config(package: str, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files(package) / "migrations"))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.attributes["url"] = url
    return config


def head_revisions(package: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(package)).get_heads())


def known_revisions(package: str) -> set[str]:
    """Every revision this code knows: a database at a revision outside it was migrated by a newer release."""
    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config(package)).walk_revisions()
    }


def current_revisions(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(package: str, url: str, revision: str = "head") -> None:
    """Blocking: for the command line and start-up, not for a running event loop."""
    command.upgrade(alembic_config(package, url), revision)


def downgrade(package: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(package, url), revision)


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py."""
    config = context.config

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    connection: Any = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return

    async def run_async() -> None:
        engine = create_engine(config.attributes["url"], foreign_keys=False)
        try:
            async with engine.begin() as async_connection:
                await async_connection.run_sync(run)
        finally:
            await engine.dispose()

    asyncio.run(run_async())
