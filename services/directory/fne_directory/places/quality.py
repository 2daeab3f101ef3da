"""How complete and how fresh a place's record is, so coordinators know which places to chase.

In the spirit of data·inclusion's quality score: a set of named criteria, each met or not, and a freshness
state from `date_maj`. The missing criteria are returned so the score explains itself.
"""

import operator
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import lru_cache
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


# The criteria, in the order of a record's missing ones; `missing_criteria` tests them.
CRITERIA = (
    "joignable",  # a telephone or an e-mail address
    "horaires",
    "services",
    "localisation_precise",  # geo_precision is "exacte"
    "presentation",  # presentation_resume
    "modalites_acces",
    "modalites_accompagnement",
    "frais",  # frais_a_charge
    "identifiant_pivot",  # pivot
    "site_ou_rdv",  # site_web or prise_rdv
)
_FIELD_NAMES = (
    "telephone",
    "courriels",
    "horaires",
    "services",
    "geo_precision",
    "presentation_resume",
    "modalites_acces",
    "modalites_accompagnement",
    "frais_a_charge",
    "pivot",
    "site_web",
    "prise_rdv",
)
_FIELDS = operator.itemgetter(*_FIELD_NAMES)
COMPLETENESS_WEIGHT = 0.7


def missing_criteria(record: Mapping[str, Any]) -> list[str]:
    """The criteria the record does not meet, tested inline: a search publishes 20 places, and a test per
    criterion through a function each was half of publishing them (issue #18)."""
    try:
        fields = _FIELDS(record)
    except KeyError:  # a partial record: its missing fields are empty
        fields = tuple(record.get(name) for name in _FIELD_NAMES)
    tel, mail, hours, services, precision, summary, access, support, fees, pivot, site, booking = fields
    missing = []
    if not (tel or mail):
        missing.append("joignable")
    if not hours:
        missing.append("horaires")
    if not services:
        missing.append("services")
    if precision != "exacte":
        missing.append("localisation_precise")
    if not summary:
        missing.append("presentation")
    if not access:
        missing.append("modalites_acces")
    if not support:
        missing.append("modalites_accompagnement")
    if not fees:
        missing.append("frais")
    if not pivot:
        missing.append("identifiant_pivot")
    if not (site or booking):
        missing.append("site_ou_rdv")
    return missing


@lru_cache(maxsize=64)
def _score(missing: int, fresh: Freshness) -> float:
    completeness = 1 - missing / len(CRITERIA)
    return round(COMPLETENESS_WEIGHT * completeness + (1 - COMPLETENESS_WEIGHT) * FRESHNESS_SCORE[fresh], 3)


def quality(
    record: Mapping[str, Any], today: date, fresh: Freshness | None = None
) -> tuple[float, list[str]]:
    """Score in [0, 1] (completeness weighted 0.7, freshness 0.3) and the criteria not met (`fresh`: the
    record's freshness, when known)."""
    missing = missing_criteria(record)
    if fresh is None:
        fresh = freshness(record.get("date_maj"), today)
    return _score(len(missing), fresh), missing
