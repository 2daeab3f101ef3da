"""The national standard for digital-mediation places (LaMednum standard-mediation-num v1.0.2), as published.

One flat record per place: the schema's fields in the schema's order, multi-valued fields joined with `|`,
dates in ISO 8601, latitude and longitude as numbers, every other value a string (None when empty; the CSV
writes it as an empty cell).
"""

from datetime import date
from typing import Any

from fne_directory.places.models import PlaceRow
from fne_directory.places.vocabulary import TAG_FIELDS
from fne_kernel.spreadsheets import safe_cell

# The `fields` of the standard's schema.json v1.0.2, in its order: the column order of every CSV export.
STANDARD_FIELDS = (
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
)
MULTI_VALUE_SEPARATOR = "|"
# The standard requires `pivot`. For a place whose SIRET/RNA is not known, fourteen zeros: the national
# placeholder for an unknown SIRET, as the national cartography's own tools (ANCT,
# lieux-de-mediation-numerique) publish it. It matches the schema's pattern; it is never exported as a SIRET
# (see data_inclusion.py).
UNKNOWN_PIVOT = "00000000000000"
# `source` is "the structure that collected the data". A place with no declared source was entered directly
# on this platform by the Savoie network's coordinators: FNE Savoie collected it.
DEFAULT_SOURCE = "FNE Savoie"


def _join(values: list[str]) -> str | None:
    # A value holding the separator would split into two on reading: such a character cannot be published.
    joined = MULTI_VALUE_SEPARATOR.join(value.replace(MULTI_VALUE_SEPARATOR, "/") for value in values)
    return joined or None


# Each field of the standard, and whether a place holds it in its enumerated tags rather than in a column.
_FIELD_SOURCES = tuple((name, name in TAG_FIELDS) for name in STANDARD_FIELDS)


def standard_record(place: PlaceRow) -> dict[str, Any]:
    """The place (its exported columns) in the standard's fields and order: strings, numbers for coordinates,
    None when empty."""
    columns = place._mapping
    tags = columns["tags"]
    published: dict[str, Any] = {}
    for name, tagged in _FIELD_SOURCES:
        value = tags.get(name) if tagged else columns[name]
        if isinstance(value, list):
            value = _join(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif value == "":
            value = None
        published[name] = value
    published["pivot"] = published["pivot"] or UNKNOWN_PIVOT
    published["source"] = published["source"] or DEFAULT_SOURCE
    return published


def csv_row(published: dict[str, Any]) -> list[str]:
    return ["" if value is None else str(safe_cell(value)) for value in published.values()]


def geojson_feature(place: PlaceRow) -> dict[str, Any]:
    """A GeoJSON Point feature (RFC 7946: [longitude, latitude]) with the standard's fields as properties."""
    properties = standard_record(place)
    properties["geo_precision"] = place.geo_precision
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": properties,
    }
