"""Records put right before they are merged, rather than lost: latitude and longitude given the wrong way
round, a commune named but not coded where several share the postal code ("St-Genix", "Bâthie" for "La
Bâthie"), a place outside the département the directory serves. Each correction is kept as a warning, in
French."""

from typing import Any

from fne_directory.places.schemas import FRANCE_BOXES, PlaceInput
from fne_directory.places.service import Communes
from fne_directory.sync.linkage import distance_m
from fne_directory.territories.models import Commune
from fne_directory.text import STOP_WORDS, normalise_text

# Farther than this from its commune's reference point, a position is not the place's.
FAR_FROM_COMMUNE_M = 30_000
ARTICLES = frozenset({"le", "la", "les", "l"})
SHORT_WORDS = {"st": "saint", "ste": "sainte", "s": "sur", "ss": "sous"}


def in_france(latitude: Any, longitude: Any) -> bool:
    return (
        isinstance(latitude, (int, float))
        and isinstance(longitude, (int, float))
        and any(
            south <= latitude <= north and west <= longitude <= east
            for south, west, north, east in FRANCE_BOXES
        )
    )


def swapped_coordinates(values: dict[str, Any]) -> list[dict[str, Any]]:
    """Swaps latitude and longitude (in place) when only the swapped pair lies in France; the warning."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (
        latitude is None
        or longitude is None
        or in_france(latitude, longitude)
        or not in_france(longitude, latitude)
    ):
        return []
    values["latitude"], values["longitude"] = longitude, latitude
    return [warning("latitude", f"latitude et longitude inversées ({latitude}, {longitude}) : corrigées")]


def warning(field: str, reason: str, action: str = "corrigée") -> dict[str, Any]:
    return {"location": "body", "field": field, "pointer": f"/{field}", "reason": reason, "action": action}


def commune_key(name: str) -> str:
    """ "St-Genix-les-Villages" and "Saint Genix les Villages", "Bâthie" and "La Bâthie": one key."""
    words = [SHORT_WORDS.get(word, word) for word in normalise_text(name).split()]
    while words and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(word for word in words if word not in STOP_WORDS or word in ("sur", "sous"))


def named_commune(communes: Communes, place: PlaceInput) -> Commune | None:
    """Among the communes of the place's postal code, the one its commune name designates (None: no single
    one)."""
    if place.code_insee or not place.commune:
        return None
    wanted = commune_key(place.commune)
    found = [
        commune
        for commune in communes.by_postal_code(place.code_postal)
        if commune_key(commune.nom) == wanted
    ]
    return found[0] if len(found) == 1 else None


def far_position(place: PlaceInput, commune: Commune) -> list[dict[str, Any]] | None:
    """A position farther than FAR_FROM_COMMUNE_M from the commune: None if fine, else the update to make
    (swapped when that brings it home, else dropped) and its warning."""
    if (
        place.latitude is None
        or place.longitude is None
        or commune.latitude is None
        or commune.longitude is None
    ):
        return None
    if distance_m(place.latitude, place.longitude, commune.latitude, commune.longitude) <= FAR_FROM_COMMUNE_M:
        return None
    return [
        warning(
            "latitude",
            f"position à plus de {FAR_FROM_COMMUNE_M // 1000} km de {commune.nom} : ignorée",
            "valeur ignorée",
        )
    ]


def outside(commune: Commune, department: str) -> dict[str, Any] | None:
    """The reason a place of `commune` is not the directory's (None: it is)."""
    if not department or commune.departement_code == department:
        return None
    return warning(
        "code_postal",
        f"{commune.nom} ({commune.code}) est hors du département servi ({department}) : lieu non publié",
        "hors périmètre",
    )
