"""A held-out, realistic scenario for merging: real places of a département and how the sources list them.

Written apart from the engine and never tuned against a single record: a fixed seed draws real places (town
halls with the municipal services that share their address, phone and SIRET; France Services; libraries;
associations; chains with one name in neighbouring communes) on real communes, then each source's records of
them as producers write them: data·inclusion's dora, mediation-numerique and soliguide origins (with
data·inclusion's own `doublons` hints, incomplete and sometimes wrong) and Mednum73's YesWiki entries — names
reworded, in capitals or abbreviated; phones and e-mails differing or missing; addresses abbreviated or
without a number; positions 0.3 to 2 km off or missing; places that moved; latitude and longitude swapped;
"St-…" commune names without a code where a postal code is shared; a few places of the neighbouring
département.

`truth` maps every record (source, source_id) to its real place (None: must not be published, out of the
served département). The records are shaped for the fakes of tests/sync/fakes.py.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

DIGITAL = ["numerique--acceder-a-des-services-en-ligne", "numerique--maitriser-les-fondamentaux-du-numerique"]
STREETS = [
    ("rue", "de la République"),
    ("place", "de la Mairie"),
    ("avenue", "du Général de Gaulle"),
    ("rue", "des Écoles"),
    ("chemin", "des Vignes"),
    ("place", "de l'Église"),
    ("rue", "Victor Hugo"),
    ("boulevard", "de la Gare"),
    ("rue", "Pasteur"),
    ("avenue", "de Savoie"),
    ("quai", "des Allobroges"),
    ("rue", "Jean Jaurès"),
    ("route", "de Saint-Jean"),
    ("allée", "des Tilleuls"),
    ("impasse", "du Stade"),
    ("rue", "du Commandant Perceval"),
    ("place", "Saint-Léger"),
    ("avenue", "de la Boisse"),
]
SHORT = {
    "rue": ["r.", "R", "rue"],
    "avenue": ["av.", "av", "Ave"],
    "boulevard": ["bd", "Bd", "bld"],
    "place": ["pl.", "pl", "Pl."],
    "chemin": ["ch.", "chem."],
    "route": ["rte", "Rte"],
    "allée": ["all."],
    "impasse": ["imp."],
    "quai": ["qu.", "quai"],
}
UNIQUE_NAMES = [
    "La Fabrique",
    "Le Cyberespace",
    "Connect'Savoie",
    "Les Petits Débrouillards",
    "L'Atelier",
    "Le Lien",
    "La Passerelle",
    "Les Clés du Numérique",
    "Le Carrefour",
    "Pixel & Co",
    "La Ruche",
    "Entraide Numérique",
    "Le Déclic",
    "Le Relais",
    "La Boussole",
    "Numéri'Cœur",
    "Le Fil",
    "Cap Savoie",
    "La Source",
    "Trait d'Union",
]
CHAINS = [
    "Emmaüs Connect",
    "Secours populaire",
    "Croix-Rouge française",
    "Espace Info Jeunes",
    "Point CAF",
    "Mission locale jeunes",
    "Restos du Cœur",
]
ACRONYMS = {
    "Espace public numérique": "EPN",
    "Centre communal d'action sociale": "CCAS",
    "Mission locale jeunes": "MLJ",
    "Maison des jeunes et de la culture": "MJC",
}
ORIGIN_SHARES = {"dora": 0.55, "mediation-numerique": 0.62, "soliguide": 0.2}
MEDNUM73_SHARE = 0.62


@dataclass
class RealPlace:
    id: int
    kind: str
    name: str
    commune: dict[str, Any]
    number: int | None
    street: tuple[str, str]
    latitude: float
    longitude: float
    phone: str | None
    email: str | None
    siret: str | None
    variants: list[str]
    moved_to: tuple[int, tuple[str, str], float, float] | None = None


@dataclass
class Scenario:
    structures: list[dict[str, Any]] = field(default_factory=list)  # data·inclusion v1
    services: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)  # YesWiki Bazar
    truth: dict[tuple[str, str], int | None] = field(default_factory=dict)
    places: list[RealPlace] = field(default_factory=list)
    swapped: set[tuple[str, str]] = field(default_factory=set)  # records with latitude and longitude swapped
    named_commune_only: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # record → INSEE code expected


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def siret(rng: random.Random, prefix: str = "") -> str:
    """A SIRET with a valid Luhn key (starting with `prefix`: 2173… for a commune of Savoie)."""
    digits = [int(c) for c in prefix] + [rng.randint(0, 9) for _ in range(13 - len(prefix))]
    for check in range(10):
        candidate = [*digits, check]
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d for i, d in enumerate(reversed(candidate))
        )
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError


def phone(rng: random.Random) -> str:
    return "04 79 " + " ".join(f"{rng.randint(10, 99)}" for _ in range(3))


def slug(text: str) -> str:
    return "".join(c for c in plain(text).lower() if c.isalnum())[:20]


def shift(
    rng: random.Random, latitude: float, longitude: float, low_m: float, high_m: float
) -> tuple[float, float]:
    import math

    distance, bearing = rng.uniform(low_m, high_m), rng.uniform(0, 2 * math.pi)
    return (
        latitude + distance * math.cos(bearing) / 111_000,
        longitude + distance * math.sin(bearing) / (111_000 * math.cos(math.radians(latitude))),
    )


def _real_places(rng: random.Random, communes: list[dict[str, Any]], count: int) -> list[RealPlace]:
    places: list[RealPlace] = []

    def add(
        kind: str,
        name: str,
        commune: dict[str, Any],
        variants: list[str],
        *,
        number: int | None = None,
        street: tuple[str, str] | None = None,
        position: tuple[float, float] | None = None,
        phone_: str | None = None,
        email: str | None = None,
        siret_: str | None = None,
    ) -> RealPlace:
        latitude, longitude = position or shift(rng, commune["latitude"], commune["longitude"], 50, 1500)
        place = RealPlace(
            len(places),
            kind,
            name,
            commune,
            number if number is not None else rng.randint(1, 90),
            street or rng.choice(STREETS),
            round(latitude, 6),
            round(longitude, 6),
            phone_ if phone_ is not None else (phone(rng) if rng.random() < 0.92 else None),
            email if email is not None else (f"contact@{slug(name)}.fr" if rng.random() < 0.75 else None),
            siret_ if siret_ is not None else (siret(rng) if rng.random() < 0.6 else None),
            variants,
        )
        if rng.random() < 0.04:  # moved: one source still lists the old address and position
            old = shift(rng, place.latitude, place.longitude, 500, 2500)
            place.moved_to = (rng.randint(1, 90), rng.choice(STREETS), round(old[0], 6), round(old[1], 6))
        places.append(place)
        return place

    towns = sorted(communes, key=lambda commune: -(commune.get("population") or 0))
    big = towns[:12]
    for commune in rng.sample(towns[:80], 45):
        if len(places) >= count:
            break
        town = commune["nom"]
        hall_phone, hall_siret = phone(rng), siret(rng, "2173")
        hall = add(
            "mairie",
            f"Mairie de {town}",
            commune,
            [f"Hôtel de ville de {town}", f"Mairie {town}", f"Commune de {town}"],
            number=1,
            street=("place", "de l'Hôtel de Ville"),
            phone_=hall_phone,
            email=f"mairie@{slug(town)}.fr",
            siret_=hall_siret,
        )
        # Municipal services: the town hall's address (often), phone and SIRET.
        for kind, name, variants in (
            ("ccas", f"CCAS de {town}", [f"Centre communal d'action sociale de {town}", f"C.C.A.S. {town}"]),
            (
                "mediatheque",
                f"Médiathèque municipale de {town}",
                [f"Médiathèque de {town}", f"Bibliothèque municipale de {town}", f"Médiath. {town}"],
            ),
            (
                "france-services",
                f"France Services {town}",
                [f"Espace France Services de {town}", f"Maison France Services - {town}", f"MFS {town}"],
            ),
            ("epn", f"Espace public numérique de {town}", [f"EPN de {town}", f"EPN {town}"]),
        ):
            if rng.random() < (0.45 if kind != "france-services" else 0.35):
                same_building = rng.random() < 0.5
                add(
                    kind,
                    name,
                    commune,
                    variants,
                    number=hall.number if same_building else None,
                    street=hall.street if same_building else None,
                    position=shift(rng, hall.latitude, hall.longitude, 0, 40) if same_building else None,
                    phone_=hall_phone if rng.random() < 0.5 else None,
                    email=None,
                    siret_=hall_siret if rng.random() < 0.7 else "",
                )
    # Chains: one name in neighbouring communes (different places).
    for chain in CHAINS:
        chain_siret = siret(rng)
        for commune in rng.sample(big, 4):
            acronym = ACRONYMS.get(chain)
            add(
                "chaine",
                chain,
                commune,
                [f"{chain} {commune['nom']}", f"{chain} - antenne de {commune['nom']}"]
                + ([acronym] if acronym else []),
                siret_=chain_siret if rng.random() < 0.6 else "",
                email=f"{slug(commune['nom'])}@{slug(chain)}.org" if rng.random() < 0.5 else "",
            )
    while len(places) < count:
        commune = rng.choice(towns[:150])
        kind = rng.choice(["association", "centre-social", "tiers-lieu", "mediatheque"])
        label = rng.choice(UNIQUE_NAMES)
        if kind == "association":
            name = f"Association {label}"
            variants = [label, f"Asso {label}", f"{label} ({commune['nom']})"]
        elif kind == "centre-social":
            name = f"Centre social {label}"
            variants = [
                f"CS {label}",
                f"Centre socio-culturel {label}",
                f"Centre social {label} {commune['nom']}",
            ]
        elif kind == "tiers-lieu":
            name = f"Tiers-lieu {label}"
            variants = [label, f"Tiers lieu {label} - {commune['nom']}"]
        else:
            name = f"Médiathèque {label}"
            variants = [f"Médiathèque {label} de {commune['nom']}", f"Bibliothèque {label}"]
        add(kind, name, commune, variants)
    return places


def _name(rng: random.Random, place: RealPlace) -> str:
    name = place.name if rng.random() < 0.45 else rng.choice(place.variants)
    if rng.random() < 0.12:
        name = name.upper()
    elif rng.random() < 0.15:
        name = plain(name)
    if rng.random() < 0.3:
        name = name.replace("Saint-", "St-").replace("Sainte-", "Ste-")
    return name


def _address(rng: random.Random, place: RealPlace, record_of_old: bool) -> tuple[str, float, float]:
    number, (kind, rest), latitude, longitude = place.number, place.street, place.latitude, place.longitude
    if record_of_old and place.moved_to:
        number, (kind, rest), latitude, longitude = place.moved_to
    draw = rng.random()
    if draw < 0.25 and kind in SHORT:
        kind = rng.choice(SHORT[kind])
    if rng.random() < 0.2:
        rest = rest.replace("Saint-", "St-").replace("Général", "Gal").replace("Commandant", "Cdt")
    address = f"{kind} {rest}" if rng.random() < 0.15 else f"{number} {kind} {rest}"
    if rng.random() < 0.1:
        address = address.upper()
    elif rng.random() < 0.1:
        address = plain(address)
    return address, latitude, longitude


def _position(rng: random.Random, latitude: float, longitude: float) -> tuple[float | None, float | None]:
    draw = rng.random()
    if draw < 0.18:
        return None, None
    if draw < 0.45:
        latitude, longitude = shift(
            rng, latitude, longitude, 300, 2000
        )  # geocoded at the commune, the street…
    else:
        latitude, longitude = shift(rng, latitude, longitude, 0, 60)
    return round(latitude, 5), round(longitude, 5)


def _contact(rng: random.Random, value: str | None, other: str, keep: float, missing: float) -> str | None:
    draw = rng.random()
    if value is None or draw < missing:
        return None
    return value if draw < missing + keep else other


def _phone_format(rng: random.Random, value: str | None) -> str | None:
    if value is None:
        return None
    digits = value.replace(" ", "")
    return rng.choice([value, digits, "+33 " + value[1:], value.replace(" ", ".")])


def _commune_name(rng: random.Random, commune: dict[str, Any]) -> str:
    name = commune["nom"]
    if rng.random() < 0.5:
        name = name.replace("Saint-", "St-").replace("Sainte-", "Ste-")
    for article in ("Le ", "La ", "Les ", "L'"):
        if name.startswith(article) and rng.random() < 0.5:
            name = name[len(article) :]
    return name.upper() if rng.random() < 0.1 else name


def generate(
    communes: list[dict[str, Any]],
    neighbours: list[dict[str, Any]],
    *,
    seed: int = 73,
    places: int = 320,
    copies: int = 1,
) -> Scenario:
    """`communes`: the served département's (code, nom, codes_postaux, latitude, longitude, population);
    `neighbours`: another département's, for the few places listed across the border. `copies` repeats the
    scenario on other communes' names and ids (a larger directory), each copy its own real places."""
    scenario = Scenario()
    for copy in range(copies):
        rng = random.Random(seed * 1000 + copy)
        first = len(scenario.places)
        real = _real_places(rng, communes, places)
        for place in real:
            place.id += first
        scenario.places += real
        _records(rng, scenario, real, communes, neighbours, f"c{copy}-")
    return scenario


def _records(
    rng: random.Random,
    scenario: Scenario,
    real: list[RealPlace],
    communes: list[dict[str, Any]],
    neighbours: list[dict[str, Any]],
    prefix: str,
) -> None:
    shared_postal_codes = {
        code
        for commune in communes
        for code in commune["codes_postaux"]
        if sum(code in other["codes_postaux"] for other in communes) > 1
    }
    for place in real:
        di_records: list[dict[str, Any]] = []
        copies = [(origin, 1) for origin, share in ORIGIN_SHARES.items() if rng.random() < share]
        if rng.random() < 0.03 and copies:
            copies.append((copies[0][0], 2))  # listed twice by one producer
        for origin, number in copies:
            source_id = f"{prefix}{origin}-{place.id}-{number}"
            address, latitude, longitude = _address(rng, place, record_of_old=rng.random() < 0.5)
            lat, lon = _position(rng, latitude, longitude)
            if lat is not None and rng.random() < 0.015:
                lat, lon = lon, lat
                scenario.swapped.add(("data-inclusion", source_id))
            commune = place.commune
            with_code = rng.random() < 0.85
            code_postal = commune["codes_postaux"][0]
            structure = {
                "source": origin,
                "id": source_id,
                "nom": _name(rng, place),
                "date_maj": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
                "siret": place.siret if place.siret and rng.random() < 0.75 else None,
                "adresse": address,
                "complement_adresse": None,
                "code_postal": code_postal,
                "code_insee": commune["code"] if with_code else None,
                "commune": commune["nom"] if with_code else _commune_name(rng, commune),
                "latitude": lat,
                "longitude": lon,
                "telephone": _phone_format(rng, _contact(rng, place.phone, phone(rng), 0.6, 0.25)),
                "courriel": _contact(
                    rng, place.email, f"accueil{rng.randint(1, 99)}@{slug(place.name)}.fr", 0.55, 0.35
                )
                or None,
                "site_web": None,
                "description": "Accompagnement aux usages du numérique.",
                "horaires_accueil": None,
                "accessibilite_lieu": None,
                "lien_source": None,
                "reseaux_porteurs": None,
                "score_qualite": round(rng.random(), 2),
                "doublons": [],
            }
            if not with_code:
                if code_postal in shared_postal_codes:
                    scenario.named_commune_only[("data-inclusion", source_id)] = commune["code"]
                structure["code_insee"] = None
            di_records.append(structure)
            scenario.truth[("data-inclusion", source_id)] = place.id
            if origin != "mediation-numerique":
                scenario.services.append(
                    {
                        "source": origin,
                        "id": f"{source_id}-s",
                        "structure_id": source_id,
                        "nom": "Accompagnement numérique",
                        "description": "Aide aux démarches en ligne.",
                        "date_maj": "2026-09-01",
                        "type": "accompagnement",
                        "thematiques": DIGITAL,
                        "frais": "gratuit",
                        "publics": ["tous-publics"],
                        "modes_accueil": ["en-presentiel"],
                        "modes_mobilisation": ["se-presenter"],
                        "mobilisable_par": ["usagers"],
                    }
                )
        # data·inclusion's own duplicate detection: finds most pairs across producers, and errs sometimes.
        for a in di_records:
            for b in di_records:
                if a is not b and a["source"] != b["source"] and rng.random() < 0.6:
                    a["doublons"].append({"source": b["source"], "id": b["id"]})
        scenario.structures += di_records
        for number in (1, 2) if rng.random() < 0.03 else (1,):
            if rng.random() >= MEDNUM73_SHARE and number == 1:
                break
            entry_id = f"{prefix}Mednum{place.id}x{number}"
            address, latitude, longitude = _address(rng, place, record_of_old=rng.random() < 0.5)
            lat, lon = _position(rng, latitude, longitude)
            if lat is not None and rng.random() < 0.015:
                lat, lon = lon, lat
                scenario.swapped.add(("mednum73", entry_id))
            commune = place.commune
            code_postal = commune["codes_postaux"][0]
            city = _commune_name(rng, commune)
            if code_postal in shared_postal_codes:
                scenario.named_commune_only[("mednum73", entry_id)] = commune["code"]
            email = _contact(rng, place.email, f"{slug(place.name)}@orange.fr", 0.5, 0.4)
            scenario.entries.append(
                _entry(
                    entry_id,
                    _name(rng, place),
                    address,
                    code_postal,
                    city,
                    lat,
                    lon,
                    _phone_format(rng, _contact(rng, place.phone, phone(rng), 0.6, 0.2)),
                    email,
                    place.siret if place.siret and rng.random() < 0.3 else None,
                )
            )
            scenario.truth[("mednum73", entry_id)] = place.id
    # data·inclusion's false hints: a town's services taken for its town hall.
    by_commune: dict[str, list[dict[str, Any]]] = {}
    for structure in scenario.structures:
        by_commune.setdefault(structure["code_insee"] or "", []).append(structure)
    for group in by_commune.values():
        for a in group:
            if rng.random() < 0.02:
                b = rng.choice(group)
                if (
                    b is not a
                    and b["source"] != a["source"]
                    and scenario.truth[("data-inclusion", a["id"])]
                    != scenario.truth[("data-inclusion", b["id"])]
                ):
                    a["doublons"].append({"source": b["source"], "id": b["id"]})
    # Places across the border, listed by the network: never published by a directory serving the département.
    for index, commune in enumerate(rng.sample(neighbours, min(6, len(neighbours)))):
        entry_id = f"{prefix}Voisin{index}"
        latitude, longitude = shift(rng, commune["latitude"], commune["longitude"], 50, 800)
        scenario.entries.append(
            _entry(
                entry_id,
                f"Espace numérique {commune['nom']}",
                f"{index + 3} rue du Lac",
                commune["codes_postaux"][0],
                commune["nom"],
                round(latitude, 5),
                round(longitude, 5),
                phone(rng),
                None,
                None,
            )
        )
        scenario.truth[("mednum73", entry_id)] = None


def _entry(
    id_fiche: str,
    name: str,
    address: str,
    code_postal: str,
    city: str,
    latitude: float | None,
    longitude: float | None,
    telephone: str | None,
    email: str | None,
    siret_: str | None,
) -> dict[str, Any]:
    """A Bazar entry as the YesWiki API serves it (every value a string, "" when empty)."""
    lat, lon = ("" if latitude is None else str(latitude)), ("" if longitude is None else str(longitude))
    return {
        "id_fiche": id_fiche,
        "id_typeannonce": "5",
        "statut_fiche": "1",
        "date_creation_fiche": "2025-03-01 10:00:00",
        "date_maj_fiche": "2026-06-12 09:30:00",
        "bf_titre": name,
        "bf_adresse": address,
        "bf_code_postal": code_postal,
        "bf_ville": city,
        "bf_latitude": lat,
        "bf_longitude": lon,
        "bf_telephone": telephone or "",
        "bf_mail": email or "",
        "bf_site_internet": "",
        "bf_siret": siret_ or "",
        "checkboxListeServices": "1,2",
        "bf_description": "Lieu du réseau Mednum73.",
        "geolocation": {"bf_latitude": lat, "bf_longitude": lon},
    }


# --- Measuring a directory against the truth ----------------------------------------------------------------


def _pairs(groups: dict[Any, list[tuple[str, str]]]) -> set[frozenset[tuple[str, str]]]:
    return {
        frozenset((a, b))
        for members in groups.values()
        for i, a in enumerate(members)
        for b in members[i + 1 :]
    }


def _kind(pair: frozenset[tuple[str, str]]) -> str:
    sources = {source for source, _ in pair}
    return (
        "across" if len(sources) == 2 else ("within_di" if sources == {"data-inclusion"} else "within_other")
    )


def evaluate(
    truth: dict[tuple[str, str], int | None],
    placed: dict[tuple[str, str], str | None],
    pending: list[tuple[tuple[str, str], str]],
) -> dict[str, Any]:
    """Pairwise precision and recall of the directory's places against the real ones, across sources, inside
    data·inclusion and overall; then as if a coordinator accepted every pending review (record → place).
    `placed`: each record's place (None: not published)."""
    real: dict[int, list[tuple[str, str]]] = {}
    for key, place in truth.items():
        if place is not None:
            real.setdefault(place, []).append(key)
    true_pairs = _pairs(real)

    def measure(assignment: dict[tuple[str, str], str | None]) -> dict[str, Any]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, place in assignment.items():
            if place is not None and key in truth:
                groups.setdefault(place, []).append(key)
        found = _pairs(groups)
        figures: dict[str, Any] = {}
        for kind in ("across", "within_di", "all"):
            wanted = {pair for pair in true_pairs if kind == "all" or _kind(pair) == kind}
            got = {pair for pair in found if kind == "all" or _kind(pair) == kind}
            hits = len(wanted & got)
            figures[kind] = {
                "precision": round(hits / len(got), 4) if got else None,
                "recall": round(hits / len(wanted), 4) if wanted else None,
                "true_pairs": len(wanted),
                "found_pairs": len(got),
            }
        figures["places"] = len(groups)
        return figures

    automatic = measure(placed)
    # Accepting a review moves the record to the proposed place: union of the two groups.
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for key, place in pending:
        if placed.get(key):
            parent[find(placed[key])] = find(place)
    reviewed = measure({key: (find(place) if place else None) for key, place in placed.items()})
    published_wrongly = sum(
        1 for key, place in placed.items() if place is not None and truth.get(key, 0) is None
    )
    return {
        "automatic": automatic,
        "after_review": reviewed,
        "review_queue": len(pending),
        "records": sum(1 for key in placed if key in truth),
        "real_places": len(real),
        "published_out_of_scope": published_wrongly,
    }
