"""Exports served as kept, revalidated or rendered are counted (fne_export_cache_requests_total)."""

from httpx import AsyncClient
from prometheus_client import REGISTRY

from tests.directory.test_exports import places  # noqa: F401 (fixture)


def served(outcome: str) -> float:
    return REGISTRY.get_sample_value("fne_export_cache_requests_total", {"outcome": outcome}) or 0.0


async def test_export_cache_outcomes_are_counted(directory: AsyncClient, places: object) -> None:  # noqa: F811
    before = {outcome: served(outcome) for outcome in ("miss", "hit", "not_modified", "uncacheable")}
    first = await directory.get("/exports/lieux.csv", params={"departement": "73"})
    await directory.get("/exports/lieux.csv", params={"departement": "73"})
    await directory.get(
        "/exports/lieux.csv", params={"departement": "73"}, headers={"If-None-Match": first.headers["etag"]}
    )
    await directory.get("/exports/lieux.csv", params={"ouvert": "true"})
    assert {outcome: served(outcome) - count for outcome, count in before.items()} == {
        "miss": 1,
        "hit": 1,
        "not_modified": 1,
        "uncacheable": 1,
    }
