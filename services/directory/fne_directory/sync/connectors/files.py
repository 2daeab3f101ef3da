"""Files: the national standard (CSV or JSON, `|`-separated multi-values) and data·inclusion JSON (structures,
optionally with their services), uploaded through the API or given to `fne sync import`.

A file is one source (`fichier-<name>`); re-importing a newer version of it updates its places. Only a file
declared complete withdraws the places it no longer lists.
"""

import csv
import hashlib
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, Literal

import orjson

from fne_directory.places.service import COLUMN_FIELDS
from fne_directory.places.vocabulary import TAG_FIELDS
from fne_directory.sync.connectors import data_inclusion
from fne_directory.sync.connectors.base import LIEU, SERVICE, FetchedRecord, FetchReport, parse_date, text
from fne_directory.sync.exceptions import UnreadableFile
from fne_kernel.errors import field_error

FileFormat = Literal["standard-csv", "standard-json", "data-inclusion-json"]
FORMATS: tuple[str, ...] = ("standard-csv", "standard-json", "data-inclusion-json")
STANDARD_FIELDS = frozenset({"id", *COLUMN_FIELDS, *TAG_FIELDS})
UNKNOWN_PIVOT = "00000000000000"
BATCH = 500


def _unreadable(reason: str) -> UnreadableFile:
    return UnreadableFile(reason, errors=[field_error("fichier", reason)])


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("le fichier doit être encodé en UTF-8") from None


def _stable_id(row: dict[str, Any]) -> str:
    """A row without `id` is keyed by what names it, so that re-importing the file finds it again."""
    key = "|".join(
        str(row.get(name) or "").strip().lower() for name in ("pivot", "nom", "adresse", "code_postal")
    )
    return "sans-id-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def read_file(content: bytes, file_format: str | None) -> tuple[str, list[FetchedRecord]]:
    """The file's format (detected when not given) and its records; UnreadableFile if it cannot be read."""
    body = _decode(content).lstrip()
    if not body:
        raise _unreadable("fichier vide")
    if file_format is None:
        file_format = "standard-csv" if body[0] not in "[{" else None
    if file_format == "standard-csv":
        return file_format, _standard_rows(list(csv.DictReader(io.StringIO(body))))
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _unreadable(f"JSON illisible : {exc}") from None
    structures, services = _json_parts(document)
    if file_format is None:
        fields = set().union(*(item.keys() for item in structures[:50] if isinstance(item, dict)))
        file_format = (
            "standard-json" if fields & {"pivot", "services", "modalites_acces"} else "data-inclusion-json"
        )
    if file_format == "standard-json":
        return file_format, _standard_rows(structures)
    return file_format, _data_inclusion_rows(structures, services)


def _json_parts(document: Any) -> tuple[list[Any], list[Any]]:
    if isinstance(document, list):
        structures = [item for item in document if not (isinstance(item, dict) and "structure_id" in item)]
        return structures, [item for item in document if isinstance(item, dict) and "structure_id" in item]
    if isinstance(document, dict) and isinstance(document.get("structures"), list):
        services = document.get("services") or []
        if not isinstance(services, list):
            raise _unreadable("`services` doit être une liste")
        return document["structures"], services
    raise _unreadable("liste de lieux, ou objet {structures, services}, attendu")


def _standard_rows(rows: list[Any]) -> list[FetchedRecord]:
    if rows and isinstance(rows[0], dict) and not {"nom", "adresse"} <= set(rows[0]):
        raise _unreadable("colonnes `nom` et `adresse` du standard national absentes")
    records = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        source_id = text(row.get("id")) or _stable_id(row)
        records.append(FetchedRecord(LIEU, source_id, row))
    return records


def _data_inclusion_rows(structures: list[Any], services: list[Any]) -> list[FetchedRecord]:
    records = [
        FetchedRecord(LIEU, str(item["id"]), item)
        for item in structures
        if isinstance(item, dict) and text(item.get("id"))
    ]
    records += [
        FetchedRecord(SERVICE, str(item["id"]), item, text(item.get("structure_id")))
        for item in services
        if isinstance(item, dict) and text(item.get("id"))
    ]
    return records


def standard_place(raw: dict[str, Any]) -> dict[str, Any]:
    """A row of the national standard, as PlaceInput reads it (`|` lists are split there)."""
    place = {name: value for name, value in raw.items() if name in STANDARD_FIELDS and name != "id"}
    place = {
        name: (value.strip() or None) if isinstance(value, str) else value for name, value in place.items()
    }
    if place.get("pivot") == UNKNOWN_PIVOT:
        place["pivot"] = None
    return {name: value for name, value in place.items() if value is not None}


class FileConnector:
    volatile_fields: frozenset[str] = frozenset()

    def __init__(self, source: str, content: bytes, file_format: str | None, *, complete: bool) -> None:
        self.source = source
        self.format, self.records = read_file(content, file_format)
        self.complete = complete
        self.report = FetchReport(passes=1, expected=frozenset({LIEU}) if complete else frozenset())

    async def fetch(self) -> AsyncIterator[list[FetchedRecord]]:
        seen: dict[str, set[str]] = {LIEU: set(), SERVICE: set()}
        for start in range(0, len(self.records), BATCH):
            batch = self.records[start : start + BATCH]
            for record in batch:
                if record.source_id in seen[record.kind]:
                    self.report.duplicates += 1
                seen[record.kind].add(record.source_id)
            yield batch
        if self.complete:
            self.report.snapshot_ids = {kind: ids for kind, ids in seen.items() if ids or kind == LIEU}

    def in_scope(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> bool:
        return True  # whoever imports a file lists places of digital help in it

    def normalise(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
        if self.format == "data-inclusion-json":
            return data_inclusion.structure_place(raw, services)
        return standard_place(raw)

    def date_maj(self, raw: dict[str, Any]) -> date | None:
        return parse_date(raw.get("date_maj"))

    async def close(self) -> None:
        return None
