import json

import pytest
from httpx import AsyncClient

from tests.support import REFERENCE
from tests.surveys.factories import published, small_definition

PROBLEM = "application/problem+json"


async def test_a_draft_is_published_immutable_with_its_content_hash_then_retired(
    surveys: AsyncClient, coordinator
):
    created = await surveys.post("/questionnaires", json=small_definition(), headers=coordinator)
    assert created.status_code == 201, created.text
    draft = created.json()
    assert (draft["statut"], draft["version"], draft["empreinte"]) == ("draft", 1, None)
    assert created.headers["location"] == f"/questionnaires/{draft['id']}"

    changed = small_definition(title={"fr": "Nouveau titre"})
    assert (
        await surveys.put(f"/questionnaires/{draft['id']}", json=changed, headers=coordinator)
    ).status_code == 200
    publication = await surveys.post(f"/questionnaires/{draft['id']}/publication", headers=coordinator)
    assert publication.status_code == 200
    version = publication.json()
    assert version["statut"] == "published" and len(version["empreinte"]) == 64
    assert version["titre"] == "Nouveau titre"

    refused = await surveys.put(
        f"/questionnaires/{draft['id']}", json=small_definition(), headers=coordinator
    )
    assert refused.status_code == 409 and refused.json()["code"] == "questionnaire-not-draft"
    assert (await surveys.delete(f"/questionnaires/{draft['id']}", headers=coordinator)).status_code == 409

    second = await surveys.post("/questionnaires", json=small_definition(), headers=coordinator)
    assert second.json()["version"] == 2
    again = await surveys.post("/questionnaires", json=small_definition(), headers=coordinator)
    assert again.status_code == 409 and again.json()["code"] == "draft-already-open"

    retired = await surveys.post(f"/questionnaires/{draft['id']}/retrait", headers=coordinator)
    assert retired.json()["statut"] == "retired" and retired.json()["retire_le"]
    listed = await surveys.get("/questionnaires", params={"code": "essai"}, headers=coordinator)
    assert [(item["version"], item["statut"]) for item in listed.json()["items"]] == [
        (1, "retired"),
        (2, "draft"),
    ]
    assert listed.json()["total"] == 2


async def test_invalid_definitions_name_the_faulty_field(surveys: AsyncClient, coordinator):
    definition = small_definition()
    definition["questions"][2]["relevant"] = "${inconnue} = 'x'"
    definition["questions"][5]["constraint"] = ". >= (18"
    definition["questions"][4]["maximum"] = None
    malformed = await surveys.post("/questionnaires", json=definition, headers=coordinator)
    assert malformed.status_code == 422 and malformed.headers["content-type"] == PROBLEM
    fields = {error["field"] for error in malformed.json()["errors"]}
    assert {"questions.5.constraint", "questions.4"} <= fields

    definition = small_definition()
    definition["questions"][2]["relevant"] = "${inconnue} = 'x'"
    definition["scoring"]["rules"][0]["dimension"] = "toile-capacites/voler"
    definition["scoring"]["rules"][1]["question"] = "capacites.nager"
    unusable = await surveys.post("/questionnaires", json=definition, headers=coordinator)
    assert unusable.status_code == 422
    errors = {error["field"]: error for error in unusable.json()["errors"]}
    assert set(errors) == {"questions.2.relevant", "scoring.rules.0.dimension", "scoring.rules.1.question"}
    assert "equipement" in errors["scoring.rules.0.dimension"]["allowed"]
    assert (await surveys.get("/questionnaires", headers=coordinator)).json()["total"] == 0


async def test_a_published_key_never_changes_meaning(surveys: AsyncClient, coordinator):
    await published(surveys, coordinator, small_definition())
    definition = small_definition()
    definition["questions"][4] |= {"minimum": 0, "maximum": 10}  # aisance: 1–4 before
    definition["questions"][5] = {"key": "age", "type": "text", "label": {"fr": "Âge en lettres"}}
    draft = (await surveys.post("/questionnaires", json=definition, headers=coordinator)).json()
    refused = await surveys.post(f"/questionnaires/{draft['id']}/publication", headers=coordinator)
    assert refused.status_code == 422
    assert {error["field"] for error in refused.json()["errors"]} == {"questions.4.key", "questions.5.key"}
    assert (await surveys.get(f"/questionnaires/{draft['id']}", headers=coordinator)).json()[
        "statut"
    ] == "draft"

    compatible = small_definition()
    compatible["questions"][2]["choices"].append({"value": "jamais", "label": {"fr": "Jamais"}})
    compatible["questions"].append({"key": "nouvelle", "type": "text", "label": {"fr": "Nouvelle question"}})
    await surveys.put(f"/questionnaires/{draft['id']}", json=compatible, headers=coordinator)
    assert (
        await surveys.post(f"/questionnaires/{draft['id']}/publication", headers=coordinator)
    ).status_code == 200


async def test_mediators_fill_but_do_not_author(surveys: AsyncClient, mediator, reader_key):
    refused = await surveys.post("/questionnaires", json=small_definition(), headers=mediator)
    assert refused.status_code == 403 and refused.json()["required_roles"] == ["admin", "coordinator"]
    assert (
        await surveys.post("/questionnaires", json=small_definition(), headers=reader_key)
    ).status_code == 403
    assert (await surveys.post("/questionnaires", json=small_definition())).status_code == 401
    assert (await surveys.get("/questionnaires", headers=mediator)).status_code == 200


async def test_xlsform_json_and_workbook_round_trip(surveys: AsyncClient, coordinator):
    original = await published(surveys, coordinator, small_definition())
    document = (await surveys.get(f"/questionnaires/{original['id']}/xlsform", headers=coordinator)).json()
    types = [row["type"] for row in document["survey"]]
    assert types[:3] == ["note", "select_one yes_no", "select_one frequence"]
    assert "begin_group" in types and "range" in types
    assert document["settings"][0]["form_id"] == "essai" and document["settings"][0]["version"] == 1

    workbook = await surveys.get(f"/questionnaires/{original['id']}/xlsform.xlsx", headers=coordinator)
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    imported = await surveys.post(
        "/questionnaires/xlsform.xlsx", content=workbook.content, headers=coordinator
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["definition"] == original["definition"] and imported.json()["version"] == 2
    await surveys.delete(f"/questionnaires/{imported.json()['id']}", headers=coordinator)

    from_json = await surveys.post("/questionnaires/xlsform", json=document, headers=coordinator)
    assert from_json.status_code == 201 and from_json.json()["definition"] == original["definition"]


async def test_xlsform_errors_point_at_the_sheet_row_and_column(surveys: AsyncClient, coordinator):
    document = {
        "settings": [{"form_id": "mal-forme", "form_title::fr": "Mal formé"}],
        "survey": [
            {"type": "select_one absente", "name": "q1", "label::fr": "Q1"},
            {"type": "geopoint", "name": "q2", "label::fr": "Q2"},
            {"type": "integer", "name": "q3", "label::fr": "Q3", "parameters": "min=x"},
        ],
        "choices": [],
    }
    response = await surveys.post("/questionnaires/xlsform", json=document, headers=coordinator)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [
        "survey.0.type",
        "survey.1.type",
        "survey.2.parameters",
    ]
    unreadable = await surveys.post(
        "/questionnaires/xlsform.xlsx", content=b"not a workbook", headers=coordinator
    )
    assert unreadable.status_code == 422 and unreadable.json()["errors"][0]["field"] == "fichier"


async def test_the_three_ready_questionnaires_are_published(surveys: AsyncClient, coordinator, shipped):
    assert set(shipped) == {"toile-capacites", "autopositionnement-pix", "ressenti-citoyen"}
    pix = (
        await surveys.get(f"/questionnaires/{shipped['autopositionnement-pix']}", headers=coordinator)
    ).json()
    rules = pix["definition"]["scoring"]["rules"]
    assert len(rules) == 16 and {rule["dimension"] for rule in rules} == {
        f"pix-crcn/{domain}.{competence}"
        for domain, count in enumerate((3, 4, 4, 3, 2), start=1)
        for competence in range(1, count + 1)
    }
    citizen = (
        await surveys.get(f"/questionnaires/{shipped['ressenti-citoyen']}", headers=coordinator)
    ).json()
    dimensions = {rule["dimension"].split("/")[0] for rule in citizen["definition"]["scoring"]["rules"]}
    assert dimensions == {"ressenti-numerique", "eurostat-dsi"}
    toile = (await surveys.get(f"/questionnaires/{shipped['toile-capacites']}", headers=coordinator)).json()
    axes = [question for question in toile["definition"]["questions"] if question["key"].startswith("axe_")]
    framework = (await surveys.get("/referentiels/toile-capacites/2026-1")).json()
    assert [axis["key"] for axis in axes] == [f"axe_{d['code']}" for d in framework["dimensions"]]
    assert {(axis["minimum"], axis["maximum"]) for axis in axes} == {(1, 4)}


async def test_the_toile_questionnaire_follows_its_definition_file(surveys_app, tmp_path):
    """Another grid in SURVEYS_FRAMEWORKS_DIR (a new version of the file) gives another questionnaire
    version."""
    from fne_surveys.frameworks.registry import SHIPPED_DIR, Frameworks
    from fne_surveys.questionnaires.catalogue import shipped_definitions

    grid = json.loads((SHIPPED_DIR / "toile-capacites.json").read_text())
    grid["version"] = "2027-officielle"
    grid["scale"] = [
        {"value": value, "code": f"n{value}", "label": f"Niveau {value}"} for value in range(0, 6)
    ]
    grid["dimensions"] = grid["dimensions"][:6]
    (tmp_path / "toile-officielle.json").write_text(json.dumps(grid))
    toile = next(
        definition
        for definition in shipped_definitions(Frameworks.load(tmp_path))
        if definition.code == "toile-capacites"
    )
    axes = [question for question in toile.questions if question.key.startswith("axe_")]
    assert len(axes) == 6 and (axes[0].minimum, axes[0].maximum) == (0, 5)
    assert toile.scoring is not None and toile.scoring.frameworks["toile-capacites"] == "2027-officielle"


def test_the_shipped_toile_is_a_capacity_web_read_from_its_file():
    """Its axes, their questions, its scale and levels are the definition file's: nothing of it is in the
    code."""
    from fne_surveys.frameworks.registry import SHIPPED_DIR, Frameworks
    from fne_surveys.questionnaires.catalogue import shipped_definitions

    grid = json.loads((SHIPPED_DIR / "toile-capacites.json").read_text())
    assert grid["kind"] == "toile" and 6 <= len(grid["dimensions"]) <= 10
    assert all(axis["question"] and axis["digcomp"] for axis in grid["dimensions"])
    toile = next(
        definition
        for definition in shipped_definitions(Frameworks.load())
        if definition.code == "toile-capacites"
    )
    axes = [question for question in toile.questions if question.key.startswith("axe_")]
    assert [(axis.key, axis.label["fr"]) for axis in axes] == [
        (f"axe_{axis['code']}", axis["question"]) for axis in grid["dimensions"]
    ]
    assert toile.questions[0].label["fr"] == grid["description"]
    assert all(point["label"] in (axes[0].hint or {})["fr"] for point in grid["scale"])


def test_a_toile_file_outside_six_to_ten_axes_or_without_a_scale_is_refused(tmp_path):
    from fne_surveys.frameworks.registry import SHIPPED_DIR, FrameworkFileError, Frameworks

    grid = json.loads((SHIPPED_DIR / "toile-capacites.json").read_text())
    axis = grid["dimensions"][0]
    broken = [
        {"dimensions": grid["dimensions"][:5]},
        {"dimensions": [axis | {"code": f"axe{index}"} for index in range(11)]},
        {"scale": grid["scale"][:1]},
        {"scale": list(reversed(grid["scale"]))},
        {"dimensions": [*grid["dimensions"][:6], axis | {"code": "sous_axe", "parent": axis["code"]}]},
    ]
    for number, change in enumerate(broken):
        directory = tmp_path / str(number)
        directory.mkdir()
        (directory / "grille.json").write_text(json.dumps(grid | change | {"version": "essai"}))
        with pytest.raises(FrameworkFileError, match=r"une toile|d.une toile"):
            Frameworks.load(directory)


async def test_the_network_can_add_its_own_grid_as_a_file(surveys_app, tmp_path):
    """A capacity web of another code in SURVEYS_FRAMEWORKS_DIR gets a questionnaire of its own, the shipped
    one staying as it was."""
    from fne_surveys.frameworks.registry import Frameworks
    from fne_surveys.questionnaires.catalogue import shipped_definitions

    scale = [{"value": value, "code": f"p{value}", "label": f"Palier {value}"} for value in (1, 2, 3)]
    grid = {
        "code": "toile-reseau",
        "version": "2027-1",
        "kind": "toile",
        "title": "Toile du réseau",
        "description": "Situez-vous sur chaque axe.",
        "scale": scale,
        "levels": [
            {"level": point["value"], "code": point["code"], "label": point["label"], "min_percent": percent}
            for point, percent in zip(scale, (0, 40, 80), strict=True)
        ],
        "dimensions": [{"code": f"axe{index}", "label": f"Axe {index}"} for index in range(1, 8)],
    }
    (tmp_path / "toile-reseau.json").write_text(json.dumps(grid))
    definitions = {
        definition.code: definition for definition in shipped_definitions(Frameworks.load(tmp_path))
    }
    assert {"toile-capacites", "toile-reseau"} <= set(definitions)
    axes = [question for question in definitions["toile-reseau"].questions if question.key.startswith("axe_")]
    assert [(axis.key, axis.label["fr"], axis.minimum, axis.maximum) for axis in axes] == [
        (f"axe_axe{index}", f"Axe {index}", 1, 3) for index in range(1, 8)
    ]


async def test_frameworks_carry_pix_digcomp_and_the_national_vocabulary(surveys: AsyncClient):
    pix = (await surveys.get("/referentiels/pix-crcn/2019")).json()
    competences = [d for d in pix["dimensions"] if d.get("parent")]
    assert len(competences) == 16 and len([d for d in pix["dimensions"] if not d.get("parent")]) == 5
    assert competences[0]["label"] == "Mener une recherche et une veille d'information"
    assert competences[-1]["label"] == "Construire un environnement numérique"
    assert all(d["digcomp"] for d in competences)
    assert [level["level"] for level in pix["levels"]] == list(range(9))

    openapi = json.loads((REFERENCE / "coop-mediation-api-v1-openapi.json").read_text())
    activity = openapi["components"]["schemas"]["Activite"]["properties"]["attributes"]["properties"]
    autonomy = (await surveys.get("/referentiels/autonomie-cra/coop-v1")).json()
    assert [point["code"] for point in autonomy["scale"]] == activity["autonomie"]["enum"]
    assert [d["code"] for d in autonomy["dimensions"]] == activity["thematiques"]["items"]["enum"]
    assert (await surveys.get("/referentiels/pix-crcn/1999")).status_code == 404
    listed = (await surveys.get("/referentiels")).json()
    assert {item["code"] for item in listed} >= {
        "pix-crcn",
        "toile-capacites",
        "autonomie-cra",
        "eurostat-dsi",
    }


def test_a_definition_that_is_not_a_framework_stops_the_service(tmp_path):
    import pytest

    from fne_surveys.frameworks.registry import FrameworkFileError, Frameworks

    (tmp_path / "cassé.json").write_text(
        json.dumps(
            {
                "code": "x",
                "version": "1",
                "title": "x",
                "levels": [{"level": 0, "code": "a", "label": "a", "min_percent": 10}] * 2,
                "dimensions": [{"code": "a", "label": "a", "parent": "b"}],
            }
        )
    )
    with pytest.raises(FrameworkFileError, match=r"cassé\.json"):
        Frameworks.load(tmp_path)


async def test_installing_the_ready_questionnaires_twice_changes_nothing(surveys_app, shipped):
    from fne_surveys.questionnaires.catalogue import install

    async with surveys_app.state.sessions() as session, session.begin():
        assert await install(session, surveys_app.state.frameworks) == []
