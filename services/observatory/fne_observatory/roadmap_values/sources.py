"""Reading the sources of the computed roadmap: the directory's permanences and places, the network service's
statistics (contract: GET /statistiques). Each read is whole before anything is computed: a failure half-way
stores nothing (502 naming the source)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from fne_observatory.upstream import UpstreamUnavailable, json_array_items, with_retries

PAGE_SIZE = 200
MULTI = "|"


@dataclass(frozen=True)
class HostPlace:
    code_insee: str
    typologies: frozenset[str]
    programmes: frozenset[str]


@dataclass(frozen=True)
class PermanenceFacts:
    role: str
    places: tuple[str, ...]  # ids of its host places in the directory
    communes: tuple[str, ...]


def _split(value: object) -> frozenset[str]:
    return frozenset(part for part in str(value or "").split(MULTI) if part)


class JsonSource:
    def __init__(
        self,
        name: str,
        base_url: str,
        timeout: float,
        retries: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name, self.base_url = name, base_url.rstrip("/")
        self.timeout, self.retries, self.transport = timeout, retries, transport

    def client(self, **extra: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url, timeout=self.timeout, transport=self.transport, **extra
        )

    def unreadable(self, what: str, exc: Exception | None = None) -> UpstreamUnavailable:
        return UpstreamUnavailable(f"{self.name} : {what} illisible", upstream=self.name)


class DirectorySource(JsonSource):
    """The directory: its active permanences (GET /permanences, page by page) and its places' kinds."""

    async def permanences(self) -> list[PermanenceFacts]:
        async def read() -> list[PermanenceFacts]:
            found: list[PermanenceFacts] = []
            page = 1
            async with self.client() as client:
                while True:
                    response = await client.get("/permanences", params={"page": page, "size": PAGE_SIZE})
                    response.raise_for_status()
                    try:
                        body = response.json()
                        for item in body["items"]:
                            slots = item["creneaux"]
                            found.append(
                                PermanenceFacts(
                                    str(item["role"]),
                                    tuple(sorted({s["lieu_id"] for s in slots if s.get("lieu_id")})),
                                    tuple(sorted({str(s["code_insee"]) for s in slots})),
                                )
                            )
                        total = int(body["total"])
                    except (ValueError, KeyError, TypeError) as exc:
                        raise self.unreadable("liste des permanences") from exc
                    if page * PAGE_SIZE >= total:
                        return found
                    page += 1

        return await with_retries(self.name, self.retries + 1, read)

    async def places(self) -> dict[str, HostPlace]:
        async def read() -> dict[str, HostPlace]:
            async with self.client() as client, client.stream("GET", "/exports/lieux.json") as response:
                response.raise_for_status()
                try:
                    return await _places(json_array_items(response.aiter_bytes()))
                except (ValueError, KeyError, TypeError) as exc:
                    raise self.unreadable("export des lieux") from exc

        return await with_retries(self.name, self.retries + 1, read)


async def _places(records: AsyncIterator[Any]) -> dict[str, HostPlace]:
    places = {}
    async for record in records:
        places[str(record["id"])] = HostPlace(
            str(record["code_insee"]),
            _split(record.get("typologie")),
            _split(record.get("dispositif_programmes_nationaux")),
        )
    return places


@dataclass(frozen=True)
class Measure:
    mesure: str
    categorie: str | None
    commune: str | None
    annee: int
    mois: int | None
    valeur: float


class NetworkSource(JsonSource):
    """The network service's aggregated counts (GET /statistiques, all years)."""

    async def statistics(self) -> list[Measure]:
        async def read() -> list[Measure]:
            async with self.client() as client:
                response = await client.get("/statistiques")
                response.raise_for_status()
                try:
                    return [
                        Measure(
                            str(row["mesure"]),
                            row.get("categorie"),
                            row.get("commune"),
                            int(row["annee"]),
                            int(row["mois"]) if row.get("mois") is not None else None,
                            float(row["valeur"]),
                        )
                        for row in response.json()["mesures"]
                    ]
                except (ValueError, KeyError, TypeError) as exc:
                    raise self.unreadable("statistiques") from exc

        return await with_retries(self.name, self.retries + 1, read)
