from datetime import UTC, datetime, timedelta

from fne_directory.places import filter_keys


def test_open_slots_cover_every_hour_an_interval_touches():
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    slots = filter_keys.open_slots(
        [
            (monday.replace(hour=7, minute=30), monday.replace(hour=10)),
            (monday + timedelta(days=2, hours=23, minutes=59), monday + timedelta(days=3, minutes=1)),
        ]
    )
    assert slots == {"ouvert=0-07", "ouvert=0-08", "ouvert=0-09", "ouvert=2-23", "ouvert=3-00"}
    assert filter_keys.open_slot(monday.replace(hour=9, minute=59)) in slots
    assert filter_keys.open_slot(monday.replace(hour=10)) not in slots  # closes at 10:00 sharp


def test_a_place_open_all_week_holds_every_slot_once():
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    slots = filter_keys.open_slots([(monday, monday + timedelta(days=14))])
    assert len(slots) == 7 * 24


def test_keys_name_the_field_and_survive_values_holding_the_separator():
    keys = filter_keys.of_place(
        {"services": ["Aide aux démarches administratives"], "frais_a_charge": ["Gratuit"]},
        {"departement_code": "73", "epci_code": None, "code_insee": "73065"},
        {"ouvert=0-08"},
    )
    assert keys == sorted(keys)
    assert "departement_code=73" in keys and not any(key.startswith("epci_code") for key in keys)
    assert filter_keys.parse("modalites_acces=Téléphoner = appeler") == (
        "modalites_acces",
        "Téléphoner = appeler",
    )
