import csv
import io
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.territories.models import CommuneAlias
from tests.observatory.factories import IFN_FILE, french_csv, ifn_parameters, upload


def ifn_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(IFN_FILE.read_text(encoding="utf-8"))))


async def publish_ifn(
    client: AsyncClient, headers: dict[str, str], content: bytes | None = None, **changes: object
) -> dict:
    created = await client.post(
        "/imports", headers=headers, **upload(content or IFN_FILE.read_bytes(), ifn_parameters(**changes))
    )
    assert created.status_code == 201, created.text
    published = await client.post(f"/imports/{created.json()['id']}/publication", headers=headers)
    assert published.status_code == 200, published.text
    return published.json()


async def value_of(client: AsyncClient, indicator: str, level: str, code: str, period: str = "2021") -> dict:
    response = await client.get(
        f"/indicateurs/{indicator}/valeurs", params={"niveau": level, "periode": period, "size": 200}
    )
    assert response.status_code == 200, response.text
    return next(item for item in response.json()["items"] if item["code"] == code)


async def test_the_real_ifn_file_is_validated_then_published(observatory: AsyncClient, coordinator: dict):
    report = (
        await observatory.post(
            "/imports/validation", headers=coordinator, **upload(IFN_FILE.read_bytes(), ifn_parameters())
        )
    ).json()
    assert report["valide"] and report["resume"]["observations"] == 6 * 273
    assert report["resume"]["communes_manquantes"] == 0 and report["fichier"]["encodage"] == "utf-8"

    created = await observatory.post(
        "/imports", headers=coordinator, **upload(IFN_FILE.read_bytes(), ifn_parameters())
    )
    assert created.status_code == 201 and created.json()["statut"] == "valide"
    # Stored, validated, and still not public.
    assert (await observatory.get("/indicateurs/ifn_total/valeurs")).status_code == 404

    published = await observatory.post(f"/imports/{created.json()['id']}/publication", headers=coordinator)
    assert published.json()["statut"] == "publie" and published.json()["publie_par"].startswith("Camille")
    chambery = await value_of(observatory, "ifn_total", "commune", "73065")
    expected = next(row for row in ifn_rows() if row["code"] == "73065")
    assert chambery["valeur"] == float(expected["total"]) and chambery["origine"] == "observee"


async def test_above_the_commune_the_score_is_weighted_by_population_never_a_plain_mean(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    populations: dict[str, Any] = {}
    for page in (1, 2):
        listing = (
            await observatory.get(
                "/territoires",
                params={"niveau": "commune", "dans": "departement:73", "size": 200, "page": page},
            )
        ).json()
        populations |= {item["code"]: item["population"] for item in listing["items"]}
    scores = {row["code"]: float(row["total"]) for row in ifn_rows()}
    weighted = sum(scores[code] * populations[code] for code in scores) / sum(
        populations[code] for code in scores
    )
    plain = sum(scores.values()) / len(scores)

    savoie = await value_of(observatory, "ifn_total", "departement", "73")
    assert abs(savoie["valeur"] - weighted) < 1e-9 and abs(savoie["valeur"] - plain) > 0.1
    assert savoie["origine"] == "agregee" and (savoie["communes_couvertes"], savoie["communes"]) == (273, 273)
    assert savoie["couverture"] == 1 and not savoie["donnees_partielles"]
    # With values for Savoie only, the aggregates of France and the region cover its population only: they are
    # not published as France's or the region's value (Savoie's 5.69 was shown as France's), « données
    # partielles » instead, with their coverage.
    savoie_population = (await observatory.get("/territoires/departement/73")).json()["population"]
    for level, code in (("pays", "FR"), ("region", "84")):
        whole = (await observatory.get(f"/territoires/{level}/{code}")).json()["population"]
        partial = await value_of(observatory, "ifn_total", level, code)
        assert (partial["valeur"], partial["donnees_partielles"]) == (None, True)
        assert partial["couverture"] == pytest.approx(savoie_population / whole, abs=1e-4)
        assert partial["communes_couvertes"] == 273 and partial["communes"] > 273
    assert savoie_population / whole < 0.1  # the region's population counts the départements not loaded


async def test_a_new_version_replaces_the_published_one_and_withdrawing_it_brings_the_old_one_back(
    observatory: AsyncClient, coordinator: dict
):
    first = await publish_ifn(observatory, coordinator)
    rows = ifn_rows()
    for row in rows:
        if row["code"] == "73065":
            row["total"] = "9.9"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    second = await publish_ifn(observatory, coordinator, buffer.getvalue().encode())
    assert second["version"] == first["version"] + 1
    assert (await value_of(observatory, "ifn_total", "commune", "73065"))["valeur"] == 9.9
    listing = (await observatory.get("/imports", headers=coordinator, params={"jeu": "ifn-savoie"})).json()
    assert {item["version"]: item["statut"] for item in listing["items"]} == {1: "remplace", 2: "publie"}

    withdrawn = await observatory.post(f"/imports/{second['id']}/retrait", headers=coordinator)
    assert withdrawn.status_code == 200 and withdrawn.json()["statut"] == "retire"
    original = next(float(row["total"]) for row in ifn_rows() if row["code"] == "73065")
    assert (await value_of(observatory, "ifn_total", "commune", "73065"))["valeur"] == original
    listing = (await observatory.get("/imports", headers=coordinator, params={"jeu": "ifn-savoie"})).json()
    assert {item["version"]: item["statut"] for item in listing["items"]} == {1: "publie", 2: "retire"}
    # Withdrawn twice: refused; the withdrawn version can be deleted, the published one cannot.
    assert (
        await observatory.post(f"/imports/{second['id']}/retrait", headers=coordinator)
    ).status_code == 409
    assert (await observatory.delete(f"/imports/{first['id']}", headers=coordinator)).status_code == 409
    assert (await observatory.delete(f"/imports/{second['id']}", headers=coordinator)).status_code == 204


async def test_a_french_spreadsheet_export_is_read_cp1252_semicolons_decimal_commas(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    content = french_csv(
        [("73065", "12 345"), ("73008", "1 020"), ("73011", "ns")],
        header=("Code géographique", "Demandes traitées"),
    )
    parameters = {
        "jeu": "france-services-2025",
        "titre": "Fréquentation des France Services",
        "millesime": "2025",
        "source": "ANCT",
        "colonne_code": "Code géographique",
        "periode": "2025",
        "indicateurs": {"france_services_frequentation": "Demandes traitées"},
    }
    report = (
        await observatory.post("/imports/validation", headers=coordinator, **upload(content, parameters))
    ).json()
    assert report["fichier"]["encodage"] == "cp1252" and report["fichier"]["separateur"] == ";"
    assert report["fichier"]["colonnes"] == ["Code géographique", "Demandes traitées"]
    assert not report["valide"]
    assert report["erreurs"] == [
        {
            "type": "non-numerique",
            "ligne": 4,
            "colonne": "Demandes traitées",
            "valeur": "ns",
            "message": "valeur de france_services_frequentation : nombre attendu",
        }
    ]

    ratio = french_csv(
        [("73065", "6 123", "58 919"), ("73008", "1 020,5", "20 000")], header=("code", "pop75", "pop")
    )
    ratio = b"\xef\xbb\xbf" + ratio.decode("cp1252").encode("utf-8")
    parameters = {
        "jeu": "rp-75-ans",
        "titre": "Population de 75 ans et plus",
        "millesime": "RP 2021",
        "source": "INSEE",
        "colonne_code": "code",
        "periode": "2021",
        "statut": "provisoire",
        "indicateurs": {"part_75_ans_et_plus": {"numerateur": "pop75", "denominateur": "pop"}},
    }
    created = await observatory.post("/imports", headers=coordinator, **upload(ratio, parameters))
    assert created.status_code == 201, created.text
    assert created.json()["rapport"]["fichier"]["encodage"] == "utf-8-sig"
    assert created.json()["rapport"]["resume"]["communes_manquantes"] == 271
    await observatory.post(f"/imports/{created.json()['id']}/publication", headers=coordinator)
    savoie = await value_of(observatory, "part_75_ans_et_plus", "departement", "73", "2021")
    # Two communes are not Savoie: under the coverage threshold (95 % of its population by default).
    assert (savoie["valeur"], savoie["numerateur"], savoie["donnees_partielles"]) == (None, None, True)
    assert 0.1 < savoie["couverture"] < 0.25
    # The threshold is a setting: at 10 %, the same aggregate is published.
    settings = observatory_app.state.settings
    observatory_app.state.settings = settings.model_copy(update={"coverage_threshold": 0.1})
    savoie = await value_of(observatory, "part_75_ans_et_plus", "departement", "73", "2021")
    # A ratio of sums: (6123 + 1020.5) / (58919 + 20000), not the mean of the two rates.
    assert abs(savoie["valeur"] - (6123 + 1020.5) / (58919 + 20000) * 100) < 1e-9
    assert savoie["numerateur"] == 7143.5 and savoie["statut"] == "provisoire"


async def test_an_xlsx_workbook_is_read_from_the_named_sheet(observatory: AsyncClient, coordinator: dict):
    workbook = Workbook()
    workbook.active.title = "notes"
    sheet = workbook.create_sheet("donnees")
    sheet.append(["insee", "accompagnements", "trimestre"])
    sheet.append([73065, 420, "2025-T1"])
    sheet.append([73065, 510.0, "2025-T2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parameters = {
        "jeu": "coop-2025",
        "titre": "Activité des médiateurs",
        "millesime": "2025",
        "source": "Coop",
        "colonne_code": "insee",
        "colonne_periode": "trimestre",
        "feuille": "donnees",
        "indicateurs": {"mediation_accompagnements": "accompagnements"},
    }
    created = await observatory.post(
        "/imports", headers=coordinator, **upload(buffer.getvalue(), parameters, "activite.xlsx")
    )
    assert created.status_code == 201, created.text
    assert created.json()["rapport"]["resume"]["periodes"] == ["2025-T1", "2025-T2"]
    sheet.append([73011, 12, "2025-03"])  # a month, for a quarterly indicator
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = (
        await observatory.post(
            "/imports/validation",
            headers=coordinator,
            **upload(buffer.getvalue(), parameters, "activite.xlsx"),
        )
    ).json()
    assert [(error["type"], error["ligne"]) for error in report["erreurs"]] == [("periode-inadaptee", 4)]
    parameters["feuille"] = "absente"
    refused = await observatory.post(
        "/imports", headers=coordinator, **upload(buffer.getvalue(), parameters, "activite.xlsx")
    )
    assert refused.status_code == 422 and refused.json()["code"] == "unreadable-file"
    assert "donnees" in refused.json()["detail"]


async def test_bad_rows_get_a_report_with_line_numbers_and_nothing_is_stored(
    observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    alias = await db.scalar(
        select(CommuneAlias)
        .where(CommuneAlias.commune_code.like("73%"), CommuneAlias.kind == "COMD")
        .limit(1)
    )
    assert alias is not None
    content = (
        "code,total\n"
        "73065,5.1\n"
        "99999,4.0\n"  # unknown
        f"{alias.code},4.0\n"  # a former commune, merged
        "73065,5.2\n"  # duplicate
        "73008,12\n"  # out of range (0–10)
        "73011,abc\n"  # not a number
        "73004,\n"  # empty: a warning
    ).encode()
    response = await observatory.post(
        "/imports", headers=coordinator, **upload(content, ifn_parameters(indicateurs={"ifn_total": "total"}))
    )
    assert response.status_code == 422 and response.json()["code"] == "import-invalid"
    report = response.json()["rapport"]
    assert [(error["type"], error["ligne"]) for error in report["erreurs"]] == [
        ("code-inconnu", 3),
        ("code-perime", 4),
        ("doublon", 5),
        ("hors-bornes", 6),
        ("non-numerique", 7),
    ]
    assert alias.commune_code in report["erreurs"][1]["message"]
    assert report["resume"]["avertissements"]["valeur-manquante"] == 1
    assert report["resume"]["avertissements"]["commune-manquante"] > 260
    assert (await observatory.get("/imports", headers=coordinator)).json()["total"] == 0


async def test_a_wrong_mapping_is_refused_naming_the_field(observatory: AsyncClient, coordinator: dict):
    content = IFN_FILE.read_bytes()
    response = await observatory.post(
        "/imports",
        headers=coordinator,
        **upload(
            content,
            ifn_parameters(indicateurs={"ifn_total": "Total", "inconnu": "total", "lieux_nombre": "total"}),
        ),
    )
    assert response.status_code == 422
    errors = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert (
        "'Total' absente du fichier (voulez-vous dire 'total' ?)"
        in errors["parametres.indicateurs.ifn_total"]
    )
    assert "absent du catalogue" in errors["parametres.indicateurs.inconnu"]
    assert "calculé par l'observatoire" in errors["parametres.indicateurs.lieux_nombre"]

    response = await observatory.post(
        "/imports", headers=coordinator, **upload(content, ifn_parameters(periode="2021-03"))
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "parametres.periode"
    response = await observatory.post(
        "/imports",
        headers=coordinator,
        files={"fichier": ("f.csv", content)},
        data={"parametres": "{pas du json"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "parametres"
    response = await observatory.post(
        "/imports", headers=coordinator, **upload(b"\x00\x01\x02", ifn_parameters())
    )
    assert response.status_code == 422 and response.json()["code"] == "unreadable-file"


async def test_publishing_over_another_datasets_values_is_a_conflict(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    other = await observatory.post(
        "/imports",
        headers=coordinator,
        **upload(
            b"code,total\n73065,5.0\n",
            ifn_parameters(jeu="ifn-autre-source", indicateurs={"ifn_total": "total"}),
        ),
    )
    response = await observatory.post(f"/imports/{other.json()['id']}/publication", headers=coordinator)
    assert response.status_code == 409 and response.json()["conflits"] == 1
    assert response.json()["exemples"][0] == {
        "indicateur": "ifn_total",
        "periode": "2021",
        "territoire": "commune:73065",
        "jeu": "ifn-savoie",
        "version": "1",
    }


async def test_imports_need_the_observatory_write_scope(
    observatory: AsyncClient, mediator: dict, observatory_key: dict
):
    arguments = upload(IFN_FILE.read_bytes(), ifn_parameters())
    assert (await observatory.post("/imports", **arguments)).status_code == 401
    assert (await observatory.post("/imports", headers=mediator, **arguments)).status_code == 403
    assert (await observatory.get("/imports", headers=mediator)).status_code == 403
    assert (await observatory.post("/imports", headers=observatory_key, **arguments)).status_code == 201
