"""DORA API v2: /api/v2/structures/ and /api/v2/services/, `Authorization: Token …`, Django REST framework
pages {count, next, previous, results} followed through `next`; records in the data·inclusion v0 shape.

The API has no territorial filter: records outside the department are left out here (services follow their
structure).
"""

from typing import Any
from urllib.parse import urlsplit

from fne_directory.sync.connectors import vocabulary
from fne_directory.sync.connectors.base import iso_date, text
from fne_directory.sync.connectors.http import JsonClient
from fne_directory.sync.connectors.paging import Collection, Page, StructuresAndServices, envelope
from fne_directory.sync.exceptions import FetchFailed

SOURCE = "dora"


def structure_place(raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
    """A DORA (v0-shaped) structure with its services, in the national standard's fields."""
    programmes, labels = vocabulary.programmes(raw.get("labels_nationaux"))
    return {
        "pivot": text(raw.get("siret")) or text(raw.get("rna")),
        **vocabulary.located_contact(raw),
        "typologie": vocabulary.typologie(raw.get("typologie")),
        "horaires": text(raw.get("horaires_ouverture")),
        "presentation_resume": text(raw.get("presentation_resume")),
        "presentation_detail": text(raw.get("presentation_detail")),
        "source": "DORA",
        "date_maj": iso_date(raw.get("date_maj")),
        "fiche_acces_libre": text(raw.get("accessibilite")),
        "dispositif_programmes_nationaux": programmes,
        "formations_labels": labels,
        "autres_formations_labels": [
            label.strip()
            for label in raw.get("labels_autres") or []
            if isinstance(label, str) and label.strip()
        ],
        "prise_rdv": vocabulary.appointment_link(services),
        **vocabulary.service_fields(services),
    }


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: where a request carrying the token may go."""
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class DoraConnector(StructuresAndServices):
    source = SOURCE

    def __init__(self, url: str, *, department: str, page_size: int, client: JsonClient) -> None:
        super().__init__(client)
        self.url = url.rstrip("/")
        self.department = department
        self.page_size = page_size
        self._structures: set[str] = set()

    @classmethod
    def from_settings(cls, settings: Any, client_options: dict[str, Any]) -> "DoraConnector":
        client = JsonClient(headers={"Authorization": f"Token {settings.sync_dora_token}"}, **client_options)
        return cls(
            settings.sync_dora_url,
            department=settings.sync_departement,
            page_size=settings.sync_page_size,
            client=client,
        )

    async def _read(self, where: str | tuple[str, dict[str, Any]]) -> Page:
        url, params = where if isinstance(where, tuple) else (where, None)
        body = await self.client.get(url, params=params)
        items, total = envelope(body, "results", "count")
        following = body.get("next")
        if not isinstance(following, str) or not following:
            return Page(items, total, None)
        if origin(following) != origin(self.url):
            # The token goes with every request: a `next` link elsewhere would hand it to another host.
            raise FetchFailed(f"DORA : lien de page suivante hors de {origin(self.url)}, non suivi")
        return Page(items, total, following)

    def _first(self, path: str) -> tuple[str, dict[str, Any]]:
        return f"{self.url}{path}", {"page_size": self.page_size}

    def _in_department(self, raw: dict[str, Any]) -> bool:
        code = text(raw.get("code_insee")) or text(raw.get("code_postal")) or ""
        return code.startswith(self.department)

    def _structure_kept(self, raw: dict[str, Any]) -> bool:
        if self._in_department(raw):
            self._structures.add(str(raw.get("id")))
            return True
        return False

    def structures(self) -> Collection:
        return Collection(self._read, self._first("/api/v2/structures/"), self._structure_kept)

    def services(self) -> Collection:
        # Services of structures outside the department are left out with them.
        return Collection(
            self._read,
            self._first("/api/v2/services/"),
            lambda raw: text(raw.get("structure_id")) in self._structures,
        )

    structure_place = staticmethod(structure_place)
