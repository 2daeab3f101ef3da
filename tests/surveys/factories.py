"""Payloads for the surveys tests."""

from typing import Any

from httpx import AsyncClient


def small_definition(code: str = "essai", **overrides: Any) -> dict[str, Any]:
    """A questionnaire with one question of each type, skip logic, constraints and scoring on the toile."""
    definition: dict[str, Any] = {
        "code": code,
        "title": {"fr": "Questionnaire d'essai", "en": "Trial questionnaire"},
        "questions": [
            {"key": "intro", "type": "note", "label": {"fr": "Bonjour"}},
            {"key": "usage", "type": "yes_no", "label": {"fr": "Utilisez-vous internet ?"}, "required": True},
            {
                "key": "frequence",
                "type": "single_choice",
                "label": {"fr": "À quelle fréquence ?"},
                "required": True,
                "relevant": "${usage} = 'yes'",
                "choices": [
                    {"value": "jour", "label": {"fr": "Chaque jour"}},
                    {"value": "semaine", "label": {"fr": "Chaque semaine"}},
                    {"value": "rarement", "label": {"fr": "Rarement"}},
                ],
            },
            {
                "key": "outils",
                "type": "multiple_choice",
                "label": {"fr": "Avec quoi ?"},
                "choices": [
                    {"value": "ordinateur", "label": {"fr": "Ordinateur"}},
                    {"value": "smartphone", "label": {"fr": "Smartphone"}},
                    {"value": "tablette", "label": {"fr": "Tablette"}},
                ],
            },
            {
                "key": "aisance",
                "type": "scale",
                "label": {"fr": "Aisance"},
                "minimum": 1,
                "maximum": 4,
                "required": True,
            },
            {
                "key": "age",
                "type": "integer",
                "label": {"fr": "Âge"},
                "minimum": 15,
                "maximum": 110,
                "constraint": ". >= 18 or ${usage} = 'no'",
                "constraint_message": {"fr": "Réservé aux majeurs"},
            },
            {
                "key": "heures",
                "type": "decimal",
                "label": {"fr": "Heures par semaine"},
                "minimum": 0,
                "maximum": 168,
            },
            {
                "key": "derniere_demarche",
                "type": "date",
                "label": {"fr": "Dernière démarche"},
                "min_date": "2000-01-01",
            },
            {"key": "remarque", "type": "text", "label": {"fr": "Remarque"}, "max_length": 50},
            {
                "key": "capacites",
                "type": "grid",
                "label": {"fr": "Capacités"},
                "minimum": 1,
                "maximum": 4,
                "items": [
                    {"key": "courriel", "label": {"fr": "Courriel"}},
                    {"key": "demarches", "label": {"fr": "Démarches"}},
                ],
            },
        ],
        "scoring": {
            "version": "1",
            "frameworks": {"toile-capacites": "2026-1"},
            "rules": [
                {"question": "aisance", "dimension": "toile-capacites/equipement", "kind": "value"},
                {
                    "question": "capacites.courriel",
                    "dimension": "toile-capacites/communiquer",
                    "kind": "value",
                },
                {
                    "question": "capacites.demarches",
                    "dimension": "toile-capacites/demarches",
                    "kind": "value",
                },
                {
                    "question": "frequence",
                    "dimension": "toile-capacites/internet",
                    "kind": "points",
                    "points": {"jour": 2, "semaine": 1, "rarement": 0},
                },
                {"question": "outils", "dimension": "toile-capacites/equipement", "kind": "count", "cap": 2},
            ],
        },
    }
    return definition | overrides


def full_answers(**overrides: Any) -> dict[str, Any]:
    return {
        "usage": True,
        "frequence": "jour",
        "outils": ["ordinateur", "smartphone"],
        "aisance": 3,
        "age": 40,
        "heures": 2.5,
        "derniere_demarche": "2026-10-01",
        "remarque": "rien",
        "capacites": {"courriel": 4, "demarches": 2},
    } | overrides


CONSENT = {"finalite": "evaluation_autonomie", "donne": True}


async def published(
    surveys: AsyncClient, headers: dict[str, str], definition: dict[str, Any]
) -> dict[str, Any]:
    created = await surveys.post("/questionnaires", json=definition, headers=headers)
    assert created.status_code == 201, created.text
    done = await surveys.post(f"/questionnaires/{created.json()['id']}/publication", headers=headers)
    assert done.status_code == 200, done.text
    return done.json()


async def campaign(
    surveys: AsyncClient, headers: dict[str, str], questionnaire_id: str, **overrides: Any
) -> dict[str, Any]:
    created = await surveys.post(
        "/campagnes",
        headers=headers,
        json={
            "nom": "Accompagnements Chambéry 2026",
            "questionnaire_id": questionnaire_id,
            "structure": "France Services",
            "territoire": "73065",
            "mode": "both",
        }
        | overrides,
    )
    assert created.status_code == 201, created.text
    return created.json()


async def ready_campaign(surveys: AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """A published trial questionnaire and a campaign on it."""
    questionnaire = await published(surveys, headers, small_definition())
    return await campaign(surveys, headers, questionnaire["id"], **overrides)
