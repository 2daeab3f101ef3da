"""The migration from the tag and interval tables to columns of places carries every place's filters and
words over, both ways, and leaves the audit trail alone."""

import asyncio
import json
from datetime import UTC, date, datetime

from sqlalchemy import text

from fne_kernel import migrations
from fne_kernel.db import create_engine

PLACE = {
    "id": "p1",
    "status": "active",
    "version": 1,
    "created_at": datetime(2026, 11, 1, tzinfo=UTC),
    "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
    "nom": "Médiathèque",
    "adresse": "1 rue",
    "commune": "Chambéry",
    "code_postal": "73000",
    "code_insee": "73065",
    "epci_code": "247300254",
    "departement_code": "73",
    "latitude": 45.56,
    "longitude": 5.92,
    "geo_precision": "exacte",
    "courriels": "[]",
    "site_web": "[]",
    "date_maj": date(2026, 10, 1),
    "autres_formations_labels": "[]",
    "search_text": "mediatheque chambery",
    "openings_until": datetime(2026, 12, 10, tzinfo=UTC),
    "horaires": "Mo-Fr 09:00-12:00",
    "tags": json.dumps({"services": ["Aide aux démarches administratives"], "frais_a_charge": ["Gratuit"]}),
}
TAGS = [("services", "Aide aux démarches administratives"), ("frais_a_charge", "Gratuit")]


async def test_tags_become_filter_keys_and_come_back(databases):
    url = await databases.fresh("search_keys_migration")
    await asyncio.to_thread(migrations.upgrade, "fne_directory", url, "sync02")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            columns, values = ", ".join(PLACE), ", ".join(f":{column}" for column in PLACE)
            await connection.execute(text(f"INSERT INTO places ({columns}) VALUES ({values})"), PLACE)
            await connection.execute(
                text("INSERT INTO place_tags (place_id, field, value) VALUES ('p1', :f, :v)"),
                [{"f": field, "v": value} for field, value in TAGS],
            )
            await connection.execute(
                text(
                    "INSERT INTO place_changes (place_id, version, at, action, actor_kind, actor_id, "
                    "actor_name, changes) "
                    "VALUES ('p1', 1, :at, 'create', 'user', 'u1', 'Camille', '{}')"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )

        await asyncio.to_thread(migrations.upgrade, "fne_directory", url)
        async with engine.connect() as connection:
            keys, until = (
                await connection.execute(text("SELECT filter_keys, openings_until FROM places"))
            ).one()
        keys = json.loads(keys) if isinstance(keys, str) else keys
        assert sorted(keys) == [
            "code_insee=73065",
            "departement_code=73",
            "epci_code=247300254",
            "frais_a_charge=Gratuit",
            "services=Aide aux démarches administratives",
        ]
        assert until is None  # the maintenance pass recomputes the intervals and their opening slots
        async with engine.connect() as connection:
            held = (await connection.execute(text("SELECT search_words FROM places"))).scalar_one()
            vocabulary = (
                await connection.execute(text("SELECT word FROM search_words ORDER BY word"))
            ).scalars()
            assert (json.loads(held) if isinstance(held, str) else held) == ["chambery", "mediatheque"]
            assert list(vocabulary) == ["chambery", "mediatheque"]

        await asyncio.to_thread(migrations.downgrade, "fne_directory", url, "sync02")
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT place_id, field, value FROM place_tags"))).all()
        assert sorted(rows) == sorted(("p1", field, value) for field, value in TAGS)
        # Altering `places` (SQLite copies the table) left the rows that reference it alone.
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM place_changes")) == 1
    finally:
        await engine.dispose()
