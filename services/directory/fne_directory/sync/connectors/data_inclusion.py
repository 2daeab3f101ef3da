"""data·inclusion API v1: /api/v1/structures and /api/v1/services, bearer token, page/size paging with the
envelope {items, total, page, size, pages}, filtered by department and producers (`sources`).

A structure is a place of the directory when one of its services has a `numerique` thematique, or when its
producer is the national digital-mediation cartography (`mediation-numerique`); the others are kept as source
records, out of scope.
"""

from typing import Any

from fne_directory.sync.connectors import vocabulary
from fne_directory.sync.connectors.base import iso_date, text
from fne_directory.sync.connectors.http import JsonClient
from fne_directory.sync.connectors.paging import Collection, Page, StructuresAndServices, envelope

SOURCE = "data-inclusion"
MEDIATION_NUMERIQUE = "mediation-numerique"
SUMMARY_MAX = 280


def summary(description: str | None) -> tuple[str | None, str | None]:
    """(presentation_resume, presentation_detail): a description longer than a summary becomes the detail, and
    its beginning, cut at a word, the summary."""
    if description is None:
        return None, None
    if len(description) <= SUMMARY_MAX:
        return description, None
    cut = description[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…", description


def structure_place(raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
    """A data·inclusion v1 structure (with its services) in the national standard's fields."""
    resume, detail = summary(text(raw.get("description")))
    programmes, labels = vocabulary.programmes(raw.get("reseaux_porteurs"))
    return {
        "pivot": text(raw.get("siret")),
        **vocabulary.located_contact(raw),
        "horaires": text(raw.get("horaires_accueil")),
        "presentation_resume": resume,
        "presentation_detail": detail,
        "source": text(raw.get("source")),
        "date_maj": iso_date(raw.get("date_maj")),
        "fiche_acces_libre": text(raw.get("accessibilite_lieu")),
        "dispositif_programmes_nationaux": programmes,
        "formations_labels": labels,
        "prise_rdv": vocabulary.appointment_link(services),
        **vocabulary.service_fields(services),
    }


class DataInclusionConnector(StructuresAndServices):
    source = SOURCE
    # Recomputed by data·inclusion every day whatever the producer changed: not part of the content hash.
    volatile_fields = frozenset({"score_qualite", "doublons"})

    def __init__(
        self,
        url: str,
        token: str,
        *,
        department: str,
        producers: list[str],
        page_size: int,
        client: JsonClient,
    ) -> None:
        super().__init__(client)
        self.url = url.rstrip("/")
        self.filters: dict[str, Any] = {"code_departement": department}
        if producers:
            self.filters["sources"] = producers
        self.page_size = page_size

    @classmethod
    def from_settings(cls, settings: Any, client_options: dict[str, Any]) -> "DataInclusionConnector":
        client = JsonClient(
            headers={"Authorization": f"Bearer {settings.sync_data_inclusion_token}"}, **client_options
        )
        producers = [name.strip() for name in settings.sync_data_inclusion_sources.split(",") if name.strip()]
        return cls(
            settings.sync_data_inclusion_url,
            settings.sync_data_inclusion_token,
            department=settings.sync_departement,
            producers=producers,
            page_size=settings.sync_page_size,
            client=client,
        )

    def _reader(self, path: str):
        async def read(page_number: int) -> Page:
            body = await self.client.get(
                f"{self.url}{path}", params={**self.filters, "page": page_number, "size": self.page_size}
            )
            items, total = envelope(body, "items", "total")
            pages = body.get("pages")
            last = page_number >= pages if isinstance(pages, int) else len(items) < self.page_size
            return Page(items, total, None if last else page_number + 1)

        return read

    def structures(self) -> Collection:
        return Collection(self._reader("/api/v1/structures"), 1)

    def services(self) -> Collection:
        return Collection(self._reader("/api/v1/services"), 1)

    def in_scope(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> bool:
        return raw.get("source") == MEDIATION_NUMERIQUE or super().in_scope(raw, services)

    structure_place = staticmethod(structure_place)
