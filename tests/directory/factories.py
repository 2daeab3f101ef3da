"""Valid place payloads (as a coordinator or a partner would send them), to override per test."""

from datetime import date, timedelta
from typing import Any

CHAMBERY_MEDIATHEQUE: dict[str, Any] = {
    "pivot": "21730065600006",
    "nom": "Médiathèque Jean-Jacques Rousseau",
    "adresse": "Carré Curial",
    "code_postal": "73000",
    "code_insee": "73065",
    "latitude": 45.5667,
    "longitude": 5.9236,
    "typologie": ["BIB", "MUNI"],
    "telephone": "04 79 60 04 04",
    "courriels": ["mediatheques@chambery.fr"],
    "site_web": ["https://www.bm-chambery.fr/"],
    "horaires": "Tu-Sa 10:00-18:00; PH off",
    "presentation_resume": "Ateliers numériques et accès libre à Internet.",
    "services": ["Maîtrise des outils numériques du quotidien", "Accès internet et matériel informatique"],
    "publics_specifiquement_adresses": ["Seniors"],
    "frais_a_charge": ["Gratuit"],
    "dispositif_programmes_nationaux": ["Conseillers numériques"],
    "modalites_acces": ["Se présenter"],
    "modalites_accompagnement": ["Dans un atelier collectif", "En autonomie"],
    "date_maj": (date.today() - timedelta(days=30)).isoformat(),
}


def place_payload(**overrides: Any) -> dict[str, Any]:
    return {**CHAMBERY_MEDIATHEQUE, **overrides}
