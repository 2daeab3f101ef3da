"""The data·inclusion API v1 connector and the run around it, against a fake speaking the real wire format."""

from sqlalchemy import select

from fne_directory.places.models import Place
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import FakeSource, di_service, di_structure


def catalogue(state: FakeSource) -> None:
    """Three structures of Chambéry and Aix (one without digital service), five services, over pages of 2."""
    state.records = {
        "structures": [
            di_structure("dora--mediatheque"),
            di_structure(
                "dora--ccas",
                nom="CCAS de Chambéry",
                siret="26730102200012",
                adresse="4 rue Jean Girard Madoux",
                telephone="04 79 60 23 00",
                courriel="ccas@chambery.fr",
                reseaux_porteurs=["ccas-cias"],
            ),
            di_structure(
                "mediation-numerique--aix",
                source="mediation-numerique",
                nom="Espace numérique d'Aix",
                siret=None,
                adresse="12 avenue de Marlioz",
                code_postal="73100",
                code_insee="73008",
                commune="Aix-les-Bains",
                latitude=45.6843,
                longitude=5.9121,
                telephone="+33479350000",
                courriel=None,
                site_web=None,
                horaires_accueil="Mo-Fr 09:00-12:00",
                reseaux_porteurs=None,
            ),
            di_structure("dora--lyon", code_postal="69001", code_insee="69381", commune="Lyon"),
        ],
        "services": [
            di_service("dora--s1", "dora--mediatheque"),
            di_service(
                "dora--s2",
                "dora--mediatheque",
                type="accompagnement",
                publics=["jeunes"],
                thematiques=["numerique--acceder-a-une-connexion-internet"],
                modes_accueil=["a-distance"],
            ),
            di_service("dora--s3", "dora--ccas", thematiques=["logement-hebergement--louer-un-logement"]),
        ],
    }


async def places_by_name(db) -> dict[str, Place]:
    return {place.nom: place for place in await db.scalars(select(Place))}


async def test_a_full_sync_creates_the_digital_places_and_a_rerun_changes_nothing(
    sync, fake_data_inclusion: FakeSource, db
):
    catalogue(fake_data_inclusion)
    job = await sync("data-inclusion")
    assert job.status == "succeeded", job.errors
    assert job.complete_snapshot
    assert job.counts["fetched"] == 6 and job.counts["created"] == 2 and job.counts["out_of_scope"] == 1
    places = await places_by_name(db)
    assert set(places) == {"Médiathèque Jean-Jacques Rousseau", "Espace numérique d'Aix"}
    mediatheque = places["Médiathèque Jean-Jacques Rousseau"]
    assert mediatheque.pivot == "21730065600006" and mediatheque.telephone == "+33479600404"
    assert mediatheque.tags["services"] == [
        "Maîtrise des outils numériques du quotidien",
        "Aide aux démarches administratives",
        "Accès internet et matériel informatique",
    ]
    assert mediatheque.tags["dispositif_programmes_nationaux"] == ["Conseillers numériques"]
    assert set(mediatheque.tags["modalites_accompagnement"]) == {
        "Dans un atelier collectif",
        "Accompagnement individuel",
        "À distance",
    }
    assert mediatheque.tags["publics_specifiquement_adresses"] == ["Seniors", "Jeunes"]
    # The bearer token, the department and the producers are sent; paging is page/size.
    _path, query, headers = fake_data_inclusion.requests[0]
    assert headers["Authorization"] == "Bearer di-secret"
    assert query["code_departement"] == "73" and query["size"] == "2" and query["page"] == "1"

    again = await sync("data-inclusion")
    assert again.status == "succeeded"
    assert again.counts["unchanged"] == again.counts["fetched"] == 6
    assert again.counts.get("created", 0) == again.counts.get("updated", 0) == 0
    assert (await db.get(Place, mediatheque.id)).version == mediatheque.version


async def test_a_change_in_the_source_updates_the_place(sync, fake_data_inclusion: FakeSource, db):
    catalogue(fake_data_inclusion)
    await sync("data-inclusion")
    fake_data_inclusion.records["structures"][0] = di_structure(
        "dora--mediatheque", telephone="04 79 60 04 99", date_maj="2026-11-20"
    )
    job = await sync("data-inclusion")
    assert job.counts["records_changed"] == 1 and job.counts["updated"] == 1
    place = (await places_by_name(db))["Médiathèque Jean-Jacques Rousseau"]
    assert place.telephone == "+33479600499" and place.version == 2


async def test_a_place_missing_from_a_complete_snapshot_is_withdrawn_then_restored(
    sync, fake_data_inclusion: FakeSource, db
):
    catalogue(fake_data_inclusion)
    await sync("data-inclusion")
    aix = fake_data_inclusion.records["structures"].pop(2)
    job = await sync("data-inclusion")
    assert job.counts["withdrawn"] == 1 and job.counts["places_withdrawn"] == 1
    record = await db.scalar(select(SourceRecord).where(SourceRecord.source_id == aix["id"]))
    assert record.status == "withdrawn" and record.withdrawn_at is not None
    place = await db.get(Place, record.place_id)
    assert place.status == "withdrawn"  # a tombstone: never deleted

    fake_data_inclusion.records["structures"].append(aix)
    job = await sync("data-inclusion")
    assert job.counts["restored"] == 1
    await db.refresh(place)
    assert place.status == "active"


async def test_invalid_records_are_quarantined_with_reasons_and_released_by_a_fixed_source(
    sync, fake_data_inclusion: FakeSource, client, coordinator
):
    catalogue(fake_data_inclusion)
    fake_data_inclusion.records["structures"][2] = di_structure(
        "mediation-numerique--aix",
        source="mediation-numerique",
        code_postal="73999",
        code_insee="73008",
        telephone="pas de téléphone",
    )
    job = await sync("data-inclusion")
    assert job.status == "succeeded" and job.counts["quarantined"] == 1 and job.counts["created"] == 1
    quarantine = (await client.get("/sync/enregistrements", headers=coordinator)).json()
    assert quarantine["total"] == 1
    [entry] = quarantine["items"]
    assert entry["source_id"] == "mediation-numerique--aix"
    assert [reason["field"] for reason in entry["quarantine_reasons"]] == ["code_postal"]

    fake_data_inclusion.records["structures"][2]["code_postal"] = "73100"
    job = await sync("data-inclusion")
    assert job.counts["created"] == 1 and job.counts.get("quarantined", 0) == 0
    detail = (await client.get(f"/sync/enregistrements/{entry['id']}", headers=coordinator)).json()
    assert detail["status"] == "active" and detail["place_id"]
    # The invalid phone was left out, with a warning, rather than holding the whole place back.
    assert [warning["field"] for warning in detail["warnings"]] == ["telephone"]
    assert detail["raw"]["telephone"] == "pas de téléphone"
