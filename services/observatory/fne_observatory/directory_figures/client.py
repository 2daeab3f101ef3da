"""The directory as the observatory reads it: its public export of active places, national standard JSON
(`GET /exports/lieux.json`), streamed. Only the fields the indicators need are kept."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx

from fne_observatory.upstream import UpstreamUnavailable, json_array_items, with_retries

EXPORT_PATH = "/exports/lieux.json"
PERMANENCES_PATH = "/permanences/communes"
MULTI_VALUE_SEPARATOR = "|"


@dataclass(frozen=True)
class PlaceFacts:
    code_insee: str
    latitude: float
    longitude: float
    programmes: frozenset[str]
    updated_on: date | None


def place_facts(record: dict[str, object]) -> PlaceFacts | None:
    """The facts of one standard record, None when it lacks a commune or coordinates."""
    code, latitude, longitude = record.get("code_insee"), record.get("latitude"), record.get("longitude")
    if (
        not isinstance(code, str)
        or not isinstance(latitude, int | float)
        or not isinstance(longitude, int | float)
    ):
        return None
    programmes = record.get("dispositif_programmes_nationaux") or ""
    updated = record.get("date_maj")
    try:
        updated_on = date.fromisoformat(updated) if isinstance(updated, str) else None
    except ValueError:
        updated_on = None
    return PlaceFacts(
        code,
        float(latitude),
        float(longitude),
        frozenset(part for part in str(programmes).split(MULTI_VALUE_SEPARATOR) if part),
        updated_on,
    )


class DirectoryClient:
    def __init__(
        self, base_url: str, timeout: float, retries: int, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.transport = transport

    async def places(self, departments: list[str] | None = None) -> tuple[list[PlaceFacts], int]:
        """Every active place (of the departments, if given), and how many records were unusable. The whole
        export is read before anything is computed: a failure half-way leaves nothing half-done."""

        async def read() -> tuple[list[PlaceFacts], int]:
            params = httpx.QueryParams([("departement", code) for code in departments or []])
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout, transport=self.transport
            ) as client:
                async with client.stream("GET", EXPORT_PATH, params=params) as response:
                    response.raise_for_status()
                    try:
                        return await _collect(json_array_items(response.aiter_bytes()))
                    except ValueError as exc:
                        raise UpstreamUnavailable(
                            f"annuaire : export illisible ({exc})", upstream="annuaire"
                        ) from exc

        return await with_retries("annuaire", self.retries + 1, read)

    async def communes_with_permanence(self, role: str) -> set[str]:
        """The communes where a permanence of this role is held, in a place or at a tour's stop
        (`GET /permanences/communes`)."""

        async def read() -> set[str]:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout, transport=self.transport
            ) as client:
                response = await client.get(PERMANENCES_PATH)
                response.raise_for_status()
                try:
                    return {item["code_insee"] for item in response.json() if role in item["roles"]}
                except (ValueError, TypeError, KeyError) as exc:
                    raise UpstreamUnavailable(
                        "annuaire : liste des permanences illisible", upstream="annuaire"
                    ) from exc

        return await with_retries("annuaire", self.retries + 1, read)


async def _collect(records: AsyncIterator[object]) -> tuple[list[PlaceFacts], int]:
    places, unusable = [], 0
    async for record in records:
        facts = place_facts(record) if isinstance(record, dict) else None
        if facts is None:
            unusable += 1
        else:
            places.append(facts)
    return places, unusable
