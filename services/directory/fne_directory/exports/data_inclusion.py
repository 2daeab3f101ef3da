"""The directory in the data·inclusion schema v1: one structure per place, one service per place and standard
service value (the national standard's `services`), with the four `numerique--*` thematiques.

Only values of the schema's enumerations are emitted; a standard value with no data·inclusion counterpart is
left out rather than approximated.
"""

import re
from typing import Any

from fne_directory.exports.standard import UNKNOWN_PIVOT
from fne_directory.places.models import Place, PlaceRow
from fne_directory.text import normalise_text

SOURCE = "fne-savoie"
NAME_MAX, DESCRIPTION_MIN, DESCRIPTION_MAX = 150, 5, 10_000

# Standard `dispositif_programmes_nationaux` (and the one label that is a network) → ReseauPorteur.
# Without a counterpart: Bibliothèques numérique de référence, Certification PIX, Promeneurs du net.
RESEAUX_PORTEURS = {
    "Aidants Connect": "aidants-connect",
    "Conseillers numériques": "conseillers-numeriques",
    "Emmaüs Connect": "emmaus",
    "Relais numérique (Emmaüs Connect)": "emmaus",
    "France Services": "france-service",
    "Grande école du numérique": "grandes-ecoles-du-numerique",
    "La Croix Rouge": "croix-rouge",
    "Point d'accès numérique CAF": "caf",
    "Fabriques de Territoire": "fabrique-de-territoire",
}
FUNDAMENTALS = "numerique--maitriser-les-fondamentaux-du-numerique"
THEMATIQUES = {
    "Aide aux démarches administratives": "numerique--acceder-a-des-services-en-ligne",
    "Accès internet et matériel informatique": "numerique--acceder-a-une-connexion-internet",
    "Acquisition de matériel informatique à prix solidaire": "numerique--acquerir-un-equipement",
}  # every other service of the standard: FUNDAMENTALS
PUBLICS = {
    "Jeunes": "jeunes",
    "Étudiants": "etudiants",
    "Familles et/ou enfants": "familles",
    "Seniors": "seniors",
    "Femmes": "femmes",
}
MODES_MOBILISATION = {
    "Se présenter": "se-presenter",
    "Téléphoner": "telephoner",
    "Contacter par mail": "envoyer-un-courriel",
    "Envoyer un mail avec une fiche de prescription": "envoyer-un-courriel",
    "Prendre un RDV en ligne": "utiliser-lien-mobilisation",
}
REMOTE, NO_PUBLIC, PRESCRIPTION = (
    "À distance",
    "Ce lieu n'accueille pas de public",
    "Envoyer un mail avec une fiche de prescription",
)
FREE, FREE_UNDER_CONDITION, PAYING = "Gratuit", "Gratuit sous condition", "Payant"
SIRET = re.compile(r"\d{14}")


def slug(text: str) -> str:
    return normalise_text(text).replace(" ", "-")


def _name(text: str, place: Place | PlaceRow) -> str:
    """3 to 150 characters, not ending with a full stop (the schema's rule for names)."""
    name = text.strip().rstrip(". ")
    if len(name) < 3:
        name = f"{name} ({place.commune})".strip()
    return name[:NAME_MAX].rstrip(". ")


def _description(*candidates: str | None) -> str | None:
    for text in candidates:
        if text and len(text.strip()) >= DESCRIPTION_MIN:
            return text.strip()[:DESCRIPTION_MAX]
    return None


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _tags(place: Place | PlaceRow, name: str) -> list[str]:
    return list(place.tags.get(name, []))


def _common(place: Place | PlaceRow) -> dict[str, Any]:
    """What structures and services share: provenance, contact, hours, address and position."""
    return {
        "source": SOURCE,
        "date_maj": place.date_maj.isoformat(),
        "telephone": place.telephone,
        "courriel": place.courriels[0] if place.courriels else None,
        "horaires_accueil": place.horaires,
        "adresse": place.adresse,
        "complement_adresse": place.complement_adresse,
        "commune": place.commune,
        "code_postal": place.code_postal,
        "code_insee": place.code_insee,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def structure(place: Place | PlaceRow) -> dict[str, Any]:
    networks = _unique(
        [
            RESEAUX_PORTEURS[value]
            for value in _tags(place, "dispositif_programmes_nationaux") + _tags(place, "formations_labels")
            if value in RESEAUX_PORTEURS
        ]
    )
    pivot = place.pivot or ""
    return {
        "id": place.id,
        "nom": _name(place.nom, place),
        "siret": pivot if SIRET.fullmatch(pivot) and pivot != UNKNOWN_PIVOT else None,
        "description": _description(place.presentation_detail, place.presentation_resume),
        "site_web": place.site_web[0] if place.site_web else None,
        "accessibilite_lieu": place.fiche_acces_libre,
        "reseaux_porteurs": networks or None,
        **_common(place),
    }


def _frais(place: Place | PlaceRow) -> tuple[str | None, str | None]:
    values = set(_tags(place, "frais_a_charge"))
    free = FREE in values or FREE_UNDER_CONDITION in values
    precisions = []
    if FREE_UNDER_CONDITION in values and FREE not in values:
        precisions.append("Gratuit sous condition.")
    if free and PAYING in values:
        precisions.append("Certaines prestations sont payantes.")
    frais = "gratuit" if free else "payant" if PAYING in values else None
    return frais, " ".join(precisions) or None


def _modes_accueil(place: Place | PlaceRow) -> list[str] | None:
    accompaniment = _tags(place, "modalites_accompagnement")
    on_site = [value for value in accompaniment if value != REMOTE]
    modes = []
    # A place is visited unless it only helps remotely or says it receives no public.
    if NO_PUBLIC not in _tags(place, "modalites_acces") and (on_site or not accompaniment):
        modes.append("en-presentiel")
    if REMOTE in accompaniment:
        modes.append("a-distance")
    return modes or None


def _mobilisation(place: Place | PlaceRow) -> tuple[list[str] | None, str | None, list[str]]:
    access = _tags(place, "modalites_acces")
    modes = []
    for value in access:
        mode = MODES_MOBILISATION.get(value)
        # An online appointment is a mobilisation link only when the place gives the link.
        if mode is None or (mode == "utiliser-lien-mobilisation" and not place.prise_rdv):
            continue
        modes.append(mode)
    link = place.prise_rdv if "utiliser-lien-mobilisation" in modes else None
    # A prescription form is sent by a professional on the person's behalf.
    by = ["usagers", "professionnels"] if PRESCRIPTION in access else ["usagers"]
    return _unique(modes) or None, link, by


def _type(place: Place | PlaceRow, service_label: str) -> str:
    if service_label == "Acquisition de matériel informatique à prix solidaire":
        return "aide-materielle"
    accompaniment = _tags(place, "modalites_accompagnement")
    if "Dans un atelier collectif" in accompaniment and "Accompagnement individuel" not in accompaniment:
        return "atelier"
    return "accompagnement"


def services(place: Place | PlaceRow) -> list[dict[str, Any]]:
    frais, frais_precisions = _frais(place)
    modes_mobilisation, lien_mobilisation, mobilisable_par = _mobilisation(place)
    publics = _unique(
        [PUBLICS[value] for value in _tags(place, "publics_specifiquement_adresses") if value in PUBLICS]
    ) or ["tous-publics"]
    shared = {
        "structure_id": place.id,
        "frais": frais,
        "frais_precisions": frais_precisions,
        "publics": publics,
        "modes_accueil": _modes_accueil(place),
        "modes_mobilisation": modes_mobilisation,
        "lien_mobilisation": lien_mobilisation,
        "mobilisable_par": mobilisable_par,
        **_common(place),
    }
    published = []
    for label in _tags(place, "services"):
        sentence = f"{label} : {place.nom} ({place.commune}) vous accompagne."
        published.append(
            {
                "id": f"{place.id}--{slug(label)}",
                "nom": _name(label, place),
                "description": _description(" ".join(filter(None, (sentence, place.presentation_resume)))),
                "type": _type(place, label),
                "thematiques": [THEMATIQUES.get(label, FUNDAMENTALS)],
                **shared,
            }
        )
    return published
