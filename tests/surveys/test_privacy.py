import asyncio
import os
import subprocess
import sys
from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel import migrations
from fne_kernel.db import create_engine, session_factory, utcnow
from fne_kernel.identity import Principal, Role
from fne_surveys.responses.models import Consent, Respondent, Response, ResponseChange, ResponseScore
from tests.support import identity_header, user_principal
from tests.surveys.conftest import PSEUDONYM_KEY
from tests.surveys.factories import CONSENT, full_answers, ready_campaign


async def counts(db: AsyncSession) -> tuple[int, ...]:
    return tuple(
        [
            await db.scalar(select(func.count()).select_from(model)) or 0
            for model in (Respondent, Consent, Response, ResponseScore, ResponseChange)
        ]
    )


async def answer(
    surveys: AsyncClient, headers: dict[str, str], campaign_id: str, code: str, phase: str = "pre"
) -> dict:
    response = await surveys.post(
        "/reponses",
        headers=headers,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": code,
            "consentement": CONSENT,
            "phase": phase,
            "attributs": {"commune": "73065", "tranche_age": "45_59"},
            "valeurs": full_answers(),
            "terminer": True,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_person_gets_all_their_data_then_has_it_erased(
    surveys: AsyncClient, coordinator, mediator, db: AsyncSession, identity_keys
):
    campaign = await ready_campaign(surveys, coordinator)
    first = await answer(surveys, mediator, campaign["id"], "ANNE-73")
    await surveys.patch(f"/reponses/{first['id']}", headers=mediator, json={"valeurs": {"aisance": 4}})
    await answer(surveys, mediator, campaign["id"], "ANNE-73", phase="post")
    await answer(surveys, mediator, campaign["id"], "BRUNO-73")
    before = await counts(db)

    shared = await surveys.post(
        "/repondants/partage", headers=mediator, json={"code_beneficiaire": "anne 73"}
    )
    assert [consent["partage"] for consent in shared.json()] == ["partage"]
    exported = await surveys.post(
        "/repondants/export", headers=coordinator, json={"code_beneficiaire": "ANNE-73"}
    )
    assert exported.status_code == 200
    data = exported.json()
    assert data["attributs"] == {
        "tranche_age": "45_59",
        "commune": "73065",
        "genre": None,
        "statut_social": None,
    }
    assert [r["phase"] for r in data["reponses"]] == ["pre", "post"]
    assert [entry["action"] for entry in data["reponses"][0]["historique"]] == ["complete", "correct"]
    assert data["reponses"][0]["scores"] and data["consentements"][0]["partage"] == "partage"
    assert (
        await surveys.post("/repondants/export", headers=mediator, json={"code_beneficiaire": "ANNE-73"})
    ).status_code == 403
    writer_key = identity_header(
        identity_keys[0],
        Principal(kind="api_key", subject="dora", name="DORA", scopes=frozenset({"surveys:write"})),
    )
    refused = await surveys.post(
        "/repondants/export", headers=writer_key, json={"code_beneficiaire": "ANNE-73"}
    )
    assert refused.status_code == 403 and refused.headers["content-type"].startswith(
        "application/problem+json"
    )
    admin = identity_header(identity_keys[0], user_principal(Role.ADMIN))
    journal = (
        await surveys.get("/journal-acces", headers=admin, params={"action": "export-repondant"})
    ).json()
    assert journal["total"] == 1 and journal["items"][0]["acteur"] == "user-1"
    assert "ANNE" not in repr(journal)  # the journal names the pseudonymous record, never the code

    erased = await surveys.post(
        "/repondants/effacement", headers=coordinator, json={"code_beneficiaire": "ANNE-73"}
    )
    assert (
        erased.status_code == 200 and erased.json()["reponses"] == 2 and erased.json()["consentements"] == 1
    )
    after = await counts(db)
    assert after[0] == before[0] - 1 and after[2] == before[2] - 2
    assert after[3] < before[3] and after[4] == before[4] - 3
    results = (await surveys.get(f"/campagnes/{campaign['id']}/resultats", headers=coordinator)).json()
    assert results["terminees"] == 1 and results["progression"] == []
    again = await surveys.post(
        "/repondants/effacement", headers=coordinator, json={"code_beneficiaire": "ANNE-73"}
    )
    assert again.status_code == 404 and again.json()["code"] == "respondent-not-found"
    by_id = await surveys.post(
        "/repondants/effacement",
        headers=coordinator,
        json={"repondant_id": (await db.scalar(select(Respondent.id)))},
    )
    assert by_id.status_code == 200 and await counts(db) == (0, 0, 0, 0, 0)
    both = await surveys.post(
        "/repondants/effacement", headers=coordinator, json={"code_beneficiaire": "X-1", "repondant_id": "y"}
    )
    assert both.status_code == 422


async def test_the_purge_command_erases_what_outlived_its_retention(databases, identity_keys, tmp_path):
    """Through `fne surveys purge`, on a database of its own (the command commits)."""
    from httpx import ASGITransport

    from fne_kernel.identity import Role
    from fne_surveys.campaigns.models import Campaign
    from fne_surveys.config import Settings
    from fne_surveys.main import create_app
    from tests.support import identity_header, user_principal

    url = await databases.fresh("surveys_purge")
    await asyncio.to_thread(migrations.upgrade, "fne_surveys", url)
    app = create_app(
        Settings(
            database_url=url,
            identity_public_key=identity_keys[1],
            access_log=False,
            pseudonym_key=PSEUDONYM_KEY,
            install_shipped_questionnaires=False,
        )
    )
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://surveys") as surveys:
        short = await ready_campaign(surveys, headers, conservation_jours=30)
        long = (
            await surveys.post(
                "/campagnes",
                headers=headers,
                json={
                    "nom": "Longue",
                    "questionnaire_id": short["questionnaire_id"],
                    "conservation_jours": 3650,
                },
            )
        ).json()
        await answer(surveys, headers, short["id"], "OLD-1")
        await answer(surveys, headers, short["id"], "BOTH-1")
        await answer(surveys, headers, long["id"], "BOTH-1")
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(Response).values(updated_at=utcnow() - timedelta(days=40)))
        assert await session.scalar(select(func.count()).select_from(Campaign)) == 2
    await app.state.engine.dispose()

    env = {key: value for key, value in os.environ.items() if not key.startswith("SURVEYS_")}
    env |= {"SURVEYS_DATABASE_URL": url, "SURVEYS_PSEUDONYM_KEY": PSEUDONYM_KEY}
    command = [sys.executable, "-m", "fne_cli", "surveys", "purge"]
    dry = subprocess.run([*command, "--dry-run"], env=env, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "à effacer : 2" in dry.stdout and "réponse : 1" in dry.stdout
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "effacées : 2" in done.stdout

    engine = create_engine(url)
    async with session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 1
        assert await session.scalar(select(func.count()).select_from(Respondent)) == 1
        assert await session.scalar(select(func.count()).select_from(Consent)) == 1
    await engine.dispose()
