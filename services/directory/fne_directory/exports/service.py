"""Streaming exports: the matching places read in keyset batches, each batch encoded as it comes.

Memory stays flat whatever the directory's size: never more than one batch of places and its encoded bytes.
Each batch has its own short session, opened from the app's session factory (the request's session is closed
before a streamed body is sent) and closed before the batch is handed on: no connection is held while the
client reads, and a client that goes away leaves nothing open.
"""

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.exports.standard import STANDARD_FIELDS, csv_row, standard_record
from fne_directory.permanences import service as permanences
from fne_directory.places.models import PUBLISHED_COLUMNS, Place, PlaceRow
from fne_directory.places.search import PlaceQuery, conditions, parameters

BATCH_SIZE = 1000
PROGRAMMES = "dispositif_programmes_nationaux"


class ExportedPlace:
    """A place's exported columns with what its permanences add: read like a row (`._mapping`, attributes)."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict[str, Any]) -> None:
        self._mapping = mapping

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def with_permanences(place: PlaceRow, held: list[dict[str, Any]]) -> PlaceRow:
    """The place as exported: the national standard has no field for permanences, so they land where the
    standard's own description puts them — `dispositif_programmes_nationaux` gains « Conseillers numériques »
    for a conseiller's permanence, and `presentation_detail` (« préciser si des aidants sont itinérants »)
    gains their days and hours."""
    if not held:
        return place
    columns = dict(place._mapping)
    tags = dict(columns["tags"])
    programmes = list(tags.get(PROGRAMMES, []))
    programmes += [value for value in permanences.programmes_of(held) if value not in programmes]
    tags[PROGRAMMES] = programmes
    columns["tags"] = tags
    sentence = "Permanences : " + " ; ".join(item["texte"] for item in held) + "."
    detail = columns["presentation_detail"]
    columns["presentation_detail"] = f"{detail}\n\n{sentence}" if detail else sentence
    return ExportedPlace(columns)  # type: ignore[return-value]


class StandardCsvDialect(csv.Dialect):
    """The dialect of the standard's own valid example file: comma, every cell double-quoted, LF line ends."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    quoting = csv.QUOTE_ALL
    lineterminator = "\n"
    skipinitialspace = False


async def place_batches(
    sessions: async_sessionmaker[AsyncSession], query: PlaceQuery, today: date, batch_size: int | None = None
) -> AsyncIterator[Sequence[PlaceRow]]:
    """The active places matching the search (their published columns), in id order, `batch_size` at a time.

    Rows, not Place objects: the exporters read the same attributes, without the cost of building and tracking
    ORM objects.

    Keyset paging on the primary key: each batch starts after the last id of the previous one, so no place is
    read twice or skipped however long the export takes, and every batch costs the same index range scan.
    """
    size = batch_size or BATCH_SIZE
    after: str | None = None
    while True:
        async with sessions() as session:
            where = conditions(query, session.get_bind().dialect.name, today)
            if after is not None:
                where.append(Place.id > after)
            batch = (
                await session.execute(
                    select(*PUBLISHED_COLUMNS).where(*where).order_by(Place.id).limit(size), parameters(query)
                )
            ).all()
            held = await permanences.of_places(session, [place.id for place in batch])
        if batch:
            yield [with_permanences(place, held.get(place.id, [])) for place in batch]
        if len(batch) < size:
            return
        after = batch[-1].id


async def csv_chunks(batches: AsyncIterator[Sequence[PlaceRow]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect=StandardCsvDialect)
    writer.writerow(STANDARD_FIELDS)
    yield buffer.getvalue().encode()
    async for places in batches:
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect=StandardCsvDialect)
        writer.writerows(csv_row(standard_record(place)) for place in places)
        yield buffer.getvalue().encode()


async def json_array_chunks(
    batches: AsyncIterator[Sequence[PlaceRow]],
    items: Callable[[PlaceRow], Iterable[Any]],
    opening: bytes = b"[",
    closing: bytes = b"]",
) -> AsyncIterator[bytes]:
    """A JSON array written by hand around objects encoded one by one: `opening`, items, `closing`."""
    yield opening
    separator = b"\n"
    async for places in batches:
        parts: list[bytes] = []
        for place in places:
            for item in items(place):
                parts += (separator, orjson.dumps(item))
                separator = b",\n"
        if parts:
            yield b"".join(parts)
    yield b"\n" + closing


GEOJSON_OPENING = b'{"type":"FeatureCollection","features":['
GEOJSON_CLOSING = b"]}\n"
