"""data·inclusion and DORA vocabularies (schema v0 and v1) read into the national standard's values.

The inverse of fne_directory.exports.data_inclusion, widened to the v0 values DORA still publishes. A source
value with no standard counterpart is left out rather than approximated.
"""

from typing import Any

from fne_directory.exports import data_inclusion as published
from fne_directory.places.vocabulary import TYPOLOGIES
from fne_directory.sync.connectors.base import number, text, unique

ADMIN, EVERYDAY, JOBS = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
)
ACCESS, EQUIPMENT = (
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)
# Thématiques (v1's four `numerique--*` and v0's finer ones) → standard `services`.
SERVICES_BY_THEMATIQUE = {
    **{thematique: label for label, thematique in published.THEMATIQUES.items()},
    published.FUNDAMENTALS: EVERYDAY,
    "numerique--realiser-des-demarches-administratives-avec-un-accompagnement": ADMIN,
    "numerique--devenir-autonome-dans-les-demarches-administratives": ADMIN,
    "numerique--accompagner-les-demarches-de-sante": ADMIN,
    "numerique--prendre-en-main-un-ordinateur": EVERYDAY,
    "numerique--prendre-en-main-un-smartphone-ou-une-tablette": EVERYDAY,
    "numerique--utiliser-le-numerique-au-quotidien": EVERYDAY,
    "numerique--favoriser-mon-insertion-professionnelle": JOBS,
    "numerique--creer-et-developper-mon-entreprise": JOBS,
    "numerique--soutenir-la-parentalite-et-l-education-avec-le-numerique": "Parentalité et éducation avec "
    "le numérique",
    "numerique--creer-avec-le-numerique": "Loisirs et créations numériques",
    "numerique--approfondir-ma-culture-numerique": "Compréhension du monde numérique",
    "numerique--promouvoir-la-citoyennete-numerique": "Compréhension du monde numérique",
    "numerique--acceder-a-du-materiel": ACCESS,
    "numerique--s-equiper-en-materiel-informatique": EQUIPMENT,
}
PUBLICS = {value: label for label, value in published.PUBLICS.items()}
# v1 réseaux porteurs and v0 labels nationaux → standard programmes; one network is a standard label.
PROGRAMMES = {
    **{
        network: label
        for label, network in published.RESEAUX_PORTEURS.items()
        if label not in ("Relais numérique (Emmaüs Connect)", "Fabriques de Territoire")
    },
    "conseiller-numerique": "Conseillers numériques",
}
LABELS = {"fabrique-de-territoire": "Fabriques de Territoire"}
MODES_ACCES = {
    "se-presenter": "Se présenter",
    "telephoner": "Téléphoner",
    "envoyer-un-courriel": "Contacter par mail",
    "utiliser-lien-mobilisation": "Prendre un RDV en ligne",
}
FRAIS = {
    "gratuit": "Gratuit",
    "gratuit-sous-conditions": "Gratuit sous condition",
    "payant": "Payant",
    "adhesion": "Payant",
}
ACCOMPAGNEMENT_BY_TYPE = {
    "atelier": "Dans un atelier collectif",
    "accompagnement": "Accompagnement individuel",
    "formation": "Dans un atelier collectif",
}
REMOTE = "À distance"


def is_digital(thematiques: Any) -> bool:
    return any(isinstance(value, str) and value.startswith("numerique") for value in thematiques or [])


def _values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value or [] if isinstance(item, str)]


def service_fields(services: list[dict[str, Any]]) -> dict[str, list[str]]:
    """What a structure's digital services say about the place, in the standard's multi-valued fields."""
    digital = [service for service in services if is_digital(service.get("thematiques"))]
    offered, publics, frais, access, accompaniment = [], [], [], [], []
    for service in digital:
        offered += [
            SERVICES_BY_THEMATIQUE[value]
            for value in _values(service.get("thematiques"))
            if value in SERVICES_BY_THEMATIQUE
        ]
        publics += [PUBLICS[value] for value in _values(service.get("publics")) if value in PUBLICS]
        frais += [FRAIS[value] for value in _values(service.get("frais")) if value in FRAIS]
        access += [
            MODES_ACCES[value] for value in _values(service.get("modes_mobilisation")) if value in MODES_ACCES
        ]
        kinds = _values(service.get("type")) + _values(service.get("types"))
        accompaniment += [ACCOMPAGNEMENT_BY_TYPE[kind] for kind in kinds if kind in ACCOMPAGNEMENT_BY_TYPE]
        if "a-distance" in _values(service.get("modes_accueil")):
            accompaniment.append(REMOTE)
    return {
        "services": unique(offered),
        "publics_specifiquement_adresses": unique(publics),
        "frais_a_charge": unique(frais),
        "modalites_acces": unique(access),
        "modalites_accompagnement": unique(accompaniment),
    }


def appointment_link(services: list[dict[str, Any]]) -> str | None:
    for service in services:
        if not is_digital(service.get("thematiques")):
            continue
        link = service.get("lien_mobilisation") or service.get("prise_rdv")
        if isinstance(link, str) and link.strip():
            return link.strip()
    return None


def programmes(values: Any) -> tuple[list[str], list[str]]:
    """(dispositif_programmes_nationaux, formations_labels) from réseaux porteurs / labels nationaux."""
    names = _values(values)
    return unique([PROGRAMMES[name] for name in names if name in PROGRAMMES]), unique(
        [LABELS[name] for name in names if name in LABELS]
    )


def typologie(value: Any) -> list[str]:
    return [item for item in _values(value) if item in TYPOLOGIES]


def located_contact(raw: dict[str, Any]) -> dict[str, Any]:
    """Name, address, position and contact: the same fields in data·inclusion v0 and v1."""
    return {
        "nom": text(raw.get("nom")),
        "adresse": text(raw.get("adresse")),
        "complement_adresse": text(raw.get("complement_adresse")),
        "code_postal": text(raw.get("code_postal")),
        "code_insee": text(raw.get("code_insee")),
        "commune": text(raw.get("commune")),
        "latitude": number(raw.get("latitude")),
        "longitude": number(raw.get("longitude")),
        "telephone": text(raw.get("telephone")),
        "courriels": [value] if (value := text(raw.get("courriel"))) else [],
        "site_web": [value] if (value := text(raw.get("site_web"))) else [],
    }
