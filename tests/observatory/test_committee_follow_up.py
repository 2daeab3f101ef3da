"""Committees in full: the partners' committee, participants (names for contributors only), decisions and the
actions they start with owners and due dates, minutes and slides told apart; bad input is a French 422 and
writes nothing."""

from datetime import date, timedelta

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.committees.models import CommitteeAction, CommitteeDecision

PROBLEM = "application/problem+json"


async def _meeting(
    observatory: AsyncClient, coordinator: dict, kind: str = "comite_partenaires", day: date | None = None
) -> int:
    response = await observatory.post(
        "/comites",
        json={
            "type": kind,
            "date": (day or date(2026, 10, 6)).isoformat(),
            "titre": "Comité des partenaires de l'observatoire",
            "documents": [
                {"titre": "Compte rendu", "url": "https://example.org/cr.pdf", "nature": "compte_rendu"},
                {"titre": "Diaporama", "url": "https://example.org/diapo.pdf", "nature": "support"},
            ],
        },
        headers=coordinator,
    )
    assert response.status_code == 201, response.text
    assert response.json()["type"] == kind
    return response.json()["id"]


async def test_participants_decisions_and_actions_of_a_partners_committee(
    observatory: AsyncClient, coordinator: dict
):
    meeting = await _meeting(observatory, coordinator)
    people = [
        {"nom": "Claire Dupont", "structure": "Département de la Savoie", "fonction": "Cheffe de projet"},
        {"nom": "Marc Petit", "structure": "Préfecture de la Savoie", "present": False},
        {"structure": "CAF de la Savoie"},
    ]
    put = await observatory.put(f"/comites/{meeting}/participants", json=people, headers=coordinator)
    assert put.status_code == 200, put.text
    decision = await observatory.post(
        f"/comites/{meeting}/decisions",
        json={
            "texte": "Publier les données de fréquentation des France Services chaque trimestre.",
            "actions": [
                {
                    "intitule": "Demander l'extraction trimestrielle",
                    "porteur": "Préfecture de la Savoie",
                    "echeance": "2026-11-15",
                },
                {
                    "intitule": "Importer la première extraction",
                    "porteur": "Département de la Savoie",
                    "echeance": "2027-01-31",
                },
            ],
        },
        headers=coordinator,
    )
    assert decision.status_code == 201, decision.text
    actions = decision.json()["actions"]
    assert [action["statut"] for action in actions] == ["a_faire", "a_faire"]
    extra = await observatory.post(
        f"/comites/{meeting}/actions",
        json={
            "intitule": "Diffuser le compte rendu",
            "porteur": "Département de la Savoie",
            "echeance": "2026-10-20",
        },
        headers=coordinator,
    )
    assert extra.status_code == 201, extra.text

    public = (await observatory.get(f"/comites/{meeting}/suivi")).json()
    assert public["presents"] == 2 and public["compte_rendu_publie"] and public["support_publie"]
    assert [person["nom"] for person in public["participants"]] == [
        None,
        None,
        None,
    ]  # names: contributors only
    assert public["participants"][0]["structure"] == "Département de la Savoie"
    assert len(public["decisions"]) == 1 and len(public["actions_hors_decision"]) == 1
    inside = (await observatory.get(f"/comites/{meeting}/suivi", headers=coordinator)).json()
    assert inside["participants"][0]["nom"] == "Claire Dupont"

    # Today is after 2026-11-15 in the test's world only if the clock says so: late means open and past due.
    late = (await observatory.get("/comites/actions", params={"en_retard": "true"})).json()
    today = date.today()
    expected_late = {
        a["intitule"] for a in [*actions, extra.json()] if date.fromisoformat(a["echeance"]) < today
    }
    assert {item["intitule"] for item in late["items"]} == expected_late

    done = await observatory.patch(
        f"/comites/actions/{actions[0]['id']}", json={"statut": "faite"}, headers=coordinator
    )
    assert (
        done.status_code == 200
        and done.json()["faite_le"] == today.isoformat()
        and not done.json()["en_retard"]
    )
    listed = (await observatory.get("/comites/actions", params={"statut": "faite"})).json()
    assert [item["id"] for item in listed["items"]] == [actions[0]["id"]]


async def test_bad_follow_up_input_is_a_french_422_that_writes_nothing(
    observatory: AsyncClient, coordinator: dict, mediator: dict, db: AsyncSession
):
    meeting = await _meeting(observatory, coordinator, day=date.today())
    before_meeting = (date.today() - timedelta(days=3)).isoformat()
    bad = await observatory.post(
        f"/comites/{meeting}/decisions",
        json={
            "texte": "Une décision",
            "actions": [
                {"intitule": "Valable", "porteur": "Département", "echeance": "2030-01-01"},
                {"intitule": "Trop tôt", "porteur": "Département", "echeance": before_meeting},
            ],
        },
        headers=coordinator,
    )
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert bad.json()["errors"][0]["field"] == "actions.1.echeance"
    assert "échéance" in bad.json()["errors"][0]["reason"]
    assert await db.scalar(select(func.count()).select_from(CommitteeDecision)) == 0
    assert await db.scalar(select(func.count()).select_from(CommitteeAction)) == 0
    shapes = await observatory.post(
        f"/comites/{meeting}/actions",
        json={"intitule": "", "porteur": "X", "echeance": "demain"},
        headers=coordinator,
    )
    assert shapes.status_code == 422 and {e["field"] for e in shapes.json()["errors"]} >= {
        "intitule",
        "echeance",
    }
    duplicate = await observatory.put(
        f"/comites/{meeting}/participants",
        json=[{"nom": "A", "structure": "S"}, {"nom": "A", "structure": "S"}],
        headers=coordinator,
    )
    assert duplicate.status_code == 422
    status = await observatory.patch("/comites/actions/999999", json={"statut": "faite"}, headers=coordinator)
    assert status.status_code == 404 and status.headers["content-type"] == PROBLEM
    wrong_status = await observatory.patch(
        "/comites/actions/1", json={"statut": "oubliee"}, headers=coordinator
    )
    assert wrong_status.status_code == 422
    missing = await observatory.get("/comites/999999/suivi")
    assert missing.status_code == 404
    assert (
        await observatory.put(f"/comites/{meeting}/participants", json=[], headers=mediator)
    ).status_code == 403
    unknown_kind = await observatory.post(
        "/comites", json={"type": "comite_secret", "date": "2026-10-06", "titre": "X"}, headers=coordinator
    )
    assert unknown_kind.status_code == 422
