"""Is this source record a place the directory already has? Pivot first, then an explainable score.

National practice, and the policy here: better to miss a duplicate (a coordinator can still merge it) than to
merge two different places (one of them disappears from the map). So:

- the same SIRET/RNA in the same commune is the same place (a SIRET alone is not: a town's libraries share
  the town's SIRET);
- otherwise each signal gives a similarity in [0, 1] and the score is their weighted mean over the signals
  both sides have (a missing phone neither helps nor hurts);
- an automatic merge also needs a close name *and* a second, independent agreement (address, position,
  phone or e-mail); without it the pair at most goes to review;
- two records of one source are never the same place (that source lists them separately), and a pair a
  coordinator rejected or split is never proposed again.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from fne_directory.text import STOP_WORDS, normalise_text

WEIGHTS = {"nom": 0.40, "adresse": 0.20, "commune": 0.10, "distance": 0.15, "telephone": 0.10, "courriel": 0.05}
# Sources often give a place's switchboard in one and a direct line in the other: different contacts weigh
# little against, equal ones weigh for.
DIFFERENT_CONTACT = 0.3
# Beyond this distance between two places' coordinates, they are not compared at all (unless same commune).
NEIGHBOURHOOD_M = 2000
ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "r": "rue", "pl": "place",
    "st": "saint", "ste": "sainte", "ch": "chemin", "che": "chemin", "chem": "chemin", "imp": "impasse",
    "all": "allee", "rte": "route", "fg": "faubourg", "sq": "square", "crs": "cours", "qu": "quai",
    "mte": "montee", "pass": "passage", "res": "residence", "bis": "bis", "ter": "ter",
}
NUMBER = re.compile(r"^\d+[a-z]?$")


def _words(text: str | None) -> list[str]:
    return [word for word in normalise_text(text or "").split() if word not in STOP_WORDS]


def name_key(text: str | None) -> str:
    return " ".join(_words(text))


def address_key(text: str | None) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in _words(text))


def _similarity(a: str, b: str) -> float | None:
    """Word order aside; half of it forgives a shortened name ("J J Rousseau") whose words the other holds."""
    if not a or not b:
        return None
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 200


def _address_similarity(a: str, b: str) -> float | None:
    """Street numbers must agree: "3 rue de la Gare" and "30 rue de la Gare" are two buildings."""
    similarity = _similarity(a, b)
    if similarity is None:
        return None
    numbers_a = {word for word in a.split() if NUMBER.match(word)}
    numbers_b = {word for word in b.split() if NUMBER.match(word)}
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return similarity * 0.5
    return similarity


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")[-9:]


@dataclass
class Match:
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)
    strong: bool = False  # enough independent agreement for an automatic merge

    @property
    def comparable(self) -> bool:
        return self.score > 0


@dataclass(frozen=True, slots=True)
class Profile:
    """What comparing needs of a place, normalised once (a place is compared with many others)."""

    pivot: str | None
    code_insee: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    name: str
    address: str
    phone: str
    emails: frozenset[str]


def profile(place: Mapping[str, Any]) -> Profile:
    """The profile of a place given in the standard's field names (plus geo_precision)."""
    return Profile(
        pivot=place.get("pivot"), code_insee=place.get("code_insee"), latitude=place.get("latitude"),
        longitude=place.get("longitude"), geo_precision=place.get("geo_precision"), name=name_key(place.get("nom")),
        address=address_key(place.get("adresse")), phone=_digits(place.get("telephone")),
        emails=frozenset(mail.lower() for mail in place.get("courriels") or []))


def compare(a: Profile | Mapping[str, Any], b: Profile | Mapping[str, Any]) -> Match:
    """How alike two places are (profiles, or dicts of the standard's fields), and why."""
    a = a if isinstance(a, Profile) else profile(a)
    b = b if isinstance(b, Profile) else profile(b)
    if a.pivot and a.pivot == b.pivot and a.code_insee and a.code_insee == b.code_insee:
        return Match(1.0, {"pivot": a.pivot, "meme_commune": True}, strong=True)
    same_commune = bool(a.code_insee) and a.code_insee == b.code_insee
    signals: dict[str, float] = {}
    reasons: dict[str, Any] = {"meme_commune": same_commune}
    distance = None
    if a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None:
        distance = distance_m(a.latitude, a.longitude, b.latitude, b.longitude)
        reasons["distance_m"] = round(distance)
        # Positions at a commune's reference point say nothing about the building.
        if "commune" not in (a.geo_precision, b.geo_precision):
            signals["distance"] = max(0.0, 1 - max(distance - 50, 0) / 950)
    if not same_commune and (distance is None or distance > NEIGHBOURHOOD_M):
        return Match(0.0, reasons)
    signals["commune"] = 1.0 if same_commune else 0.0
    signals["nom"] = _similarity(a.name, b.name) or 0.0
    reasons["nom"] = round(signals["nom"], 3)
    address = _address_similarity(a.address, b.address)
    if address is not None:
        signals["adresse"] = address
        reasons["adresse"] = round(address, 3)
    if a.phone and b.phone:
        signals["telephone"] = 1.0 if a.phone == b.phone else DIFFERENT_CONTACT
        reasons["telephone"] = a.phone == b.phone
    if a.emails and b.emails:
        signals["courriel"] = 1.0 if a.emails & b.emails else DIFFERENT_CONTACT
        reasons["courriel"] = bool(a.emails & b.emails)
    score = sum(WEIGHTS[name] * value for name, value in signals.items()) / sum(WEIGHTS[name] for name in signals)
    corroborated = (signals.get("adresse", 0) >= 0.8 or signals.get("distance", 0) >= 0.9
                    or signals.get("telephone") == 1.0 or signals.get("courriel") == 1.0)
    return Match(round(score, 4), reasons, strong=signals["nom"] >= 0.75 and corroborated)


def decide(match: Match, auto_merge: float, review: float) -> str:
    """merge | review | distinct."""
    if match.score >= auto_merge and match.strong:
        return "merge"
    if match.score >= review:
        return "review"
    return "distinct"
