"""What every connector gives the synchronisation engine."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

LIEU, SERVICE = "lieu", "service"


@dataclass(frozen=True)
class FetchedRecord:
    kind: str  # LIEU or SERVICE
    source_id: str
    raw: dict[str, Any]
    parent_id: str | None = None  # a service's structure


@dataclass
class FetchReport:
    """Filled by the connector while it fetches; read by the engine at the end."""

    # Per kind, the ids of a complete snapshot: what the source holds now, so what is missing was withdrawn
    # there. A kind without an entry was not read completely: nothing of that kind is withdrawn.
    snapshot_ids: dict[str, set[str]] = field(default_factory=dict)
    # The kinds the connector means to read completely; one missing from snapshot_ids makes the run partial.
    expected: frozenset[str] = frozenset({LIEU})
    duplicates: int = 0  # ids met more than once in this run (offset paging shifting under us)
    invalid: int = 0  # items without an id: nothing to keep them under
    passes: int = 0
    notes: list[str] = field(default_factory=list)


class Connector(Protocol):
    source: str
    report: FetchReport

    def fetch(self) -> AsyncIterator[list[FetchedRecord]]:
        """Batches of records; raises FetchFailed when the source cannot be read to the end."""
        ...

    def in_scope(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> bool:
        """Whether the record is a place of digital help (structures of other fields are kept, not
        published)."""
        ...

    def normalise(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
        """The place in the national standard's field names (PlaceInput), before validation."""
        ...

    def date_maj(self, raw: dict[str, Any]) -> date | None: ...

    async def close(self) -> None: ...


def parse_date(value: Any) -> date | None:
    """ "2024-04-02", "2024-04-02 16:17:09", "2024-04-02T16:17:09+02:00" → the date; anything else → None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def iso_date(value: Any) -> str | None:
    parsed = parse_date(value)
    return parsed.isoformat() if parsed else None


def text(value: Any) -> str | None:
    """A stripped string, or None for empty values and non-strings that carry nothing."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.strip():
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))
