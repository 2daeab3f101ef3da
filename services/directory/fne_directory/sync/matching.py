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
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from fne_directory.text import normalise_text

WEIGHTS = {"nom": 0.40, "adresse": 0.20, "commune": 0.10, "distance": 0.15, "telephone": 0.10, "courriel": 0.05}
# Sources often give a place's switchboard in one and a direct line in the other: different contacts weigh
# little against, equal ones weigh for.
DIFFERENT_CONTACT = 0.3
# Beyond this distance between two places' coordinates, they are not compared at all (unless same commune).
NEIGHBOURHOOD_M = 2000
STOP_WORDS = frozenset({"de", "la", "le", "les", "du", "des", "l", "d", "et", "a", "au", "aux", "en"})
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


def compare(a: dict[str, Any], b: dict[str, Any]) -> Match:
    """How alike two places are (dicts of the standard's fields), and why."""
    if a.get("pivot") and a.get("pivot") == b.get("pivot") and a.get("code_insee") \
            and a.get("code_insee") == b.get("code_insee"):
        return Match(1.0, {"pivot": a["pivot"], "meme_commune": True}, strong=True)
    same_commune = bool(a.get("code_insee")) and a.get("code_insee") == b.get("code_insee")
    signals: dict[str, float] = {}
    reasons: dict[str, Any] = {"meme_commune": same_commune}
    distance = None
    if None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        distance = distance_m(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        reasons["distance_m"] = round(distance)
        # Positions at a commune's reference point say nothing about the building.
        if "commune" not in (a.get("geo_precision"), b.get("geo_precision")):
            signals["distance"] = max(0.0, 1 - max(distance - 50, 0) / 950)
    if not same_commune and (distance is None or distance > NEIGHBOURHOOD_M):
        return Match(0.0, reasons)
    signals["commune"] = 1.0 if same_commune else 0.0
    name = _similarity(name_key(a.get("nom")), name_key(b.get("nom")))
    signals["nom"] = name or 0.0
    reasons["nom"] = round(signals["nom"], 3)
    address = _address_similarity(address_key(a.get("adresse")), address_key(b.get("adresse")))
    if address is not None:
        signals["adresse"] = address
        reasons["adresse"] = round(address, 3)
    phone_a, phone_b = _digits(a.get("telephone")), _digits(b.get("telephone"))
    if phone_a and phone_b:
        signals["telephone"] = 1.0 if phone_a == phone_b else DIFFERENT_CONTACT
        reasons["telephone"] = phone_a == phone_b
    mails_a, mails_b = {m.lower() for m in a.get("courriels") or []}, {m.lower() for m in b.get("courriels") or []}
    if mails_a and mails_b:
        signals["courriel"] = 1.0 if mails_a & mails_b else DIFFERENT_CONTACT
        reasons["courriel"] = bool(mails_a & mails_b)
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
