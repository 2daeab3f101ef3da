"""Mednum73's YesWiki (Bazar): `?api/forms/{id}` gives the form's fields and the options that decode list
fields; `?api/forms/{id}/entries` gives every entry at once, as an object keyed by `id_fiche`, every value a
string ("" or null when empty). Only published entries (`statut_fiche == "1"`) are places.

Forms differ from site to site, so which form field feeds which standard field is configuration
(`sync_mednum73_fields`), over the usual `bf_*` names. Values of list fields (checkbox, radio, select) are
keys, decoded with the form's options, then matched to the standard's vocabulary regardless of case and
accents.
"""

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from fne_directory.places.vocabulary import TAG_FIELDS
from fne_directory.sync.connectors.base import (
    LIEU,
    FetchedRecord,
    FetchReport,
    iso_date,
    number,
    parse_date,
    text,
    unique,
)
from fne_directory.sync.connectors.http import JsonClient
from fne_directory.sync.exceptions import FetchFailed
from fne_directory.text import normalise_text

SOURCE = "mednum73"
PUBLISHED = "1"
LIST_FIELDS = {"courriels", "site_web", "autres_formations_labels", *TAG_FIELDS}
SEPARATORS = re.compile(r"[,;|\s]+")
# Added by the API: the wiki accounts that wrote the entry. Personal data the directory has no use for.
ACCOUNT_FIELDS = frozenset({"owner", "user"})


class YesWikiConnector:
    source = SOURCE
    volatile_fields: frozenset[str] = frozenset()

    def __init__(self, url: str, form_id: str, fields: dict[str, str], *, client: JsonClient) -> None:
        self.base = url if "?" in url else url.rstrip("/") + "/"
        self.form_id = form_id
        self.fields = fields
        self.client = client
        self.report = FetchReport()
        self.options: dict[str, dict[str, str]] = {}

    @classmethod
    def from_settings(cls, settings: Any, client_options: dict[str, Any]) -> "YesWikiConnector":
        return cls(
            settings.sync_mednum73_url,
            settings.sync_mednum73_form_id,
            settings.mednum73_fields(),
            client=JsonClient(**client_options),
        )

    def _route(self, route: str) -> str:
        # YesWiki's routes travel in the query string: https://site/?api/forms/1/entries
        return f"{self.base}{'&' if '?' in self.base else '?'}{route}"

    async def _load_form(self) -> None:
        form = await self.client.get(self._route(f"api/forms/{self.form_id}"))
        if isinstance(form, list) and form:  # older YesWiki versions wrap the form in a list
            form = form[0]
        if not isinstance(form, dict) or not isinstance(form.get("prepared"), list):
            raise FetchFailed(f"formulaire {self.form_id} : définition des champs (`prepared`) absente")
        self.options = {
            str(field["propertyname"]): {str(key): str(label) for key, label in field["options"].items()}
            for field in form["prepared"]
            if isinstance(field, dict)
            and field.get("propertyname")
            and isinstance(field.get("options"), dict)
        }

    async def fetch(self) -> AsyncIterator[list[FetchedRecord]]:
        await self._load_form()
        self.report.passes = 1
        entries = await self.client.get(self._route(f"api/forms/{self.form_id}/entries"))
        if entries is None:
            # The API's answer for "no entry", but also what a misconfigured or failing site sends: an empty
            # snapshot that would withdraw every place is not trusted.
            self.report.notes.append("YesWiki a répondu null (aucune fiche) : rien n'est retiré")
            return
        if isinstance(entries, list) and not entries:  # PHP's empty array
            entries = {}
        if not isinstance(entries, dict):
            raise FetchFailed("réponse inattendue : objet des fiches par id_fiche attendu")
        published: set[str] = set()
        batch = []
        for key, entry in entries.items():
            if not isinstance(entry, dict):
                self.report.invalid += 1
                continue
            source_id = text(entry.get("id_fiche")) or str(key)
            if entry.get("statut_fiche") != PUBLISHED:
                continue
            published.add(source_id)
            batch.append(
                FetchedRecord(
                    LIEU,
                    source_id,
                    {name: value for name, value in entry.items() if name not in ACCOUNT_FIELDS},
                )
            )
        if batch:
            yield batch
        self.report.snapshot_ids[LIEU] = published

    def in_scope(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> bool:
        return True  # the form lists places of digital mediation

    def _decoded(self, property_name: str, value: str) -> list[str]:
        options = self.options.get(property_name)
        if options is None:
            return (
                [part for part in SEPARATORS.split(value) if part]
                if property_name.startswith("bf_")
                else [value]
            )
        return [options.get(key.strip(), key.strip()) for key in value.split(",") if key.strip()]

    def normalise(self, raw: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
        place: dict[str, Any] = {"source": "Mednum73", "date_maj": iso_date(raw.get("date_maj_fiche"))}
        for standard, property_name in self.fields.items():
            value = text(raw.get(property_name))
            if value is None:
                continue
            if standard not in LIST_FIELDS:
                place[standard] = value
                continue
            values = self._decoded(property_name, value)
            if standard in TAG_FIELDS:
                allowed = {normalise_text(label): label for label in TAG_FIELDS[standard]}
                values = [allowed[key] for key in map(normalise_text, values) if key in allowed]
            place[standard] = unique(values)
        found = raw.get("geolocation")
        geolocation: dict[str, Any] = found if isinstance(found, dict) else {}
        for axis in ("latitude", "longitude"):
            place[axis] = (
                number(place.get(axis))
                if place.get(axis) is not None
                else number(geolocation.get(self.fields.get(axis, "")))
            )
        return place

    def date_maj(self, raw: dict[str, Any]) -> date | None:
        return parse_date(raw.get("date_maj_fiche"))

    async def close(self) -> None:
        await self.client.close()
