"""Reading an offset-paged collection completely, although it may change while it is read.

Offset paging (data·inclusion's page/size, DORA's DRF pages) shifts when records are added or removed in front
of the page being read: a record then appears on two pages, or on none. The fix here, since neither API offers
a keyset cursor or a change feed:

1. every id is kept once per pass (a record met twice is counted as a duplicate; the later copy wins, being
   the more recent);
2. at the end of a pass the first page is read again: the pass is *stable* when the reported total did not
   move from the first page to the last and to the re-read, the first page still holds the same ids, and the
   pages served as many items as the total (a source that really lists an id twice stays stable);
3. an unstable pass is followed by another (records already stored are skipped by hash, so it costs reads,
   not writes), up to MAX_PASSES; the ids of the last, stable pass are the snapshot.

Only a stable pass makes a complete snapshot, which alone may withdraw records missing from it. Records met in
an earlier pass but not in the stable one are not kept in the snapshot: they were removed meanwhile.
"""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fne_directory.sync.connectors import vocabulary
from fne_directory.sync.connectors.base import LIEU, SERVICE, FetchedRecord, FetchReport, parse_date, text
from fne_directory.sync.connectors.http import JsonClient
from fne_directory.sync.exceptions import FetchFailed

MAX_PASSES = 3


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    next: Any  # what reads the following page (a page number, a URL), None on the last page


PageReader = Callable[[Any], Awaitable[Page]]


async def stable_snapshot(
    kind: str,
    read_page: PageReader,
    first: Any,
    report: FetchReport,
    keep: Callable[[dict[str, Any]], bool] = lambda raw: True,
    parent_of: Callable[[dict[str, Any]], str | None] = lambda raw: None,
) -> AsyncIterator[list[FetchedRecord]]:
    """Batches (one per page) of the collection's records; fills report.snapshot_ids[kind] when stable."""
    for attempt in range(1, MAX_PASSES + 1):
        report.passes += 1
        seen: set[str] = set()
        kept: set[str] = set()
        served = 0
        page = await read_page(first)
        total_at_start, first_ids = page.total, _ids(page.items)
        while True:
            batch = []
            served += len(page.items)
            for raw in page.items:
                source_id = _id(raw)
                if source_id is None:
                    report.invalid += 1
                    continue
                if source_id in seen:
                    report.duplicates += 1
                seen.add(source_id)
                if keep(raw):
                    kept.add(source_id)
                    batch.append(FetchedRecord(kind, source_id, raw, parent_of(raw)))
            if batch:
                yield batch
            if page.next is None or not page.items:
                break
            page = await read_page(page.next)
        again = await read_page(first)
        if (
            again.total == total_at_start == page.total
            and _ids(again.items) == first_ids
            and served == again.total
        ):
            report.snapshot_ids[kind] = kept
            return
        report.notes.append(
            f"{kind} : la collection a bougé pendant la lecture (passe {attempt}, "
            f"total {total_at_start} → {again.total}, {served} éléments lus)"
        )
    report.notes.append(f"{kind} : pas de lecture stable en {MAX_PASSES} passes, instantané incomplet")


def _id(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    value = raw.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and value else None


def _ids(items: list[dict[str, Any]]) -> list[str | None]:
    return [_id(raw) for raw in items]


def envelope(body: Any, items_key: str, total_key: str) -> tuple[list[dict[str, Any]], int]:
    """The items and total of a page, or FetchFailed naming what is wrong with the answer."""
    if (
        not isinstance(body, dict)
        or not isinstance(body.get(items_key), list)
        or not isinstance(body.get(total_key), int)
    ):
        raise FetchFailed(
            f"réponse inattendue : objet avec `{items_key}` (liste) et `{total_key}` (entier) attendu"
        )
    return body[items_key], body[total_key]


@dataclass(frozen=True)
class Collection:
    read_page: PageReader
    first: Any
    keep: Callable[[dict[str, Any]], bool] = lambda raw: True


class StructuresAndServices(ABC):
    """A platform publishing structures and their services as two offset-paged collections (data·inclusion,
    DORA): a structure is a place when one of its services is about digital help."""

    source: str
    volatile_fields: frozenset[str] = frozenset()

    def __init__(self, client: JsonClient) -> None:
        self.client = client
        self.report = FetchReport(expected=frozenset({LIEU, SERVICE}))

    @abstractmethod
    def structures(self) -> Collection: ...

    @abstractmethod
    def services(self) -> Collection: ...

    @abstractmethod
    def structure_place(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]: ...

    async def fetch(self) -> AsyncIterator[list[FetchedRecord]]:
        structures = self.structures()
        async for batch in stable_snapshot(
            LIEU, structures.read_page, structures.first, self.report, keep=structures.keep
        ):
            yield batch
        services = self.services()
        async for batch in stable_snapshot(
            SERVICE,
            services.read_page,
            services.first,
            self.report,
            keep=services.keep,
            parent_of=lambda raw: text(raw.get("structure_id")),
        ):
            yield batch

    def in_scope(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> bool:
        return any(vocabulary.is_digital(service.get("thematiques")) for service in services)

    def normalise(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
        return self.structure_place(raw, services)

    def date_maj(self, raw: dict[str, Any]) -> date | None:
        return parse_date(raw.get("date_maj"))

    async def close(self) -> None:
        await self.client.close()
