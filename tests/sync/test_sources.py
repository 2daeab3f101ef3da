"""DORA API v2, Mednum73 (YesWiki Bazar) and files, and the same place merged across them."""

from sqlalchemy import select

from fne_directory.places.models import Place
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import REFERENCE, FakeSource, dora_service, dora_structure, yeswiki_entry
from tests.sync.test_data_inclusion import catalogue


def dora_catalogue(state: FakeSource) -> None:
    state.records = {
        "structures": [
            dora_structure("a1b2"),
            dora_structure("lyon-1", code_postal="69001", code_insee="69381"),
            dora_structure(
                "c3d4",
                nom="Maison France Services d'Albertville",
                siret="21730011000013",
                adresse="7 rue Pasteur",
                code_postal="73200",
                code_insee="73011",
                commune="Albertville",
                latitude=45.6755,
                longitude=6.3925,
                telephone="04 79 10 45 00",
                labels_nationaux=["france-service"],
            ),
        ],
        "services": [dora_service("s1", "a1b2"), dora_service("s2", "lyon-1"), dora_service("s3", "c3d4")],
    }


async def test_dora_pages_through_next_links_with_a_token_and_keeps_the_department(
    sync, fake_dora: FakeSource, db
):
    dora_catalogue(fake_dora)
    job = await sync("dora")
    assert job.status == "succeeded" and job.complete_snapshot, job.errors
    assert job.counts["created"] == 2
    assert all(headers["Authorization"] == "Token dora-secret" for _, _, headers in fake_dora.requests)
    assert {query.get("page") for _, query, _ in fake_dora.requests} >= {None, "2"}  # followed `next`
    albertville = await db.scalar(select(Place).where(Place.code_insee == "73011"))
    assert albertville.tags["dispositif_programmes_nationaux"] == ["France Services"]
    assert albertville.tags["services"] == ["Aide aux démarches administratives"]
    assert albertville.tags["typologie"] == ["BIB"]
    stored = set(await db.scalars(select(SourceRecord.source_id).where(SourceRecord.source == "dora")))
    assert stored == {"a1b2", "c3d4", "s1", "s3"}  # Lyon and its service are not this department's


async def test_the_same_place_in_two_sources_is_merged_with_provenance_and_reconciled(
    sync, fake_data_inclusion: FakeSource, fake_dora: FakeSource, db, client, coordinator
):
    catalogue(fake_data_inclusion)
    dora_catalogue(fake_dora)
    await sync("data-inclusion")
    job = await sync("dora")
    assert job.counts["merged"] == 1 and job.counts["created"] == 1
    [mediatheque] = list(await db.scalars(select(Place).where(Place.pivot == "21730065600006")))
    # date_maj precedence: DORA's record (2026-11-15) is more recent than data·inclusion's (2026-10-01).
    assert mediatheque.telephone == "+33479600405" and mediatheque.nom == "Médiathèque J.-J. Rousseau"
    assert mediatheque.tags["services"] == ["Aide aux démarches administratives"]
    provenance = (await client.get(f"/sync/lieux/{mediatheque.id}/provenance", headers=coordinator)).json()
    fields = {entry["field"]: entry["source"] for entry in provenance["fields"]}
    assert fields["telephone"] == "dora" and fields["presentation_resume"] == "dora"
    assert {record["source"] for record in provenance["records"]} == {"dora", "data-inclusion"}

    report = (await client.get("/sync/rapprochement", headers=coordinator)).json()
    entries = {entry["nom"]: entry for entry in report["items"]}
    merged = entries["Médiathèque J.-J. Rousseau"]
    assert merged["present_in"] == ["data-inclusion", "dora"] and merged["missing_from"] == ["mednum73"]
    phone = next(difference for difference in merged["differences"] if difference["field"] == "telephone")
    assert phone["values"] == {"data-inclusion": "+33479600404", "dora": "+33479600405"}
    csv_report = await client.get("/sync/rapprochement.csv", headers=coordinator)
    assert csv_report.status_code == 200 and csv_report.headers["content-type"].startswith("text/csv")
    assert (
        "divergence,telephone,data-inclusion|dora,data-inclusion = +33479600404 ; dora = +33479600405"
        in csv_report.text
    )


async def test_priority_precedence_prefers_the_trusted_source(
    sync, sync_settings, fake_data_inclusion: FakeSource, fake_dora: FakeSource, db
):
    sync_settings.sync_precedence = "priority"
    sync_settings.sync_source_priority = ["data-inclusion", "dora"]
    catalogue(fake_data_inclusion)
    dora_catalogue(fake_dora)
    await sync("data-inclusion")
    await sync("dora")
    mediatheque = await db.scalar(select(Place).where(Place.pivot == "21730065600006"))
    assert mediatheque.telephone == "+33479600404" and mediatheque.nom == "Médiathèque Jean-Jacques Rousseau"


async def test_yeswiki_published_entries_become_places_with_decoded_lists(sync, fake_yeswiki: FakeSource, db):
    fake_yeswiki.records = {
        "entries": [
            yeswiki_entry("EspaceNumeriqueAix"),
            yeswiki_entry("EnAttente", bf_titre="Fiche en attente de validation", statut_fiche="0"),
            yeswiki_entry("SansAdresse", bf_titre="Fiche incomplète", bf_adresse="", bf_code_postal=None),
        ]
    }
    job = await sync("mednum73")
    assert job.status == "succeeded" and job.complete_snapshot, job.errors
    assert job.counts["created"] == 1 and job.counts["quarantined"] == 1
    place = await db.scalar(select(Place).where(Place.nom == "Espace numérique d'Aix"))
    assert place.tags["services"] == [
        "Aide aux démarches administratives",
        "Accès internet et matériel informatique",
    ]
    assert place.code_insee == "73008" and place.telephone == "+33479350000" and place.source == "Mednum73"
    record = await db.scalar(select(SourceRecord).where(SourceRecord.source_id == "EspaceNumeriqueAix"))
    assert "owner" not in record.raw and "user" not in record.raw  # wiki accounts are not kept
    quarantined = await db.scalar(select(SourceRecord).where(SourceRecord.source_id == "SansAdresse"))
    assert {reason["field"] for reason in quarantined.quarantine_reasons} == {"adresse", "code_postal"}


async def test_a_null_yeswiki_answer_withdraws_nothing_and_the_next_run_converges(
    sync, fake_yeswiki: FakeSource, db
):
    fake_yeswiki.records = {
        "entries": [
            yeswiki_entry("EspaceNumeriqueAix"),
            yeswiki_entry(
                "Mediatheque",
                bf_titre="Médiathèque de Chambéry",
                bf_adresse="Carré Curial",
                bf_code_postal="73000",
                bf_ville="Chambéry",
                bf_latitude="",
                bf_longitude="",
                geolocation=None,
            ),
        ]
    }
    await sync("mednum73")
    fake_yeswiki.faults = ["ok", "null"]  # the form, then `null` for the entries
    job = await sync("mednum73")
    assert job.status == "partial" and job.counts.get("withdrawn", 0) == 0
    assert "null" in job.errors[0]["message"]
    assert len(list(await db.scalars(select(Place).where(Place.status == "active")))) == 2
    fake_yeswiki.records["entries"].pop()
    job = await sync("mednum73")
    assert job.status == "succeeded" and job.counts["withdrawn"] == 1


async def test_a_standard_csv_file_is_imported_through_the_api(client, coordinator, sync_app, db):
    example = (REFERENCE / "mediation-num-exemple-valide-v1.csv").read_text()
    # The standard's own valid example, moved to Savoie (its commune must exist and agree with its postal
    # code).
    savoie = example.replace('"Reims","51100","51454"', '"Chambéry","73000","73065"').replace(
        '"43.52609","5.41423"', '"45.5667","5.9236"'
    )
    response = await client.post(
        "/sync/imports",
        params={"source": "cd73-lieux", "complet": "true"},
        content=savoie.encode(),
        headers={**coordinator, "content-type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    await sync_app.state.sync_tasks[job_id]
    job = (await client.get(f"/sync/taches/{job_id}", headers=coordinator)).json()
    assert (
        job["statut"] == "reussie"
        and job["compteurs"]["crees"] == 1
        and job["source"] == "fichier-cd73-lieux"
    )
    place = await db.scalar(select(Place).where(Place.nom == "Anonymal"))
    assert place.tags["typologie"] == ["TIERS_LIEUX", "ASSO"]
    assert place.courriels == ["contact@laquincaillerie.tl", "responsable@laquincaillerie.tl"]


async def test_an_unreadable_file_is_refused_before_any_job(client, coordinator, db):
    for body, content_type in (
        (b'[{"nom": "Tronqu', "application/json"),
        (b"\xff\xfe", "text/csv"),
        (b"colonne\nvaleur\n", "text/csv"),
    ):
        response = await client.post(
            "/sync/imports",
            params={"source": "essai"},
            content=body,
            headers={**coordinator, "content-type": content_type},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "fichier"
    jobs = (await client.get("/sync/taches", headers=coordinator)).json()
    assert jobs["total"] == 0
