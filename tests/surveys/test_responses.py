import re
from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from fne_surveys.responses.models import Consent, Respondent, Response, ResponseScore
from tests.surveys.factories import CONSENT, full_answers, published, ready_campaign, small_definition


async def count(db: AsyncSession, model: type) -> int:
    return await db.scalar(select(func.count()).select_from(model)) or 0


async def start(
    surveys: AsyncClient, headers: dict[str, str], campaign_id: str, code: str = "CHY-0042", **extra: object
) -> dict:
    response = await surveys.post(
        "/seances",
        headers=headers,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": code,
            "consentement": CONSENT,
            "attributs": {"tranche_age": "60_74", "commune": "73065"},
        }
        | extra,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_mediator_session_is_saved_in_parts_resumed_completed_and_scored(
    surveys: AsyncClient, coordinator, mediator, db: AsyncSession
):
    campaign = await ready_campaign(surveys, coordinator)
    session = await start(surveys, mediator, campaign["id"])
    assert not session["reprise"] and session["reponse"]["phase"] == "pre"
    response_id = session["reponse"]["id"]

    saved = await surveys.patch(
        f"/reponses/{response_id}", headers=mediator, json={"valeurs": {"usage": True, "aisance": 2}}
    )
    assert saved.status_code == 200 and saved.json()["statut"] == "in_progress"
    assert saved.headers["etag"] == '"2"'
    resumed = await start(surveys, mediator, campaign["id"])
    assert resumed["reprise"] and resumed["reponse"]["id"] == response_id
    assert resumed["reponse"]["valeurs"] == {"usage": True, "aisance": 2}

    stale = await surveys.patch(
        f"/reponses/{response_id}", headers=mediator | {"if-match": '"1"'}, json={"valeurs": {"aisance": 3}}
    )
    assert stale.status_code == 412
    done = await surveys.patch(
        f"/reponses/{response_id}",
        headers=mediator | {"if-match": '"2"'},
        json={"valeurs": full_answers(), "terminer": True},
    )
    assert done.status_code == 200, done.text
    completed = done.json()
    assert completed["statut"] == "completed" and completed["termine_le"]
    scores = {score["dimension"]: score for score in completed["scores"]}
    # aisance 3 on 1–4 (2 of 3 points) and two tools of a cap of 2: 4 of 5 points.
    assert scores["equipement"]["brut"] == 4 and scores["equipement"]["maximum"] == 5
    assert (
        scores["equipement"]["pourcentage"] == 80.0
        and scores["equipement"]["niveau_libelle"] == "Sait faire seul·e"
    )
    assert scores["communiquer"]["pourcentage"] == 100.0 and scores["communiquer"]["niveau"] == 4
    assert scores["internet"]["pourcentage"] == 100.0
    assert all(score["notation_version"] == "essai@1/1" for score in completed["scores"])

    respondent = await db.get(Respondent, completed["repondant_id"])
    assert respondent is not None and respondent.age_band == "60_74" and len(respondent.pseudonym or "") == 64
    dump = (await db.execute(text("SELECT * FROM respondents"))).all()
    assert "CHY-0042" not in repr(dump) and "CHY0042" not in repr(dump)
    consents = list(await db.scalars(select(Consent)))
    assert [(c.purpose, c.sharing, c.recorded_by) for c in consents] == [
        ("evaluation_autonomie", "a_partager", "mediatrice-1")
    ]
    stored = await db.get(Response, response_id)
    assert stored is not None and stored.administered_by == "mediatrice-1"


async def test_a_returning_person_sees_the_change_since_the_previous_phase(
    surveys: AsyncClient, coordinator, mediator
):
    campaign = await ready_campaign(surveys, coordinator)
    before = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "chy 0042",
            "consentement": CONSENT,
            "valeurs": full_answers(aisance=1, outils=[], capacites={"courriel": 1, "demarches": 1}),
            "terminer": True,
        },
    )
    assert before.status_code == 201, before.text
    assert before.json()["phase"] == "pre"
    session = await start(
        surveys, mediator, campaign["id"], code="CHY-0042"
    )  # same code, written differently
    assert (
        session["reponse"]["phase"] == "post"
        and session["reponse"]["repondant_id"] == before.json()["repondant_id"]
    )
    after = await surveys.patch(
        f"/reponses/{session['reponse']['id']}",
        headers=mediator,
        json={"valeurs": full_answers(aisance=4), "terminer": True},
    )
    assert after.status_code == 200
    radar = (await surveys.get(f"/reponses/{session['reponse']['id']}/radar", headers=mediator)).json()
    assert radar["phase_precedente"] == "pre" and radar["reponse_precedente_id"] == before.json()["id"]
    changes = {change["dimension"]: change for change in radar["evolutions"]}
    assert changes["equipement"] == {
        "referentiel": "toile-capacites",
        "dimension": "equipement",
        "libelle": "Utiliser ses équipements",
        "avant": 0.0,
        "apres": 100.0,
        "ecart": 100.0,
    }
    assert changes["communiquer"]["ecart"] == 100.0
    first = (await surveys.get(f"/reponses/{before.json()['id']}/radar", headers=mediator)).json()
    assert first["reponse_precedente_id"] is None and first["evolutions"] == []

    again = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "CHY-0042",
            "phase": "pre",
            "valeurs": full_answers(),
            "terminer": True,
        },
    )
    assert again.status_code == 409 and again.json()["code"] == "phase-already-completed"
    unfinished = [
        (
            await surveys.post(
                "/reponses",
                headers=mediator,
                json={
                    "campagne_id": campaign["id"],
                    "code_beneficiaire": "NEW-1",
                    "phase": "pre",
                    "consentement": CONSENT,
                    "valeurs": {},
                },
            )
        ).json()
        for _ in range(2)
    ]
    first = await surveys.patch(
        f"/reponses/{unfinished[0]['id']}",
        headers=mediator,
        json={"valeurs": full_answers(), "terminer": True},
    )
    second = await surveys.patch(
        f"/reponses/{unfinished[1]['id']}",
        headers=mediator,
        json={"valeurs": full_answers(), "terminer": True},
    )
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "phase-already-completed"


async def test_bad_answers_are_refused_field_by_field_and_nothing_is_stored(
    surveys: AsyncClient, coordinator, mediator, db: AsyncSession
):
    campaign = await ready_campaign(surveys, coordinator)
    response = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "B-1",
            "consentement": CONSENT,
            "terminer": True,
            "valeurs": {
                "inconnue": 1,
                "usage": "oui",
                "aisance": 7,
                "age": 16.5,
                "outils": ["fax"],
                "derniere_demarche": "01/10/2026",
                "remarque": "x" * 51,
                "heures": 200,
                "capacites": {"courriel": 9, "nager": 1},
                "intro": "?",
            },
        },
    )
    assert response.status_code == 422
    reasons = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert set(reasons) == {
        "valeurs.inconnue",
        "valeurs.usage",
        "valeurs.aisance",
        "valeurs.age",
        "valeurs.outils",
        "valeurs.derniere_demarche",
        "valeurs.remarque",
        "valeurs.heures",
        "valeurs.capacites.courriel",
        "valeurs.capacites.nager",
        "valeurs.intro",
    }
    assert "maximum" in reasons["valeurs.aisance"] and "entier" in reasons["valeurs.age"]
    assert (await count(db, Response), await count(db, Respondent), await count(db, Consent)) == (0, 0, 0)

    constraint = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "B-1",
            "consentement": CONSENT,
            "valeurs": full_answers(age=16),
        },
    )
    assert constraint.status_code == 422
    assert constraint.json()["errors"] == [
        {
            "location": "body",
            "field": "valeurs.age",
            "pointer": "/valeurs/age",
            "reason": "Réservé aux majeurs",
            "type": "constraint",
        }
    ]
    missing = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "B-1",
            "consentement": CONSENT,
            "terminer": True,
            "valeurs": {"usage": True},
        },
    )
    assert {error["field"] for error in missing.json()["errors"]} == {"valeurs.frequence", "valeurs.aisance"}
    no_consent = await surveys.post(
        "/reponses",
        headers=mediator,
        json={"campagne_id": campaign["id"], "code_beneficiaire": "B-1", "valeurs": full_answers()},
    )
    assert no_consent.status_code == 422 and no_consent.json()["errors"][0]["field"] == "consentement"
    nowhere = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "B-1",
            "consentement": CONSENT,
            "valeurs": full_answers(),
            "attributs": {"commune": "73999"},
        },
    )
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "attributs.commune"
    contact = await surveys.post(
        "/seances",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "jean.dupont@example.org",
            "consentement": CONSENT,
        },
    )
    assert contact.status_code == 422 and contact.json()["errors"][0]["field"] == "code_beneficiaire"
    phone = await surveys.post(
        "/seances",
        headers=mediator,
        json={"campagne_id": campaign["id"], "code_beneficiaire": "06 12 34 56 78", "consentement": CONSENT},
    )
    assert phone.status_code == 422
    assert await count(db, Response) == 0


async def test_skipped_questions_lose_their_answers_on_completion(
    surveys: AsyncClient, coordinator, mediator
):
    campaign = await ready_campaign(surveys, coordinator)
    response = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "consentement": CONSENT,
            "terminer": True,
            "valeurs": full_answers(usage=False, age=16),
        },
    )
    assert response.status_code == 201, response.text
    assert "frequence" not in response.json()["valeurs"]  # asked only to internet users
    assert "internet" not in {score["dimension"] for score in response.json()["scores"]}


async def test_replays_closed_full_and_retired_campaigns_get_a_clear_conflict(
    surveys: AsyncClient, coordinator, mediator, db: AsyncSession
):
    campaign = await ready_campaign(surveys, coordinator, quota=1)
    payload = {
        "campagne_id": campaign["id"],
        "consentement": CONSENT,
        "valeurs": full_answers(),
        "terminer": True,
    }
    key = {"idempotency-key": "6f1c1a52-8d7e-4a55-9a7c-0c2c0f4b1e11"}
    first = await surveys.post("/reponses", headers=mediator | key, json=payload)
    assert first.status_code == 201
    replay = await surveys.post("/reponses", headers=mediator | key, json=payload)
    assert replay.status_code == 409 and replay.json()["code"] == "duplicate-submission"
    assert replay.json()["reponse_id"] == first.json()["id"]
    full = await surveys.post("/reponses", headers=mediator, json=payload)
    assert full.status_code == 409 and full.json()["code"] == "campaign-full"
    partial = await surveys.post("/reponses", headers=mediator, json=payload | {"terminer": False})
    assert partial.status_code == 201  # an unfinished response does not count against the quota

    closed = await ready_campaign(surveys, coordinator, nom="Close", quota=None)
    await surveys.post(f"/campagnes/{closed['id']}/cloture", headers=coordinator)
    refused = await surveys.post("/reponses", headers=mediator, json=payload | {"campagne_id": closed["id"]})
    assert refused.status_code == 409 and refused.json()["code"] == "campaign-closed"

    later = datetime.now(UTC) + timedelta(days=3)
    future = await ready_campaign(surveys, coordinator, nom="Future", debut=later.isoformat())
    early = await surveys.post("/reponses", headers=mediator, json=payload | {"campagne_id": future["id"]})
    assert early.status_code == 409 and early.json()["code"] == "campaign-not-open"
    assert re.fullmatch(r"Ouverture le \d\d/\d\d/\d{4} à \d\d h \d\d", early.json()["detail"])

    public_only = await ready_campaign(surveys, coordinator, nom="Public", mode="public")
    wrong_mode = await surveys.post(
        "/reponses", headers=mediator, json=payload | {"campagne_id": public_only["id"]}
    )
    assert wrong_mode.status_code == 409 and wrong_mode.json()["code"] == "mode-not-allowed"

    await surveys.post(f"/questionnaires/{campaign['questionnaire_id']}/retrait", headers=coordinator)
    retired = await surveys.patch(
        f"/reponses/{partial.json()['id']}", headers=mediator, json={"valeurs": {"aisance": 1}}
    )
    assert retired.status_code == 409 and retired.json()["code"] == "questionnaire-retired"
    assert await count(db, Response) == 2


async def test_a_correction_rescores_and_is_kept_in_the_trail(
    surveys: AsyncClient, coordinator, mediator, db: AsyncSession
):
    campaign = await ready_campaign(surveys, coordinator)
    created = (
        await surveys.post(
            "/reponses",
            headers=mediator,
            json={
                "campagne_id": campaign["id"],
                "code_beneficiaire": "B-7",
                "consentement": CONSENT,
                "valeurs": full_answers(),
                "terminer": True,
            },
        )
    ).json()
    corrected = await surveys.patch(
        f"/reponses/{created['id']}", headers=mediator, json={"valeurs": {"aisance": 1, "outils": None}}
    )
    assert corrected.status_code == 200
    equipement = next(s for s in corrected.json()["scores"] if s["dimension"] == "equipement")
    assert equipement["pourcentage"] == 0.0 and equipement["maximum"] == 3
    cleared_required = await surveys.patch(
        f"/reponses/{created['id']}", headers=mediator, json={"valeurs": {"aisance": None}}
    )
    assert cleared_required.status_code == 422  # a completed response stays complete
    trail = (await surveys.get(f"/reponses/{created['id']}/historique", headers=mediator)).json()
    assert [entry["action"] for entry in trail] == ["complete", "correct"]
    assert trail[1]["modifications"] == {"aisance": [3, 1], "outils": [["ordinateur", "smartphone"], None]}
    assert trail[1]["par"] == "mediatrice-1"
    rows = list(await db.scalars(select(ResponseScore).where(ResponseScore.response_id == created["id"])))
    assert len(rows) == 4


async def test_the_public_link_lets_a_citizen_answer_alone_and_resume(
    surveys: AsyncClient, coordinator, db: AsyncSession
):
    campaign = await ready_campaign(surveys, coordinator)
    token = campaign["jeton_public"]
    assert len(token) >= 43
    page = await surveys.get(f"/public/{token}")
    assert page.status_code == 200 and "scoring" not in page.json()["questionnaire"]
    assert page.json()["questionnaire"]["questions"][1]["key"] == "usage"

    partial = await surveys.post(
        f"/public/{token}/reponses",
        json={"consentement": CONSENT, "valeurs": {"usage": True}, "attributs": {"tranche_age": "30_44"}},
    )
    assert partial.status_code == 201
    resume_token = partial.json()["jeton_reprise"]
    response_id = partial.json()["id"]
    assert resume_token
    assert (await surveys.get(f"/public/{token}/reponses/{response_id}")).status_code == 403
    assert (
        await surveys.get(f"/public/{token}/reponses/{response_id}", headers={"x-resume-token": "devine"})
    ).status_code == 403
    resumed = await surveys.get(
        f"/public/{token}/reponses/{response_id}", headers={"x-resume-token": resume_token}
    )
    assert resumed.json()["valeurs"] == {"usage": True}
    done = await surveys.patch(
        f"/public/{token}/reponses/{response_id}",
        headers={"x-resume-token": resume_token},
        json={"valeurs": full_answers(), "terminer": True},
    )
    assert done.status_code == 200 and done.json()["statut"] == "completed" and done.json()["scores"]
    assert (
        await surveys.get(f"/public/{token}/reponses/{response_id}", headers={"x-resume-token": resume_token})
    ).status_code == 403  # finished: spent

    stored = await db.get(Response, response_id)
    assert stored is not None and stored.source == "public" and stored.administered_by == "public"
    respondent = await db.get(Respondent, stored.respondent_id)
    assert respondent is not None and respondent.pseudonym is None

    assert (await surveys.get("/public/pas-un-jeton")).status_code == 404
    renewed = (await surveys.post(f"/campagnes/{campaign['id']}/lien-public", headers=coordinator)).json()
    assert renewed["jeton_public"] != token
    assert (await surveys.get(f"/public/{token}")).status_code == 404
    mediator_only = await ready_campaign(surveys, coordinator, nom="Médiation", mode="mediator")
    assert mediator_only["jeton_public"] is None


async def test_campaigns_are_managed_by_coordinators(surveys: AsyncClient, coordinator, mediator):
    draft = (await surveys.post("/questionnaires", json=small_definition(), headers=coordinator)).json()
    on_draft = await surveys.post(
        "/campagnes", headers=coordinator, json={"nom": "X", "questionnaire_id": draft["id"]}
    )
    assert on_draft.status_code == 422 and on_draft.json()["errors"][0]["field"] == "questionnaire_id"
    # Said in words, never with the internal state's name (draft, published).
    assert (
        on_draft.json()["errors"][0]["reason"]
        == "c'est un brouillon : une campagne utilise une version publiée"
    )
    await surveys.delete(f"/questionnaires/{draft['id']}", headers=coordinator)
    questionnaire = await published(surveys, coordinator, small_definition())
    bad = await surveys.post(
        "/campagnes",
        headers=coordinator,
        json={
            "nom": "X",
            "questionnaire_id": questionnaire["id"],
            "territoire": "7306",
            "fin": "2026-12-01T00:00:00",
            "quota": 0,
        },
    )
    assert {error["field"] for error in bad.json()["errors"]} == {"territoire", "fin", "quota"}
    assert (
        await surveys.post(
            "/campagnes", headers=mediator, json={"nom": "X", "questionnaire_id": questionnaire["id"]}
        )
    ).status_code == 403
    created = (
        await surveys.post(
            "/campagnes", headers=coordinator, json={"nom": "X", "questionnaire_id": questionnaire["id"]}
        )
    ).json()
    assert created["conservation_jours"] == 730 and created["mode"] == "mediator"
    changed = await surveys.patch(
        f"/campagnes/{created['id']}",
        headers=coordinator,
        json={"quota": 50, "fin": "2027-06-30T18:00:00+02:00"},
    )
    assert changed.json()["quota"] == 50 and changed.json()["fin"].startswith("2027-06-30T16:00:00")
    backwards = await surveys.patch(
        f"/campagnes/{created['id']}", headers=coordinator, json={"fin": "2020-01-01T00:00:00Z"}
    )
    assert backwards.status_code == 422
    listed = (await surveys.get("/campagnes", headers=mediator)).json()
    assert listed["total"] == 1 and listed["items"][0]["quota"] == 50
    # null sets the closing date and the quota back to none; a field left out keeps its value.
    cleared = await surveys.patch(f"/campagnes/{created['id']}", headers=coordinator, json={"fin": None})
    assert cleared.status_code == 200 and cleared.json()["fin"] is None
    assert cleared.json()["quota"] == 50
    cleared = await surveys.patch(f"/campagnes/{created['id']}", headers=coordinator, json={"quota": None})
    assert cleared.json()["quota"] is None and cleared.json()["fin"] is None
    stored = (await surveys.get(f"/campagnes/{created['id']}", headers=coordinator)).json()
    assert stored["quota"] is None and stored["fin"] is None
    required = await surveys.patch(f"/campagnes/{created['id']}", headers=coordinator, json={"nom": None})
    assert required.status_code == 422 and required.json()["errors"][0]["field"] == "nom"


async def test_responses_are_listed_without_their_answers(surveys: AsyncClient, coordinator, mediator):
    campaign = await ready_campaign(surveys, coordinator)
    await start(surveys, mediator, campaign["id"], code="L-1")
    await surveys.post(
        "/reponses",
        headers=coordinator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "L-2",
            "consentement": CONSENT,
            "valeurs": full_answers(),
            "terminer": True,
        },
    )
    listed = (await surveys.get("/reponses", headers=coordinator, params={"campagne": campaign["id"]})).json()
    assert listed["total"] == 2 and "valeurs" not in listed["items"][0]
    own = (await surveys.get("/reponses", headers=mediator, params={"campagne": campaign["id"]})).json()
    assert own["total"] == 1 and own["items"][0]["administre_par"] == "mediatrice-1"  # a mediator's own only
    mine = (
        await surveys.get(
            "/reponses", headers=mediator, params={"mes_seances": True, "statut": "in_progress"}
        )
    ).json()
    assert mine["total"] == 1 and mine["items"][0]["administre_par"] == "mediatrice-1"
    done = (
        await surveys.get("/reponses", headers=coordinator, params={"statut": "completed", "size": 1})
    ).json()
    assert done["total"] == 1 and done["size"] == 1 and done["items"][0]["phase"] == "pre"


async def test_a_mediator_reads_and_changes_only_the_responses_they_collected(
    surveys: AsyncClient, coordinator, mediator, identity_keys
):
    from fne_kernel.identity import Principal
    from tests.support import identity_header

    campaign = await ready_campaign(surveys, coordinator)
    theirs = (await start(surveys, mediator, campaign["id"], code="M-1"))["reponse"]
    colleague = identity_header(
        identity_keys[0],
        Principal(
            kind="user",
            subject="mediateur-2",
            name="Paul",
            role="mediator",
            scopes=frozenset({"surveys:write", "surveys:read"}),
        ),
    )
    url = f"/reponses/{theirs['id']}"
    for method, path in (("GET", url), ("GET", f"{url}/radar"), ("GET", f"{url}/historique")):
        refused = await surveys.request(method, path, headers=colleague)
        assert refused.status_code == 404, path
    changed = await surveys.patch(url, headers=colleague, json={"valeurs": {"aisance": 2}})
    assert changed.status_code == 404
    assert (await surveys.get("/reponses", headers=colleague)).json()["total"] == 0
    assert (await surveys.get(url, headers=mediator)).status_code == 200
    assert (await surveys.get(url, headers=coordinator)).status_code == 200
