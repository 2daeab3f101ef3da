"""Exports: national standard CSV and JSON checked against the standard's own schema file, GeoJSON,
data·inclusion v1 checked with jsonschema against its schema files, search filters, and streaming in keyset
batches."""

import asyncio
import csv
import gzip
import io
import json
import random
import re
import uuid
from collections.abc import AsyncGenerator, Iterable, MutableMapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from httpx import AsyncClient, Response
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from fne_directory.exports import data_inclusion
from fne_directory.exports import router as exports_router
from fne_directory.exports import service as exports_service
from fne_directory.exports.cache import ExportCache
from fne_directory.places import filter_keys, versions
from fne_directory.places.models import Place
from fne_directory.places.search import PlaceQuery
from fne_kernel.db import utcnow
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import REFERENCE, identity_header, user_principal

STANDARD_SCHEMA = REFERENCE / "mediation-num-schema-v1.0.2.json"
STANDARD_EXAMPLE = REFERENCE / "mediation-num-exemple-valide-v1.csv"
DI_STRUCTURE_SCHEMA = REFERENCE / "data-inclusion-schema-v1-structure.json"
DI_SERVICE_SCHEMA = REFERENCE / "data-inclusion-schema-v1-service.json"
DI_THEMATIQUES = REFERENCE / "data-inclusion-v1-thematiques.json"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the national standard's schema, as a validator ---------------------------------------------------------

# The one known defect of the schema file (SOURCES.md: "the `formations_labels` pattern lacks the space in
# 'Étapes numériques (La Poste)'"): the official label has the space, the platform publishes it, so the
# pattern is corrected here. The assertion below fails the day the schema is fixed, and this correction can
# go.
SCHEMA_DEFECT = r"Étapes numériques\(La Poste\)"
SCHEMA_CORRECTION = r"Étapes numériques \(La Poste\)"
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class StandardValidator:
    """The constraints of the standard's Frictionless table schema, read from the file: required, pattern (a
    full match, as Frictionless applies it: the multi-value patterns are anchored only at their end as
    written), maxLength, number and date types, unique fields. Values are CSV strings or JSON
    strings/numbers/null."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.fields: list[dict[str, Any]] = schema["fields"]
        self.names = [field["name"] for field in self.fields]
        self.patterns: dict[str, re.Pattern[str]] = {}
        for field in self.fields:
            pattern = field.get("constraints", {}).get("pattern")
            if pattern is None:
                continue
            if field["name"] == "formations_labels":
                assert SCHEMA_DEFECT in pattern, (
                    "the schema's formations_labels pattern changed: drop the correction"
                )
                pattern = pattern.replace(SCHEMA_DEFECT, SCHEMA_CORRECTION)
            self.patterns[field["name"]] = re.compile(pattern)

    def errors(self, rows: Iterable[dict[str, Any]]) -> list[str]:
        found: list[str] = []
        seen: dict[str, set[Any]] = {}
        for index, row in enumerate(rows):
            if list(row) != self.names:
                found.append(f"row {index}: columns {list(row)} are not the schema's fields in order")
            for field in self.fields:
                found += [
                    f"row {index}, {field['name']}: {error}" for error in self._field_errors(field, row)
                ]
                constraints = field.get("constraints", {})
                value = row.get(field["name"])
                if (constraints.get("unique") or field["name"] == "id") and value not in (None, ""):
                    if value in seen.setdefault(field["name"], set()):
                        found.append(f"row {index}, {field['name']}: duplicate value {value!r}")
                    seen[field["name"]].add(value)
        return found

    def _field_errors(self, field: dict[str, Any], row: dict[str, Any]) -> list[str]:
        name, constraints = field["name"], field.get("constraints", {})
        value = row.get(name)
        if value is None or value == "":
            return ["required"] if constraints.get("required") else []
        if field["type"] == "number":
            if isinstance(value, bool) or not (
                isinstance(value, int | float) or NUMBER.fullmatch(str(value))
            ):
                return [f"not a number: {value!r}"]
            return []
        if not isinstance(value, str):
            return [f"not a string: {value!r}"]
        errors = []
        if field["type"] == "date":
            try:
                if not ISO_DATE.fullmatch(value):
                    raise ValueError
                date.fromisoformat(value)
            except ValueError:
                errors.append(f"not an ISO date: {value!r}")
        if name in self.patterns and not self.patterns[name].fullmatch(value):
            errors.append(f"does not match the pattern: {value!r}")
        if "maxLength" in constraints and len(value) > constraints["maxLength"]:
            errors.append(f"longer than {constraints['maxLength']}")
        return errors


@pytest.fixture(scope="module")
def standard() -> StandardValidator:
    return StandardValidator(load(STANDARD_SCHEMA))


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_the_validator_accepts_the_standards_valid_example(standard: StandardValidator):
    header, rows = read_csv(STANDARD_EXAMPLE.read_text(encoding="utf-8"))
    assert header == standard.names
    assert len(rows) == 1 and standard.errors(rows) == []


def test_the_validator_rejects_broken_rows(standard: StandardValidator):
    _, (example,) = read_csv(STANDARD_EXAMPLE.read_text(encoding="utf-8"))
    broken = example | {
        "pivot": "12",
        "code_postal": "",
        "latitude": "nord",
        "date_maj": "02/04/2024",
        "services": "Cuisine",
        "presentation_resume": "x" * 281,
        # Passes a search for `(?:(?:^|\|)(Itinérant|Fixe))+$` (it ends with "|Fixe"), not a full match.
        "itinerance": "Mobile|Fixe",
    }
    errors = standard.errors([example, broken])
    for field in (
        "pivot",
        "code_postal",
        "latitude",
        "date_maj",
        "services",
        "presentation_resume",
        "itinerance",
    ):
        assert any(f"row 1, {field}:" in error for error in errors), field
    assert "row 1, id: duplicate value 'structure-1'" in errors
    assert not any(error.startswith("row 0") for error in errors)
    assert standard.errors([example | {"formations_labels": "Étapes numériques (La Poste)"}]) == []


# --- places -------------------------------------------------------------------------------------------------


@pytest.fixture
async def places(directory: AsyncClient, identity_keys, communes) -> dict[str, dict[str, Any]]:
    """Four active places (with and without pivot, multi-values, one without coordinates, one in Haute-Savoie)
    and one withdrawn."""
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    specs = {
        "mediatheque": place_payload(
            courriels=["mediatheques@chambery.fr", "numerique@chambery.fr"],
            site_web=["https://www.bm-chambery.fr/", "https://www.facebook.com/bmchambery"],
            presentation_detail="Postes en accès libre, ateliers collectifs chaque semaine, aide "
            "individuelle "
            "sur rendez-vous.",
            itinerance=["Fixe"],
            formations_labels=["Étapes numériques (La Poste)", "Fabriques de Territoire"],
            autres_formations_labels=["Label Savoie numérique", "Pass numérique"],
            modalites_acces=["Se présenter", "Prendre un RDV en ligne"],
            prise_rdv="https://rdv.example.fr/bm",
            fiche_acces_libre="https://acceslibre.beta.gouv.fr/app/73-chambery/a/bibliotheque/erp/bm/",
        ),
        "france_services": place_payload(
            nom="France Services de Chambéry-le-Haut",
            adresse="Place du Forum",
            pivot=None,
            latitude=45.5860,
            longitude=5.9320,
            horaires="Mo-Fr 08:30-12:00,13:30-17:00; PH off",
            services=["Aide aux démarches administratives", "Accès internet et matériel informatique"],
            dispositif_programmes_nationaux=["France Services", "Conseillers numériques"],
            publics_specifiquement_adresses=[],
            frais_a_charge=["Gratuit sous condition"],
            modalites_acces=["Téléphoner", "Contacter par mail"],
            modalites_accompagnement=["Accompagnement individuel", "À distance"],
            presentation_resume="Démarches en ligne : impôts, CAF, retraite.",
            presentation_detail=None,
        ),
        "aix": place_payload(
            nom="Espace numérique d'Aix-les-Bains",
            adresse="Place Carnot",
            code_postal="73100",
            code_insee="73008",
            pivot=None,
            latitude=None,
            longitude=None,
            source="Mednum73",
            typologie=["ASSO"],
            telephone=None,
            courriels=[],
            site_web=[],
            horaires=None,
            presentation_resume=None,
            services=[
                "Acquisition de matériel informatique à prix solidaire",
                "Loisirs et créations numériques",
            ],
            publics_specifiquement_adresses=["Jeunes", "Étudiants", "Familles et/ou enfants"],
            prise_en_charge_specifique=["Langues étrangères (anglais)", "Surdité"],
            frais_a_charge=["Payant"],
            dispositif_programmes_nationaux=["Emmaüs Connect"],
            itinerance=["Itinérant", "Fixe"],
            modalites_acces=["Envoyer un mail avec une fiche de prescription"],
            modalites_accompagnement=[],
        ),
        "annecy": place_payload(
            nom="France Services d'Annecy",
            adresse="Place de la Libération",
            code_postal="74000",
            code_insee="74010",
            pivot=None,
            latitude=45.8992,
            longitude=6.1294,
            dispositif_programmes_nationaux=["France Services"],
        ),
        "withdrawn": place_payload(nom="Ancien point numérique", adresse="Rue de Boigne", pivot=None),
    }
    created, etags = {}, {}
    for key, payload in specs.items():
        response = await directory.post("/lieux", json=payload, headers=headers)
        assert response.status_code == 201, response.text
        created[key], etags[key] = response.json(), response.headers["etag"]
    withdrawn = await directory.delete(
        f"/lieux/{created['withdrawn']['id']}", headers=headers | {"if-match": etags["withdrawn"]}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return created


def ok(response: Response, media_type: str) -> Response:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert "content-length" not in response.headers  # streamed: chunked transfer
    return response


def by_id(items: Iterable[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


async def test_csv_export_follows_the_national_standard(
    directory: AsyncClient, places, standard: StandardValidator
):
    response = ok(await directory.get("/exports/lieux.csv"), "text/csv; charset=utf-8")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="lieux-mediation-numerique-{utcnow().date().isoformat()}.csv"'
    )
    header, rows = read_csv(response.text)
    assert header == standard.names
    assert standard.errors(rows) == []
    # The example's dialect: comma separated, every cell quoted, LF line ends.
    assert all(line.startswith('"') and line.endswith('"') for line in response.text.splitlines())
    assert "\r\n" not in response.text

    exported = by_id(rows)
    assert set(exported) == {places[key]["id"] for key in ("mediatheque", "france_services", "aix", "annecy")}
    mediatheque, france_services, aix = (
        exported[places[key]["id"]] for key in ("mediatheque", "france_services", "aix")
    )
    assert mediatheque["pivot"] == "21730065600006" and france_services["pivot"] == "00000000000000"
    assert mediatheque["source"] == "FNE Savoie" and aix["source"] == "Mednum73"
    assert (
        mediatheque["services"]
        == "Maîtrise des outils numériques du quotidien|Accès internet et matériel informatique"
    )
    assert mediatheque["formations_labels"] == "Étapes numériques (La Poste)|Fabriques de Territoire"
    assert mediatheque["courriels"] == "mediatheques@chambery.fr|numerique@chambery.fr"
    assert mediatheque["telephone"] == "+33479600404"
    assert aix["itinerance"] == "Itinérant|Fixe" and aix["telephone"] == "" and aix["horaires"] == ""
    assert mediatheque["date_maj"] == places["mediatheque"]["date_maj"]
    assert float(aix["latitude"]) == places["aix"]["latitude"]


async def test_json_export_has_the_same_records(directory: AsyncClient, places, standard: StandardValidator):
    response = ok(await directory.get("/exports/lieux.json"), "application/json")
    records = response.json()
    assert standard.errors(records) == []
    _, rows = read_csv((await directory.get("/exports/lieux.csv")).text)
    as_csv = [
        {name: "" if value is None else str(value) for name, value in record.items()} for record in records
    ]
    assert as_csv == rows
    aix = by_id(records)[places["aix"]["id"]]
    assert isinstance(aix["latitude"], float) and aix["telephone"] is None
    assert aix["publics_specifiquement_adresses"] == "Jeunes|Étudiants|Familles et/ou enfants"


async def test_geojson_export(directory: AsyncClient, places):
    response = ok(await directory.get("/exports/lieux.geojson"), "application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 4
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        place = next(place for place in places.values() if place["id"] == feature["properties"]["id"])
        assert feature["id"] == place["id"]
        assert feature["geometry"]["coordinates"] == [place["longitude"], place["latitude"]]
        assert feature["properties"]["geo_precision"] == place["geo_precision"]
        assert feature["properties"]["nom"] == place["nom"]
    aix = by_id(feature["properties"] for feature in collection["features"])[places["aix"]["id"]]
    assert aix["geo_precision"] == "commune"  # no coordinates given: the commune's reference point


# --- data·inclusion -----------------------------------------------------------------------------------------


def format_checker() -> FormatChecker:
    """date and email as jsonschema checks them; uri needs an optional package, so a strict-enough check here:
    an absolute URL with a scheme and a host."""
    checker = FormatChecker()

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme in ("http", "https") and parts.netloc) and not re.search(r"\s", value)

    assert {"date", "email", "uri"} <= set(checker.checkers)
    return checker


def di_validator(path: Path) -> Draft202012Validator:
    # The files are pydantic's JSON schemas, which carry no $schema: they are written for draft 2020-12.
    schema = load(path)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def schema_errors(validator: Draft202012Validator, items: list[dict[str, Any]]) -> list[str]:
    return [
        f"{item.get('id')}: {'/'.join(map(str, error.path))}: {error.message}"
        for item in items
        for error in validator.iter_errors(item)
    ]


def test_the_mappings_only_use_values_of_the_schemas():
    structure_enums = load(DI_STRUCTURE_SCHEMA)["$defs"]
    service_enums = load(DI_SERVICE_SCHEMA)["$defs"]
    thematiques = {item["value"] for item in load(DI_THEMATIQUES)}
    assert set(data_inclusion.RESEAUX_PORTEURS.values()) <= set(structure_enums["ReseauPorteur"]["enum"])
    numerique = {value for value in thematiques if value.startswith("numerique--")}
    assert {*data_inclusion.THEMATIQUES.values(), data_inclusion.FUNDAMENTALS} == numerique
    assert numerique <= set(service_enums["Thematique"]["enum"])
    assert set(data_inclusion.PUBLICS.values()) <= set(service_enums["Public"]["enum"])
    assert set(data_inclusion.MODES_MOBILISATION.values()) <= set(service_enums["ModeMobilisation"]["enum"])


async def test_data_inclusion_structures(directory: AsyncClient, places):
    response = ok(await directory.get("/exports/data-inclusion/structures.json"), "application/json")
    structures = response.json()
    validator = di_validator(DI_STRUCTURE_SCHEMA)
    assert schema_errors(validator, structures) == []
    assert schema_errors(
        validator,
        [structures[0] | {"reseaux_porteurs": ["inconnu"], "site_web": "pas une url", "date_maj": "hier"}],
    )  # the validator can fail
    exported = by_id(structures)
    assert set(exported) == {places[key]["id"] for key in ("mediatheque", "france_services", "aix", "annecy")}
    mediatheque, france_services, aix = (
        exported[places[key]["id"]] for key in ("mediatheque", "france_services", "aix")
    )
    assert {structure["source"] for structure in structures} == {"fne-savoie"}
    assert mediatheque["siret"] == "21730065600006" and france_services["siret"] is None
    assert mediatheque["courriel"] == "mediatheques@chambery.fr"
    assert mediatheque["site_web"] == "https://www.bm-chambery.fr/"
    assert mediatheque["description"].startswith("Postes en accès libre")
    assert france_services["description"] == "Démarches en ligne : impôts, CAF, retraite."
    assert aix["description"] is None
    assert mediatheque["reseaux_porteurs"] == ["conseillers-numeriques", "fabrique-de-territoire"]
    assert france_services["reseaux_porteurs"] == ["france-service", "conseillers-numeriques"]
    assert aix["reseaux_porteurs"] == ["emmaus"]
    assert mediatheque["horaires_accueil"] == "Tu-Sa 10:00-18:00; PH off"
    assert mediatheque["accessibilite_lieu"].startswith("https://acceslibre.beta.gouv.fr/")


async def test_data_inclusion_services(directory: AsyncClient, places):
    response = ok(await directory.get("/exports/data-inclusion/services.json"), "application/json")
    services = response.json()
    validator = di_validator(DI_SERVICE_SCHEMA)
    assert schema_errors(validator, services) == []
    assert schema_errors(
        validator, [services[0] | {"thematiques": ["numerique--cuisine"], "description": "abc"}]
    )
    assert len(services) == 8 and len({service["id"] for service in services}) == 8
    assert all(theme.startswith("numerique--") for service in services for theme in service["thematiques"])
    exported = by_id(services)
    fs_id, mediatheque_id, aix_id = (places[key]["id"] for key in ("france_services", "mediatheque", "aix"))

    procedures = exported[f"{fs_id}--aide-aux-demarches-administratives"]
    assert procedures["structure_id"] == fs_id and procedures["nom"] == "Aide aux démarches administratives"
    assert procedures["thematiques"] == ["numerique--acceder-a-des-services-en-ligne"]
    assert procedures["frais"] == "gratuit" and procedures["frais_precisions"] == "Gratuit sous condition."
    assert procedures["modes_accueil"] == ["en-presentiel", "a-distance"]
    assert procedures["modes_mobilisation"] == ["telephoner", "envoyer-un-courriel"]
    assert procedures["publics"] == ["tous-publics"] and procedures["type"] == "accompagnement"
    assert "Démarches en ligne" in procedures["description"]
    assert exported[f"{fs_id}--acces-internet-et-materiel-informatique"]["thematiques"] == [
        "numerique--acceder-a-une-connexion-internet"
    ]

    workshops = exported[f"{mediatheque_id}--maitrise-des-outils-numeriques-du-quotidien"]
    assert workshops["thematiques"] == ["numerique--maitriser-les-fondamentaux-du-numerique"]
    assert workshops["type"] == "atelier" and workshops["publics"] == ["seniors"]
    assert workshops["modes_mobilisation"] == ["se-presenter", "utiliser-lien-mobilisation"]
    assert workshops["lien_mobilisation"] == "https://rdv.example.fr/bm"
    assert workshops["mobilisable_par"] == ["usagers"]
    assert workshops["adresse"] == "Carré Curial" and workshops["code_insee"] == "73065"

    equipment = exported[f"{aix_id}--acquisition-de-materiel-informatique-a-prix-solidaire"]
    assert equipment["thematiques"] == ["numerique--acquerir-un-equipement"]
    assert equipment["type"] == "aide-materielle" and equipment["frais"] == "payant"
    assert equipment["publics"] == ["jeunes", "etudiants", "familles"]
    assert equipment["modes_mobilisation"] == ["envoyer-un-courriel"]
    assert equipment["mobilisable_par"] == ["usagers", "professionnels"]
    assert equipment["modes_accueil"] == ["en-presentiel"]


# --- filters ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/exports/lieux.csv",
        "/exports/lieux.json",
        "/exports/lieux.geojson",
        "/exports/data-inclusion/structures.json",
        "/exports/data-inclusion/services.json",
    ],
)
async def test_exports_honour_the_search_filters(directory: AsyncClient, places, path: str):
    def exported_ids(response: Response) -> set[str]:
        assert response.status_code == 200, response.text
        if path.endswith(".csv"):
            return {row["id"] for row in read_csv(response.text)[1]}
        items = response.json()
        if path.endswith(".geojson"):
            return {feature["id"] for feature in items["features"]}
        return {item.get("structure_id", item["id"]) for item in items}

    france_services_73 = await directory.get(
        path, params={"departement": "73", "dispositif_programmes_nationaux": "France Services"}
    )
    assert exported_ids(france_services_73) == {places["france_services"]["id"]}
    anywhere = await directory.get(path, params={"dispositif_programmes_nationaux": "France Services"})
    assert exported_ids(anywhere) == {places["france_services"]["id"], places["annecy"]["id"]}
    text = await directory.get(path, params={"q": "aix les bains"})
    assert exported_ids(text) == {places["aix"]["id"]}
    nothing = await directory.get(path, params={"code_insee": "73001"})
    assert exported_ids(nothing) == set()

    invalid = await directory.get(path, params={"services": "Cuisine"})
    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/problem+json"
    no_point = await directory.get(path, params={"tri": "distance"})
    assert no_point.status_code == 422 and no_point.json()["code"] == "invalid-search"


async def test_empty_exports_are_well_formed(directory: AsyncClient, communes, standard: StandardValidator):
    assert read_csv((await directory.get("/exports/lieux.csv")).text) == (standard.names, [])
    assert (await directory.get("/exports/lieux.json")).json() == []
    assert (await directory.get("/exports/lieux.geojson")).json() == {
        "type": "FeatureCollection",
        "features": [],
    }
    assert (await directory.get("/exports/data-inclusion/services.json")).json() == []


# --- streaming ----------------------------------------------------------------------------------------------

BULK = 2_500


def bulk_row(name: str, status: str, now: datetime, today: date, france_services: bool) -> dict[str, Any]:
    tags = {"services": ["Aide aux démarches administratives"]}
    if france_services:
        tags["dispositif_programmes_nationaux"] = ["France Services"]
    return {
        "id": str(uuid.uuid4()),
        "status": status,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "withdrawn_at": now if status == "withdrawn" else None,
        "pivot": None,
        "nom": f"Point numérique {name}",
        "adresse": "Avenue de Lyon",
        "commune": "Chambéry",
        "code_postal": "73000",
        "code_insee": "73065",
        "departement_code": "73",
        "latitude": 45.566,
        "longitude": 5.92,
        "geo_precision": "exacte",
        "courriels": [],
        "site_web": [],
        "autres_formations_labels": [],
        "date_maj": today,
        "tags": tags,
        "search_text": f"point numerique {name} chambery",
        "openings_until": None,
        "filter_keys": filter_keys.of_place(tags, {"departement_code": "73", "code_insee": "73065"}, ()),
    }


async def bulk_insert_places(db: AsyncSession, count: int) -> tuple[set[str], set[str]]:
    """`count` active places straight into the tables (one multi-row INSERT per table, none of the API's
    per-place work), one withdrawn place per hundred, every third one a France Services. Returns the ids of
    the active places and of the active France Services."""
    now, today = utcnow(), date.today() - timedelta(days=10)
    rows = []
    for index in range(count):
        rows.append(bulk_row(str(index), "active", now, today, france_services=index % 3 == 0))
        if index % 100 == 0:
            rows.append(bulk_row(f"{index} (retiré)", "withdrawn", now, today, france_services=True))
    await db.execute(insert(Place), rows)
    await db.commit()
    active = [row for row in rows if row["status"] == "active"]
    return (
        {row["id"] for row in active},
        {row["id"] for row in active if "dispositif_programmes_nationaux" in row["tags"]},
    )


async def asgi_get(app: FastAPI, path: str) -> tuple[int, dict[bytes, bytes], list[bytes]]:
    """Calls the app as a server would and records each body message it sends (httpx's ASGI transport joins
    them into one)."""
    messages: list[MutableMapping[str, Any]] = []
    requested = False

    async def receive() -> MutableMapping[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected; cancelled when the response is complete
        raise AssertionError("unreachable")

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)

    await app(
        {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"directory")],
            "server": ("directory", 80),
            "client": ("127.0.0.1", 50000),
        },
        receive,
        send,
    )
    start, *bodies = messages
    assert [body.get("more_body", False) for body in bodies][-1] is False
    return start["status"], dict(start["headers"]), [body["body"] for body in bodies if body.get("body")]


async def test_exports_stream_in_keyset_batches(
    directory: AsyncClient, directory_app: FastAPI, db: AsyncSession, communes
):
    active, france_services = await bulk_insert_places(db, BULK)
    assert len(active) == BULK and len(france_services) == 834

    status, headers, chunks = await asgi_get(directory_app, "/exports/lieux.csv")
    assert status == 200 and headers[b"content-type"] == b"text/csv; charset=utf-8"
    assert b"content-length" not in headers
    # The header, then one body message per batch of BATCH_SIZE places: never the whole export at once.
    assert [chunk.count(b"\n") for chunk in chunks] == [1, 1000, 1000, 500]
    _, rows = read_csv(b"".join(chunks).decode())
    ids = [row["id"] for row in rows]
    assert (
        len(ids) == len(set(ids)) == BULK and set(ids) == active
    )  # each active place once, no withdrawn one

    filtered = await directory.get(
        "/exports/data-inclusion/services.json", params={"dispositif_programmes_nationaux": "France Services"}
    )
    services = filtered.json()
    assert len(services) == len({service["id"] for service in services}) == len(france_services)
    assert {service["structure_id"] for service in services} == france_services

    # What the route returns when it renders: a StreamingResponse, whose body is produced batch by batch.
    directory_app.state.export_cache = ExportCache(max_bytes=0, settle_seconds=0)
    request = Request(
        {
            "type": "http",
            "app": directory_app,
            "path": "/exports/lieux.csv",
            "headers": [],
            "query_string": b"",
        }
    )
    streamed = await exports_router.export_csv(request, PlaceQuery())
    assert isinstance(streamed, StreamingResponse)
    body = streamed.body_iterator
    assert isinstance(body, AsyncGenerator)
    await body.aclose()


async def test_small_batches_keep_the_keyset_exact(directory: AsyncClient, places, monkeypatch):
    monkeypatch.setattr(exports_service, "BATCH_SIZE", 1)
    records = (await directory.get("/exports/lieux.json")).json()
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)) == 4
    assert set(ids) == {places[key]["id"] for key in ("mediatheque", "france_services", "aix", "annecy")}
    filtered = (
        await directory.get(
            "/exports/lieux.geojson", params={"dispositif_programmes_nationaux": "France Services"}
        )
    ).json()
    assert [feature["id"] for feature in filtered["features"]] == [
        record["id"]
        for record in records
        if record["id"] in {places["france_services"]["id"], places["annecy"]["id"]}
    ]


async def test_an_unchanged_export_is_served_as_kept_and_revalidated_by_its_tag(
    directory: AsyncClient, places, identity_keys
):
    plain = {"Accept-Encoding": "identity"}
    first = await directory.get("/exports/lieux.geojson", params={"departement": "73"}, headers=plain)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await directory.get("/exports/lieux.geojson", params={"departement": "73"}, headers=plain)
    assert again.headers["etag"] == tag and again.content == first.content
    assert (await directory.get("/exports/lieux.geojson", params={"departement": "74"})).headers[
        "etag"
    ] != tag
    unchanged = await directory.get(
        "/exports/lieux.geojson", params={"departement": "73"}, headers={"If-None-Match": tag}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""

    # A change of the directory gives the export a new tag and new content.
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    created = await directory.post(
        "/lieux", json=place_payload(nom="Nouveau point numérique", pivot=None), headers=headers
    )
    assert created.status_code == 201, created.text
    changed = await directory.get(
        "/exports/lieux.geojson", params={"departement": "73"}, headers={"If-None-Match": tag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert "Nouveau point numérique" in {
        feature["properties"]["nom"] for feature in changed.json()["features"]
    }


async def test_exports_that_depend_on_the_time_are_not_kept(directory: AsyncClient, places):
    response = await directory.get("/exports/lieux.csv", params={"ouvert": "true"})
    assert response.status_code == 200 and "etag" not in response.headers


async def test_the_cache_keeps_small_exports_compressed_within_its_memory_bound():
    cache = ExportCache(max_bytes=8000, settle_seconds=60)
    settled = datetime.now(UTC) - timedelta(minutes=5)  # the directory's latest change, long committed

    async def chunks(size: int, seed: int = 0):
        rng = random.Random(seed)  # random bytes do not compress: sizes stay what they are
        for _ in range(size // 50):
            yield rng.randbytes(50)

    async def kept(name: str, size: int) -> bytes:
        return b"".join([chunk async for chunk in cache.recording(name, settled, chunks(size))])

    body = await kept("a", 500)
    compressed = cache.get("a")
    assert compressed is not None and gzip.decompress(compressed) == body
    await kept("huge", 2000)  # more than 8000 / 8 once compressed: streamed, not kept
    assert cache.get("huge") is None
    for index in range(16):  # the oldest ones go first once the bound is reached
        await kept(f"more{index}", 500)
    assert cache.get("a") is None and cache.get("more15") is not None


async def test_an_export_rendered_soon_after_a_change_is_kept_only_until_late_writes_have_committed(
    monkeypatch,
):
    cache = ExportCache(max_bytes=8000, settle_seconds=60)
    clock = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: clock[0])

    async def render(tag: str, version: datetime | None) -> None:
        [_ async for _ in cache.recording(tag, version, _chunks(b"[1,2]"))]

    now = datetime.now(UTC)
    await render("settled", now - timedelta(seconds=61))
    await render("recent", now - timedelta(seconds=20))  # a write stamped before now may still commit
    await render("empty", None)
    clock[0] += 39
    assert all(cache.get(tag) is not None for tag in ("settled", "recent", "empty"))
    clock[0] += 2  # 61 s after the change: the recent rendering may miss a write committed since
    assert cache.get("recent") is None
    clock[0] += 86_400
    assert cache.get("settled") is not None and cache.get("empty") is not None


async def _chunks(*parts: bytes):
    for part in parts:
        yield part


async def test_kept_exports_go_compressed_to_clients_that_accept_it(directory: AsyncClient, places):
    plain = await directory.get("/exports/lieux.json", headers={"Accept-Encoding": "identity"})
    again = await directory.get("/exports/lieux.json", headers={"Accept-Encoding": "identity"})
    assert again.content == plain.content and "content-encoding" not in again.headers
    compressed = await directory.get("/exports/lieux.json", headers={"Accept-Encoding": "gzip, br"})
    assert (
        compressed.headers["content-encoding"] == "gzip" and compressed.content == plain.content
    )  # httpx inflates
    assert (
        compressed.headers["etag"] != plain.headers["etag"]
        and compressed.headers["vary"] == "Accept-Encoding"
    )
    # A rendering streamed to a gzip-accepting client goes as it is rendered, with the plain representation's
    # tag.
    first_gzip = await directory.get("/exports/lieux.geojson", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in first_gzip.headers and not first_gzip.headers["etag"].endswith('-gzip"')
    for tag in (plain.headers["etag"], compressed.headers["etag"]):
        revalidated = await directory.get("/exports/lieux.json", headers={"If-None-Match": tag})
        assert revalidated.status_code == 304 and revalidated.headers["etag"] == tag


async def test_requests_for_an_export_being_rendered_wait_for_it():
    cache = ExportCache(max_bytes=8000, settle_seconds=60)
    release = asyncio.Event()
    renders = 0

    async def slow_chunks():
        nonlocal renders
        renders += 1
        yield b"[1,"
        await release.wait()
        yield b"2]"

    async def first() -> bytes:
        return b"".join([chunk async for chunk in cache.recording("t", None, slow_chunks())])

    rendering = asyncio.create_task(first())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(cache.rendered("t", timeout=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    release.set()
    assert await rendering == b"[1,2]"
    waited = await waiting
    assert waited is not None and gzip.decompress(waited) == b"[1,2]" and renders == 1
    assert await cache.rendered("other", timeout=5) is None  # nothing rendering: no wait
