from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fne_surveys.campaigns.models import Campaign
from fne_surveys.results import service as results_service
from tests.surveys.factories import CONSENT, campaign

COMPETENCES = [
    "Mener une recherche et une veille d’information",
    "Gérer des données",
    "Traiter des données",
    "Interagir",
    "Partager et publier",
    "Collaborer",
    "S’insérer dans le monde numérique",
    "Développer des documents textuels",
    "Développer des documents multimédia",
    "Adapter les documents à leur finalité",
    "Programmer",
    "Sécuriser l’environnement numérique",
    "Protéger les données personnelles et la vie privée",
    "Protéger la santé, le bien-être et l’environnement",
    "Résoudre des problèmes techniques",
    "Construire un environnement numérique",
]
FIXED = [
    "Nom de l'organisation",
    "ID Campagne",
    "Code",
    "Nom de la campagne",
    "Nom du Participant",
    "Prénom du Participant",
    "Identifiant externe",
    "% de progression",
    "Date de début",
    "Partage (O/N)",
    "Date du partage",
    "Nombre de pix total",
    "Certifiable (O/N)",
    "Nombre de compétences certifiables",
]


def pix_orga_export(participants: list[tuple[str, str, str, list[int | None]]]) -> bytes:
    """A PIX Orga profile-collection export: UTF-8 with BOM, `;`, French headers, one row per participant."""
    header = FIXED + [
        column
        for name in COMPETENCES
        for column in (f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}")
    ]
    lines = [";".join(f'"{column}"' for column in header)]
    for surname, identifier, shared, levels in participants:
        fixed = [
            "Médiathèque de Chambéry",
            "4242",
            "SAVOIE42",
            "Pix en médiathèque",
            surname,
            "Camille",
            identifier,
            "100",
            "2026-10-02",
            shared,
            "2026-10-03" if shared == "O" else "",
            str(sum(level * 8 for level in levels if level)),
            "N",
            "3",
        ]
        per_competence = [
            value
            for level in levels
            for value in (("", "") if level is None else (str(level), str(level * 8 + 1)))
        ]
        lines.append(";".join(f'"{value}"' for value in fixed + per_competence))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


async def test_a_pix_orga_export_becomes_pix_scores_of_the_same_respondents(
    surveys: AsyncClient,
    coordinator,
    mediator,
    shipped,
    db: AsyncSession,
    surveys_app,
):
    async def unprotected_results() -> dict:
        """The figures before protection (threshold 1): two people here, all withheld through the API."""
        found = await results_service.campaign_results(
            db, await db.get(Campaign, pix_campaign["id"]), surveys_app.state.frameworks, 1
        )
        return found.model_dump()

    pix_campaign = await campaign(surveys, coordinator, shipped["autopositionnement-pix"], mode="mediator")
    self_assessment = await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": pix_campaign["id"],
            "code_beneficiaire": "MED-17",
            "consentement": CONSENT,
            "terminer": True,
            "valeurs": {
                f"competence_{d}_{c}": "novice"
                for d, count in enumerate((3, 4, 4, 3, 2), start=1)
                for c in range(1, count + 1)
            },
        },
    )
    assert self_assessment.status_code == 201, self_assessment.text
    levels = [3, 2, 1, 4, 2, 2, 3, 2, 1, None, 0, 2, 3, 1, 2, 2]
    content = pix_orga_export(
        [
            ("Martin", "MED-17", "O", levels),
            ("Durand", "MED-18", "N", [1] * 16),
            ("Petit", "MED-19", "O", [5] * 16),
        ]
    )
    imported = await surveys.post(
        f"/campagnes/{pix_campaign['id']}/imports/pix-orga",
        content=content,
        headers=coordinator | {"content-type": "text/csv"},
        params={"phase": "post"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {
        "importes": 2,
        "non_partages": 1,
        "deja_importes": 0,
        "competences": sorted(
            f"{d}.{c}" for d, count in enumerate((3, 4, 4, 3, 2), start=1) for c in range(1, count + 1)
        ),
    }
    again = await surveys.post(
        f"/campagnes/{pix_campaign['id']}/imports/pix-orga",
        content=content,
        headers=coordinator,
        params={"phase": "post"},
    )
    assert again.json()["importes"] == 0 and again.json()["deja_importes"] == 2

    radar = (await surveys.get(f"/reponses/{self_assessment.json()['id']}/radar", headers=mediator)).json()
    assert radar["reponse_precedente_id"] is None
    names = (await db.execute(text("SELECT * FROM respondents"))).all()
    assert "Martin" not in repr(names) and "MED-17" not in repr(names)
    protected = (await surveys.get(f"/campagnes/{pix_campaign['id']}/resultats", headers=coordinator)).json()
    assert protected["dimensions"] and all(
        d["secret"] and d["moyenne"] is None and d["repartition"] is None for d in protected["dimensions"]
    )
    results = await unprotected_results()
    post = {d["dimension"]: d for d in results["dimensions"] if d["phase"] == "post"}
    assert post["1.1"]["repartition"] == {"3": 1, "5": 1}
    # Domain 3 of the first participant: levels 2, 1 and (missing), 0 → mean 1 of 8; the other: 5.
    assert post["3"]["moyenne"] == round((100 / 8 + 5 * 100 / 8) / 2, 2)
    assert (
        results["progression"] == []
    )  # a self-assessment and a PIX test are different measures: never paired

    earlier = pix_orga_export([("Martin", "MED-17", "O", [1] * 16), ("Petit", "MED-19", "O", [2] * 16)])
    pre = await surveys.post(
        f"/campagnes/{pix_campaign['id']}/imports/pix-orga",
        content=earlier,
        headers=coordinator,
        params={"phase": "pre"},
    )
    assert pre.json()["importes"] == 2  # the self-assessment's pre phase does not block the PIX one
    results = await unprotected_results()
    progress = {p["dimension"]: p for p in results["progression"]}
    assert progress["1.1"]["paires"] == 2 and progress["1.1"]["moyenne_pre"] == (12.5 + 25) / 2
    assert progress["1.1"]["moyenne_post"] == (37.5 + 62.5) / 2
    mixed = (await surveys.get("/agregats", headers=coordinator, params={"referentiel": "pix-crcn"})).json()
    assert {c["phase"] for c in mixed["cellules"]} == {"pre", "post"}
    assert all(c["secret"] for c in mixed["cellules"])  # two people at most
    refused = await surveys.get(
        "/agregats", headers=coordinator, params={"referentiel": "pix-crcn", "instrument": "pix_orga"}
    )
    assert refused.status_code == 422 and "instrument" in refused.json()["detail"]


async def test_a_bad_pix_file_imports_nothing_and_says_where(surveys: AsyncClient, coordinator, shipped):
    pix_campaign = await campaign(surveys, coordinator, shipped["autopositionnement-pix"], mode="mediator")
    url = f"/campagnes/{pix_campaign['id']}/imports/pix-orga"
    bad_level = pix_orga_export([("A", "MED-1", "O", [2] * 16), ("B", "MED-2", "O", [9] + [1] * 15)])
    refused = await surveys.post(url, content=bad_level, headers=coordinator)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"].startswith("lignes.3.Niveau pour la compétence Mener")
    no_identifier = await surveys.post(
        url, content=bad_level, headers=coordinator, params={"colonne_identifiant": "Numéro"}
    )
    assert no_identifier.status_code == 422
    assert "Identifiant externe" in no_identifier.json()["errors"][0]["allowed"]
    assert "Nom du Participant" in no_identifier.json()["errors"][0]["allowed"]
    renamed = bad_level.replace(b"Programmer", b"Jongler")
    unknown = await surveys.post(url, content=renamed, headers=coordinator)
    assert unknown.status_code == 422 and "Jongler" in unknown.json()["errors"][0]["reason"]
    latin1 = await surveys.post(url, content="Nom;Prénom\nA;é".encode("latin-1"), headers=coordinator)
    assert latin1.status_code == 422 and latin1.json()["errors"][0]["field"] == "fichier"
    results = (await surveys.get(f"/campagnes/{pix_campaign['id']}/resultats", headers=coordinator)).json()
    assert results["commencees"] == 0

    toile = await campaign(surveys, coordinator, shipped["toile-capacites"], mode="mediator")
    wrong = await surveys.post(
        f"/campagnes/{toile['id']}/imports/pix-orga", content=bad_level, headers=coordinator
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "campagne_id"
