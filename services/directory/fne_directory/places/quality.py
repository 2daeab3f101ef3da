"""How complete and how fresh a place's record is, so coordinators know which places to chase.

In the spirit of data·inclusion's quality score: a set of named criteria, each met or not, and a freshness
state from `date_maj`. The missing criteria are returned so the score explains itself.
"""

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any


class Freshness(StrEnum):
    UP_TO_DATE = "a_jour"  # under 6 months
    TO_WATCH = "a_surveiller"  # 6 to 12 months
    TO_CHECK = "a_verifier"  # 12 to 18 months
    TO_UPDATE = "a_mettre_a_jour"  # over 18 months, or no date


FRESHNESS_SCORE = {
    Freshness.UP_TO_DATE: 1.0,
    Freshness.TO_WATCH: 0.75,
    Freshness.TO_CHECK: 0.4,
    Freshness.TO_UPDATE: 0.0,
}


def months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.4375


def freshness(date_maj: date | None, today: date) -> Freshness:
    if date_maj is None:
        return Freshness.TO_UPDATE
    age = months_between(date_maj, today)
    if age < 6:
        return Freshness.UP_TO_DATE
    if age < 12:
        return Freshness.TO_WATCH
    if age < 18:
        return Freshness.TO_CHECK
    return Freshness.TO_UPDATE


# Criterion name → test on the record (a mapping of the standard's field names to values).
CRITERIA: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "joignable": lambda p: bool(p.get("telephone") or p.get("courriels")),
    "horaires": lambda p: bool(p.get("horaires")),
    "services": lambda p: bool(p.get("services")),
    "localisation_precise": lambda p: p.get("geo_precision") == "exacte",
    "presentation": lambda p: bool(p.get("presentation_resume")),
    "modalites_acces": lambda p: bool(p.get("modalites_acces")),
    "modalites_accompagnement": lambda p: bool(p.get("modalites_accompagnement")),
    "frais": lambda p: bool(p.get("frais_a_charge")),
    "identifiant_pivot": lambda p: bool(p.get("pivot")),
    "site_ou_rdv": lambda p: bool(p.get("site_web") or p.get("prise_rdv")),
}
COMPLETENESS_WEIGHT = 0.7


def quality(record: Mapping[str, Any], today: date) -> tuple[float, list[str]]:
    """Score in [0, 1] (completeness weighted 0.7, freshness 0.3) and the criteria not met."""
    missing = [name for name, met in CRITERIA.items() if not met(record)]
    completeness = 1 - len(missing) / len(CRITERIA)
    fresh = FRESHNESS_SCORE[freshness(record.get("date_maj"), today)]
    return round(COMPLETENESS_WEIGHT * completeness + (1 - COMPLETENESS_WEIGHT) * fresh, 3), missing
