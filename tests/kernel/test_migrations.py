import asyncio

import pytest
from sqlalchemy import inspect

from fne_kernel import migrations
from fne_kernel.db import create_engine

PACKAGES = ["fne_gateway", "fne_directory", "fne_observatory", "fne_surveys"]


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("package", PACKAGES)
async def test_migrations_upgrade_downgrade_and_upgrade_again(databases, package: str):
    url = await databases.fresh(f"migrations_{package}")
    await asyncio.to_thread(migrations.upgrade, package, url)
    upgraded = await table_names(url)
    assert "alembic_version" in upgraded
    await asyncio.to_thread(migrations.downgrade, package, url, "base")
    assert await table_names(url) <= {"alembic_version"}
    await asyncio.to_thread(migrations.upgrade, package, url)
    assert await table_names(url) == upgraded


def test_every_revision_file_name_starts_with_its_date():
    from importlib.resources import files

    for package in PACKAGES:
        for path in (files(package) / "migrations" / "versions").iterdir():
            if path.name.endswith(".py"):
                assert path.name[:8].isdigit() and path.name[8] == "_", path.name
