"""The merge of records into a place's fields."""

from datetime import date

from fne_directory.sync.connectors.data_inclusion import structure_place
from fne_directory.sync.merge import alone_input, merged_input
from fne_directory.sync.merging import valid_input
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import di_service, di_structure


def test_a_record_alone_gives_the_same_place_from_its_validated_input_as_merged_again() -> None:
    structures = [
        di_structure("dora--mediatheque"),
        di_structure(
            "mediation-numerique--aix",
            source="mediation-numerique",
            nom="Espace numérique d'Aix",
            siret=None,
            adresse="12 avenue de Marlioz",
            code_postal="73100",
            code_insee="73008",
            commune="Aix-les-Bains",
            latitude=None,
            longitude=None,
            telephone="+33479350000",
            courriel=None,
            site_web=None,
            description="x " * 200,
            horaires_accueil=None,
        ),
    ]
    services = [
        di_service("dora--s1", "dora--mediatheque"),
        di_service("dora--s2", "dora--mediatheque", type="accompagnement", publics=["jeunes"]),
    ]
    for index, raw in enumerate(structures):
        validated, _ = valid_input(structure_place(raw, services if index == 0 else []))
        for date_maj in (validated.date_maj, date(2026, 11, 3), None):
            record = SourceRecord(
                id=index,
                source="data-inclusion",
                normalised=validated.model_dump(mode="json"),
                date_maj=date_maj,
            )
            assert alone_input(record, validated) == merged_input([record], "date_maj", [])
