"""Bad input to the results routes (issue #12): an unknown level, breakdown or framework, a window not on a
published period, a scope or credentials missing — each a clear French 4xx problem+json, never a 5xx."""

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from fne_kernel.identity import Principal
from tests.support import identity_header

YEAR = datetime.now(UTC).year
WHOLE_YEAR = {"depuis": f"{YEAR}-01-01T00:00:00Z", "jusqu_a": f"{YEAR + 1}-01-01T00:00:00Z"}
BASE = {"referentiel": "toile-capacites"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["title"], (
        body
    )  # the title says it; `detail` says more where it can
    return body


CASES = [
    ("/agregats", {**BASE, "territoire": "region"}, "territoire"),
    ("/agregats", {**BASE, "territoire": ""}, "territoire"),
    ("/agregats", {"referentiel": "inconnu"}, "référentiel inconnu"),
    ("/agregats", {}, "referentiel"),
    ("/agregats", {**BASE, "territoire": "departement", "ventilation": "revenu"}, "ventilation"),
    ("/agregats", {**BASE, "territoire": "commune", "ventilation": "genre"}, "ventilation"),
    ("/agregats", {**BASE, "periode": "semaine"}, "periode"),
    ("/agregats", {**BASE, "periode": "mois"}, "période non publiée"),
    ("/agregats", {**BASE, "depuis": f"{YEAR}-03-01T00:00:00Z"}, "depuis"),
    ("/agregats", {**BASE, "jusqu_a": f"{YEAR}-06-15T12:30:00Z"}, "jusqu_a"),
    ("/agregats", {**BASE, "jusqu_a": f"{YEAR + 1}-01-01T00:00:00.000001Z"}, "jusqu_a"),
    ("/agregats", {**BASE, "depuis": f"{YEAR}-01-01T00:00:00"}, "fuseau"),
    ("/agregats", {**BASE, "depuis": WHOLE_YEAR["jusqu_a"], "jusqu_a": WHOLE_YEAR["depuis"]}, "après"),
    ("/agregats", {**BASE, "depuis": WHOLE_YEAR["depuis"], "jusqu_a": WHOLE_YEAR["depuis"]}, "après"),
    ("/agregats", {**BASE, "depuis": "hier"}, "depuis"),
    ("/agregats", {**BASE, "departement": "savoie"}, "departement"),
    ("/agregats", {**BASE, "seuil": "3"}, "seuil"),
    ("/agregats", {**BASE, "questionnaire": "ressenti-citoyen"}, "questionnaire"),
    ("/agregats/progression", {**BASE, "territoire": "region", **WHOLE_YEAR}, "territoire"),
    ("/agregats/progression", BASE, "depuis"),
    ("/agregats/progression", {**BASE, "depuis": WHOLE_YEAR["depuis"]}, "jusqu_a"),
    (
        "/agregats/progression",
        {**BASE, "depuis": f"{YEAR - 1}-01-01T00:00:00Z", "jusqu_a": WHOLE_YEAR["jusqu_a"]},
        "une seule période",
    ),
    (
        "/agregats/progression",
        {**BASE, "depuis": WHOLE_YEAR["depuis"], "jusqu_a": f"{YEAR}-07-01T00:00:00Z"},
        "jusqu_a",
    ),
]


@pytest.mark.parametrize(("path", "params", "named"), CASES)
async def test_a_bad_query_is_a_clear_422(
    surveys: AsyncClient,
    reader_key: dict[str, str],
    path: str,
    params: dict[str, str],
    named: str,
) -> None:
    body = problem(await surveys.get(path, headers=reader_key, params=params), 422)
    assert body["detail"] and named.lower() in str(body).lower(), body


async def test_a_caller_without_the_scope_or_credentials_is_refused_clearly(
    surveys: AsyncClient, identity_keys: Any
) -> None:
    writer = identity_header(
        identity_keys[0],
        Principal(kind="api_key", subject="dora", name="DORA", scopes=frozenset({"surveys:write"})),
    )
    for path, params in (
        ("/agregats", BASE),
        ("/agregats/progression", {**BASE, **WHOLE_YEAR}),
    ):
        body = problem(await surveys.get(path, headers=writer, params=params), 403)
        assert body["required_scopes"] == ["surveys:read"], body
        assert problem(await surveys.get(path, params=params), 401)["title"] == "Authentification requise"
    body = problem(await surveys.get("/exports/reponses", headers=writer, params={"questionnaire": "x"}), 403)
    assert body["required_scopes"] == ["surveys:export"], body
    problem(await surveys.get("/campagnes/inconnue/resultats"), 401)
