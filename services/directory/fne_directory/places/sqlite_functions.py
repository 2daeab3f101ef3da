"""What PostgreSQL computes natively (pg_trgm's word similarity, fuzzystrmatch's bounded edit distance, the
distance between two points), as functions registered on SQLite connections (the embedded default, for small
directories)."""

import math
from typing import Any

from rapidfuzz.distance import Levenshtein

EARTH_RADIUS_M = 6_371_008.8


def trigrams(word: str) -> list[str]:
    """pg_trgm's trigrams of one word, in order: padded with two spaces before and one after."""
    padded = f"  {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def word_similarity(needle: str, haystack: str) -> float:
    """pg_trgm's word_similarity: the best ratio, over the runs of consecutive trigrams of one of the
    haystack's words, of the trigrams shared with the needle to the trigrams of either."""
    wanted = set(trigrams(needle))
    best = 0.0
    for word in haystack.split():
        found = trigrams(word)
        for start in range(len(found)):
            extent: set[str] = set()
            for trigram in found[start:]:
                extent.add(trigram)
                best = max(best, len(wanted & extent) / (len(wanted) + len(extent - wanted)))
    return best


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine on the mean Earth radius (migration search02's fne_distance_m on PostgreSQL)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def levenshtein_less_equal(source: str, target: str, most: int) -> int:
    """fuzzystrmatch's levenshtein_less_equal: the edit distance, or more than `most` when it is."""
    return Levenshtein.distance(source, target, score_cutoff=most)


def register_sqlite_functions(dbapi_connection: Any) -> None:
    dbapi_connection.create_function("fne_word_similarity", 2, word_similarity, deterministic=True)
    dbapi_connection.create_function("levenshtein_less_equal", 3, levenshtein_less_equal, deterministic=True)
    dbapi_connection.create_function("fne_distance_m", 4, distance_m, deterministic=True)
