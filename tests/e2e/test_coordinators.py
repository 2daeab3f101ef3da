"""The coordinators' workspace in Chromium against the real platform (tests/e2e/coordinators.test.mjs): a
whole committee cycle and a whole campaign without the API, and every other administration screen, with axe at
phone and desktop widths. Its own platform (this module's), so that its withdrawals and merges touch nobody
else's."""

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import CHROMIUM, require_tool
from tests.integration.conftest import Platform, login_admin

E2E_SCRIPT = Path(__file__).with_name("coordinators.test.mjs")
HEADER = (
    "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,horaires,date_maj,services,"
    "telephone"
)
# The same place in two files of two sources (same SIRET, same commune): the directory merges them.
MODANE = (
    "{id},21730157600016,Espace numérique de Modane,Modane,73500,73157,Place de l'Hôtel de "
    "ville,45.2003,6.6715,"
    "Mo-Fr 09:00-12:00,{date},Aide aux démarches administratives,{phone}"
)


async def _import(client: httpx.AsyncClient, headers: dict[str, str], source: str, csv: str) -> None:
    started = await client.post(
        "/api/directory/sync/imports",
        params={"source": source},
        content=csv.encode(),
        headers={**headers, "content-type": "text/csv"},
    )
    assert started.status_code == 202, started.text
    for _ in range(100):
        job = (await client.get(f"/api/directory/sync/taches/{started.json()['id']}", headers=headers)).json()
        if job["statut"] != "en_cours":
            assert job["statut"] == "reussie", job
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"import {source} still running")


@pytest.fixture(scope="module")
async def workspace(app_platform: dict[str, Any], platform: Platform) -> AsyncIterator[dict[str, Any]]:
    """The seeded platform, the observatory able to compute (directory and surveys through the gateway), a
    place merged from two sources with a field typed by hand, and a person followed by a mediator."""
    platform.stop("observatory")
    platform.env["OBSERVATORY_DIRECTORY_URL"] = f"{platform.url}/api/directory"
    platform.env["OBSERVATORY_SURVEYS_URL"] = f"{platform.url}/api/surveys"
    platform.start("observatory")
    async with httpx.AsyncClient(base_url=platform.url, timeout=10) as client:
        for _ in range(300):
            if (await client.get("/api/observatory/feuille-de-route")).status_code == 200:
                break
            await asyncio.sleep(0.2)
        headers = await login_admin(client)
        for source, record_id, phone in (
            ("cd73", "cd73-1", "0479050000"),
            ("mairie-modane", "mm-1", "0479051111"),
        ):
            await _import(
                client,
                headers,
                source,
                "\n".join([HEADER, MODANE.format(id=record_id, date="2026-11-01", phone=phone)]),
            )
        # Two records are too few for an automatic merge at 0.99 precision: the coordinator confirms the pair.
        queue = (await client.get("/api/directory/sync/revue", headers=headers)).json()
        for candidate in queue["items"]:
            confirmed = await client.post(
                f"/api/directory/sync/revue/{candidate['id']}/confirmation", headers=headers
            )
            assert confirmed.status_code == 200, confirmed.text
        found = (await client.get("/api/directory/lieux", params={"q": "Espace numérique de Modane"})).json()
        assert found["total"] == 1, found
        place_id = found["items"][0]["id"]
        current = await client.get(f"/api/directory/lieux/{place_id}")
        typed = await client.patch(
            f"/api/directory/lieux/{place_id}",
            json={"telephone": "04 79 05 22 22"},
            headers={**headers, "if-match": current.headers["etag"]},
        )
        assert typed.status_code == 200, typed.text
        session = await client.post(
            "/api/surveys/seances",
            headers=headers,
            json={
                "campagne_id": app_platform["survey"]["campaign_id"],
                "code_beneficiaire": "BEN-7301",
                "consentement": {"donne": True},
            },
        )
        assert session.status_code in (200, 201), session.text
    yield {**app_platform, "merged_place": place_id}


def test_coordinators_workspace_in_chromium(workspace: dict[str, Any]) -> None:
    require_tool(
        Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec", str(E2E_SCRIPT)],
        env={**os.environ, "FNE_E2E": json.dumps(workspace), "FNE_CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=float(os.environ.get("FNE_E2E_TIMEOUT", "420")),
    )
    if os.environ.get("FNE_E2E_SCREENSHOTS"):
        Path(os.environ["FNE_E2E_SCREENSHOTS"], "coordinators-output.txt").write_text(
            result.stdout + result.stderr
        )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]
