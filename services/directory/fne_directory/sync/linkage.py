"""Record linkage: are two descriptions the same real place? Fellegi–Sunter, its weights estimated by EM.

Each pair that blocking keeps is compared criterion by criterion (name, address, distance, phone, e-mail,
SIRET, commune, data·inclusion's duplicate hints); each criterion gives a level ("identique", "proche"…) or
nothing when a side lacks the value. The model holds, per level, its probability among pairs of one place (m)
and among pairs of two places (u); a pair's match weight is the sum of log2(m/u) over its levels plus the
prior's, its probability follows. m, u and the prior are estimated from the run's own pairs by
expectation–maximisation, from starting values that only say which way each level leans. Two rules are not the
model's: names that agree only where the kinds of place disagree (the town hall and its library, "Mairie de X"
/ "Médiathèque de X") are two places, whatever the address, phone and SIRET they share; and a pair is only
compared when it shares something (blocking). docs/linkage.md says why.
"""

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from fne_directory.text import STOP_WORDS, normalise_text

# Kinds of place read from their names (normalised phrases, longest first in matching).
KINDS: dict[str, tuple[str, ...]] = {
    "mairie": ("mairie", "hotel de ville", "commune de", "ville de"),
    "ccas": ("ccas", "centre communal d action sociale"),
    "mediatheque": ("mediatheque", "bibliotheque", "mediath", "bibli"),
    "france-services": ("france services", "france service", "mfs", "maison de services au public", "msap"),
    "epn": ("epn", "espace public numerique", "cyber base"),
    "centre-social": ("centre social", "centre socio culturel", "cs", "espace de vie sociale"),
    "tiers-lieu": ("tiers lieu", "fablab", "fab lab"),
    "association": ("association", "asso"),
    "mission-locale": ("mission locale", "mlj"),
}
# Words that say what kind of place, not which one: left out of the name's core.
GENERIC = frozenset(
    {
        "mairie",
        "hotel",
        "ville",
        "commune",
        "ccas",
        "centre",
        "communal",
        "action",
        "sociale",
        "social",
        "socio",
        "culturel",
        "mediatheque",
        "bibliotheque",
        "mediath",
        "bibli",
        "municipale",
        "municipal",
        "intercommunale",
        "france",
        "services",
        "service",
        "mfs",
        "maison",
        "msap",
        "epn",
        "espace",
        "public",
        "numerique",
        "cyber",
        "base",
        "cs",
        "tiers",
        "lieu",
        "association",
        "asso",
        "antenne",
        "point",
        "accueil",
        "vie",
        "mlj",
        "mission",
        "locale",
        "jeunes",
        "st",
        "ste",
        "saint",
        "sainte",
        "au",
    }
)
STREET_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "r": "rue",
    "pl": "place",
    "st": "saint",
    "ste": "sainte",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "rte": "route",
    "fg": "faubourg",
    "sq": "square",
    "crs": "cours",
    "qu": "quai",
    "mte": "montee",
    "pass": "passage",
    "res": "residence",
    "gal": "general",
    "cdt": "commandant",
    "mal": "marechal",
    "pdt": "president",
    "prom": "promenade",
    "lot": "lotissement",
    "hab": "hameau",
}
NUMBER = re.compile(r"^(\d+)\s*(bis|ter|[a-d])?\b\s*(.*)$")
GENERIC_MAIL = frozenset(
    {
        "orange.fr",
        "gmail.com",
        "wanadoo.fr",
        "free.fr",
        "laposte.net",
        "hotmail.fr",
        "yahoo.fr",
        "outlook.fr",
        "sfr.fr",
    }
)

# The criteria and their levels, in order; a criterion without a value on a side has no level (index -1).
CRITERIA: dict[str, tuple[str, ...]] = {
    "nom": (
        "identique",
        "proche",
        "voisin",
        "generique_meme_type",
        "autre_type",
        "different",
        "identique_autre_commune",
    ),
    "adresse": ("identique", "meme_voie", "autre_numero", "differente"),
    "distance": ("moins_100_m", "moins_500_m", "moins_2_km", "plus_2_km"),
    "telephone": ("identique", "different"),
    "courriel": ("identique", "different"),
    "siret": ("identique", "meme_siren", "different"),
    "commune": ("identique", "differente"),
    "doublons": ("signale", "non_signale"),
}
NAMES = tuple(CRITERIA)
# Starting values, m then u per level: only which way each level leans; EM estimates the values from the data.
START: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "nom": ((0.45, 0.3, 0.1, 0.1, 0.01, 0.03, 0.01), (0.02, 0.04, 0.08, 0.04, 0.07, 0.73, 0.02)),
    "adresse": ((0.55, 0.2, 0.05, 0.2), (0.03, 0.07, 0.15, 0.75)),
    "distance": ((0.5, 0.3, 0.15, 0.05), (0.03, 0.12, 0.45, 0.4)),
    "telephone": ((0.8, 0.2), (0.05, 0.95)),
    "courriel": ((0.8, 0.2), (0.03, 0.97)),
    "siret": ((0.8, 0.05, 0.15), (0.1, 0.02, 0.88)),
    "commune": ((0.95, 0.05), (0.6, 0.4)),
    "doublons": ((0.6, 0.4), (0.02, 0.98)),
}
START_PRIOR = 0.1
EM_ITERATIONS = 200
EM_TOLERANCE = 1e-6
PSEUDO_COUNT = 0.5  # per level and class: no level's probability is estimated at exactly 0
MIN_PAIRS_TO_ESTIMATE = 50
NEIGHBOURHOOD_M = 2000


@dataclass(frozen=True, slots=True)
class Features:
    """What comparing needs of a description, normalised once (one is compared with many)."""

    key: str | None  # the record's id in its source, for duplicate hints
    code_insee: str | None
    latitude: float | None
    longitude: float | None
    exact_position: bool
    core: str  # the name without its generic words, its commune's name and articles
    core_words: frozenset[str]
    kind: str | None
    street_number: str | None
    street: str
    phone: str
    emails: frozenset[str]
    siret: str
    hinted: frozenset[str] = frozenset()  # ids data·inclusion gives as duplicates of this one
    full: str = ""  # the whole name, normalised: what tells two names of only generic words apart
    di_keys: frozenset[str] = frozenset()  # data·inclusion ids this description holds (a place: its records)
    producers: frozenset[str] = frozenset()  # the data·inclusion producers of those ids


def _collapse_initials(words: list[str]) -> list[str]:
    """ "c c a s" → "ccas": initials written with dots."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if word:
            out.append(word)
    return out


# Per phrase of a kind: the phrase as a word sequence, as a name's beginning (long phrases only), its length.
_KIND_CHECKS = [
    (f" {phrase} ", f" {phrase}" if len(phrase) > 4 else None, len(phrase), kind)
    for kind, phrases in KINDS.items()
    for phrase in phrases
]


def kind_of(normalised_name: str) -> str | None:
    padded = f" {normalised_name} "
    found = [
        (length, kind)
        for words, beginning, length, kind in _KIND_CHECKS
        if words in padded or (beginning is not None and padded.startswith(beginning))
    ]
    return max(found)[1] if found else None


# Words of names written several ways: abbreviations, and the words that only say a library is the town's.
NAME_WORDS = {"st": "saint", "ste": "sainte", "municipale": "", "municipal": ""}
_KIND_PHRASES = sorted(
    ((f" {phrase} ", f" {kind} ") for kind, phrases in KINDS.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)


def full_name(name: str | None) -> str:
    """The whole name in one spelling: initials joined, abbreviations expanded, each phrase of a kind
    written as the kind ("EPN de St-Jean" and "Espace public numérique de Saint-Jean", "Commune de Grignon"
    and "Mairie Grignon", "Bibliothèque municipale de Séez" and "Médiathèque de Séez" are each one name),
    without articles: what tells apart names made only of generic words and the commune's."""
    words = [NAME_WORDS.get(word, word) for word in _collapse_initials(normalise_text(name or "").split())]
    padded = f" {' '.join(word for word in words if word)} "
    for phrase, kind in _KIND_PHRASES:
        if phrase in padded:
            padded = padded.replace(phrase, kind)
    return " ".join(word for word in padded.split() if word not in STOP_WORDS)


@functools.lru_cache(maxsize=4096)  # a few hundred communes, each read for thousands of records
def commune_words(commune: str | None) -> frozenset[str]:
    words = normalise_text(commune or "").split()
    return frozenset(STREET_WORDS.get(word, word) for word in words) | frozenset(words)


def name_core(name: str | None, commune: str | None) -> tuple[str, str | None]:
    words = _collapse_initials(normalise_text(name or "").split())
    joined = " ".join(words)
    skip = GENERIC | STOP_WORDS | commune_words(commune)
    return " ".join(word for word in words if word not in skip), kind_of(joined)


def address_parts(address: str | None) -> tuple[str | None, str]:
    words = [STREET_WORDS.get(word, word) for word in normalise_text(address or "").split()]
    text = " ".join(word for word in words if word not in STOP_WORDS)
    match = NUMBER.match(text)
    if match:
        return match.group(1) + (match.group(2) or ""), match.group(3).strip()
    return None, text


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")[-9:]


def _hint_ids(raw_hints: Any) -> frozenset[str]:
    """data·inclusion's `doublons`: structures (objects with an `id`) or ids."""
    ids = set()
    for hint in raw_hints if isinstance(raw_hints, list) else []:
        value = hint.get("id") if isinstance(hint, Mapping) else hint
        if isinstance(value, str) and value:
            ids.add(value)
    return frozenset(ids)


def features(
    place: Mapping[str, Any],
    *,
    key: str | None = None,
    hints: Any = None,
    di_keys: Iterable[str] = (),
    producers: Iterable[str] = (),
) -> Features:
    """Features of a description in the standard's field names (plus code_insee and geo_precision)."""
    core, kind = name_core(place.get("nom"), place.get("commune"))
    number, street = address_parts(place.get("adresse"))
    latitude, longitude = place.get("latitude"), place.get("longitude")
    return Features(
        key=key,
        code_insee=place.get("code_insee"),
        latitude=latitude,
        longitude=longitude,
        exact_position=latitude is not None
        and longitude is not None
        and place.get("geo_precision") not in ("commune",),
        core=core,
        core_words=frozenset(core.split()),
        kind=kind,
        street_number=number,
        street=street,
        phone=_digits(place.get("telephone")),
        emails=frozenset(mail.strip().lower() for mail in place.get("courriels") or [] if mail),
        siret=re.sub(r"\D", "", place.get("pivot") or "")[:14],
        hinted=_hint_ids(hints),
        di_keys=frozenset(di_keys),
        producers=frozenset(producers),
        full=full_name(place.get("nom")),
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, in metres (exact enough within a département)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000 * math.hypot(x, math.radians(lat2 - lat1))


def blocked(a: Features, b: Features) -> bool:
    """Whether the pair shares enough to be compared at all (the union of blocking rules)."""
    if a.code_insee != b.code_insee:
        if (
            not (a.exact_position and b.exact_position)
            or distance_m(a.latitude, a.longitude, b.latitude, b.longitude) > NEIGHBOURHOOD_M
        ):
            return False
    return bool(
        a.core_words & b.core_words
        or (not a.core and not b.core and a.kind == b.kind)
        or (a.phone and a.phone == b.phone)
        or a.emails & b.emails
        or (a.siret and a.siret == b.siret)
        or (
            a.street
            and a.street == b.street
            and (not a.street_number or not b.street_number or a.street_number == b.street_number)
        )
        or a.hinted & b.di_keys
        or b.hinted & a.di_keys
    )


def stored_keys(place: Features) -> set[str]:
    """The blocking keys a description is found by: two descriptions that `blocked` keeps share one (the
    hints and the street numbers cross: a record looks up `lookup_keys`)."""
    keys = {f"w:{word}" for word in place.core_words}
    keys |= {f"e:{mail}" for mail in place.emails} | {f"d:{key}" for key in place.di_keys}
    keys |= {f"h:{key}" for key in place.hinted}
    if not place.core:
        keys.add(f"g:{place.kind}")
    for prefix, value in (("t", place.phone), ("s", place.siret)):
        if value:
            keys.add(f"{prefix}:{value}")
    if place.street:
        # One street is shared by many places of a town: a number on both sides must agree (a side without
        # one is found by every number).
        keys |= {f"r:{place.street}#*", f"r:{place.street}#{place.street_number or '-'}"}
    return keys


def lookup_keys(record: Features) -> set[str]:
    keys = {f"w:{word}" for word in record.core_words} | {f"e:{mail}" for mail in record.emails}
    keys |= {f"d:{key}" for key in record.hinted} | {f"h:{key}" for key in record.di_keys}
    if not record.core:
        keys.add(f"g:{record.kind}")
    for prefix, value in (("t", record.phone), ("s", record.siret)):
        if value:
            keys.add(f"{prefix}:{value}")
    if record.street:
        if record.street_number:
            keys |= {f"r:{record.street}#{record.street_number}", f"r:{record.street}#-"}
        else:
            keys.add(f"r:{record.street}#*")
    return keys


def _name_level(a: Features, b: Features) -> tuple[int, float]:
    kinds_differ = a.kind is not None and b.kind is not None and a.kind != b.kind
    if not a.core and not b.core:
        if not kinds_differ and a.full and a.full == b.full:
            # "Espace numérique de Modane" twice: generic words only, but the very same name.
            return (0 if a.code_insee == b.code_insee else 6), 1.0
        return (4 if kinds_differ or a.kind is None else 3), 1.0
    if not a.core or not b.core:
        # "Médiathèque de Chambéry" and "Médiathèque J.-J. Rousseau": one only says the kind, which agrees.
        return (3 if a.kind is not None and a.kind == b.kind else 5), 0.0
    numbers = {word for word in a.core_words if word.isdigit()}, {w for w in b.core_words if w.isdigit()}
    if numbers[0] and numbers[1] and numbers[0] != numbers[1]:
        # "Maison de quartier 2" and "Maison de quartier 3": the number is what tells them apart.
        return (4 if kinds_differ else 5), 0.0
    if a.core == b.core:
        # One name in two communes is a chain's, or a name like any other: not the same evidence.
        return (4 if kinds_differ else 0 if a.code_insee == b.code_insee else 6), 1.0
    similarity = fuzz.token_set_ratio(a.core, b.core) / 100
    if similarity >= 0.9 or a.core_words <= b.core_words or b.core_words <= a.core_words:
        level = 1
    elif similarity >= 0.7:
        level = 2
    else:
        return 5, similarity
    return (4 if kinds_differ else level), similarity


def _street_level(a: Features, b: Features) -> int:
    if not a.street or not b.street:
        return -1
    same_street = a.street == b.street or fuzz.ratio(a.street, b.street) >= 88
    if not same_street:
        return 3
    if a.street_number and b.street_number:
        return 0 if a.street_number == b.street_number else 2
    return 1


def compare(a: Features, b: Features) -> tuple[list[int], dict[str, Any]]:
    """The pair's level per criterion (CRITERIA's order; -1: no value) and what a person reads of it."""
    name, similarity = _name_level(a, b)
    levels = [name, _street_level(a, b), -1, -1, -1, -1, 0 if a.code_insee == b.code_insee else 1, -1]
    facts: dict[str, Any] = {"nom_similarite": round(similarity, 3)}
    if a.exact_position and b.exact_position:
        distance = distance_m(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
        facts["distance_m"] = round(distance)
        levels[2] = 0 if distance < 100 else 1 if distance < 500 else 2 if distance < 2000 else 3
    if a.phone and b.phone:
        levels[3] = 0 if a.phone == b.phone else 1
    if a.emails and b.emails:
        levels[4] = 0 if a.emails & b.emails else 1
    if a.siret and b.siret:
        levels[5] = 0 if a.siret == b.siret else 1 if a.siret[:9] == b.siret[:9] else 2
    # data·inclusion looks for duplicates across its producers: between two records of one producer, no hint
    # is no evidence.
    if a.di_keys and b.di_keys and not (len(a.producers) == 1 and a.producers == b.producers):
        hinted = bool(a.hinted & b.di_keys or b.hinted & a.di_keys)
        levels[7] = 0 if hinted else 1
    return levels, facts


@dataclass
class Model:
    """Fellegi–Sunter: per criterion and level, m and u; the share of pairs that match (prior)."""

    m: dict[str, np.ndarray] = field(default_factory=lambda: {k: np.array(v[0]) for k, v in START.items()})
    u: dict[str, np.ndarray] = field(default_factory=lambda: {k: np.array(v[1]) for k, v in START.items()})
    prior: float = START_PRIOR
    estimated_from: int = 0  # pairs of the last estimation (0: starting values)
    apart_pairs: int = 0  # pairs known apart that u was read from (0: u estimated by EM too)
    iterations: int = 0

    def weights(self) -> dict[str, np.ndarray]:
        return {name: np.log2(self.m[name] / self.u[name]) for name in NAMES}

    def _log_odds(self, levels: np.ndarray) -> np.ndarray:
        total = np.full(levels.shape[0], math.log2(self.prior / (1 - self.prior)))
        for column, name in enumerate(NAMES):
            weight = np.log2(self.m[name] / self.u[name])
            present = levels[:, column] >= 0
            total[present] += weight[levels[present, column]]
        return total

    def probabilities(self, levels: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.power(2.0, -self._log_odds(levels)))

    def estimate(self, levels: np.ndarray, apart: np.ndarray | None = None) -> "Model":
        """EM from the current values over these pairs (rows of levels); a new model.

        `apart`: pairs known to be two places (two records one origin lists apart). When there are enough of
        them, u is read from them and only m and the prior are estimated: the pairs that blocking keeps but
        are not one place (a town hall and its library share address, phone and SIRET) then teach u what they
        look like, instead of EM splitting the pairs along whichever agreement is most common."""
        if levels.shape[0] < MIN_PAIRS_TO_ESTIMATE:
            return self
        model = Model(
            {k: v.copy() for k, v in self.m.items()}, {k: v.copy() for k, v in self.u.items()}, self.prior
        )
        fixed_u = apart is not None and apart.shape[0] >= MIN_PAIRS_TO_ESTIMATE
        if fixed_u:
            assert apart is not None
            for column, name in enumerate(NAMES):
                observed = apart[apart[:, column] >= 0, column]
                counts = np.bincount(observed, minlength=len(CRITERIA[name])) + PSEUDO_COUNT
                model.u[name] = counts / counts.sum()
        for iteration in range(EM_ITERATIONS):
            match = model.probabilities(levels)
            prior = float(np.clip(match.sum() / len(match), 1e-4, 0.99))
            for column, name in enumerate(NAMES):
                size = len(CRITERIA[name])
                present = levels[:, column] >= 0
                observed = levels[present, column]
                m_counts = np.bincount(observed, weights=match[present], minlength=size) + PSEUDO_COUNT
                model.m[name] = m_counts / m_counts.sum()
                if not fixed_u:
                    u_counts = (
                        np.bincount(observed, weights=1 - match[present], minlength=size) + PSEUDO_COUNT
                    )
                    model.u[name] = u_counts / u_counts.sum()
            change = abs(prior - model.prior)
            model.prior = prior
            model.iterations = iteration + 1
            if change < EM_TOLERANCE:
                break
        model.estimated_from = int(levels.shape[0])
        model.apart_pairs = int(apart.shape[0]) if fixed_u and apart is not None else 0
        return model

    def explain(self, levels: Sequence[int], facts: Mapping[str, Any], probability: float) -> dict[str, Any]:
        """Per criterion its level and match weight (log2 m/u), the probability: what a person reads."""
        criteria = {}
        for column, name in enumerate(NAMES):
            level = levels[column]
            if level >= 0:
                criteria[name] = {
                    "niveau": CRITERIA[name][level],
                    "poids": round(float(math.log2(self.m[name][level] / self.u[name][level])), 2),
                }
        return {"probabilite": round(float(probability), 4), "criteres": criteria, **facts}


def vetoed(levels: Sequence[int]) -> bool:
    """Names that agree only where the kinds of place differ: two places, whatever else they share."""
    return levels[0] == CRITERIA["nom"].index("autre_type")


def automatic_threshold(probabilities: np.ndarray, precision: float, floor: float) -> float:
    """The lowest probability from which the pairs' expected precision (their mean probability) holds
    `precision`, never below `floor`."""
    ranked = np.sort(probabilities)[::-1]
    if not len(ranked):
        return floor
    expected = np.cumsum(ranked) / np.arange(1, len(ranked) + 1)
    holding = np.nonzero(expected >= precision)[0]
    threshold = float(ranked[holding[-1]]) if len(holding) else 1.0
    return max(threshold, floor)


def apart_threshold(
    best: np.ndarray, apart: np.ndarray, pairs: int, prior: float, precision: float, floor: float
) -> float | None:
    """The lowest probability from which automatic decisions hold `precision`, the false ones counted from
    pairs known apart: the share of them from that probability up (one more, to stay on the safe side), times
    the pairs estimated not to match. None without enough pairs known apart."""
    if len(apart) < MIN_PAIRS_TO_ESTIMATE or not len(best):
        return None
    apart_sorted = np.sort(apart)
    non_matches = (1 - prior) * pairs
    for threshold in np.sort(np.unique(best[best >= floor])):
        decided = int((best >= threshold).sum())
        false_share = (len(apart_sorted) - np.searchsorted(apart_sorted, threshold) + 1) / (
            len(apart_sorted) + 2
        )
        if 1 - false_share * non_matches / decided >= precision:
            return float(threshold)
    return 1.0
