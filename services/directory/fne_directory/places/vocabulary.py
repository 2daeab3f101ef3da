"""Allowed values of the national standard for digital-mediation places (LaMednum, v1.0.2).

Multi-valued fields are lists here and `|`-joined strings in the standard's CSV. One documented defect of the
standard's own schema: its `formations_labels` pattern lacks the space in "Étapes numériques (La Poste)";
the official label, with the space, is the one accepted and published.
"""

from typing import Literal

ITINERANCE = ("Itinérant", "Fixe")
SERVICES = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)
PUBLICS = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
PRISE_EN_CHARGE = (
    "Surdité",
    "Handicaps moteurs",
    "Handicaps mentaux",
    "Illettrisme",
    "Langues étrangères (anglais)",
    "Langues étrangères (autres)",
    "Déficience visuelle",
)
FRAIS = ("Gratuit", "Gratuit sous condition", "Payant")
PROGRAMMES = (
    "Aidants Connect",
    "Bibliothèques numérique de référence",
    "Certification PIX",
    "Conseillers numériques",
    "Emmaüs Connect",
    "France Services",
    "Grande école du numérique",
    "La Croix Rouge",
    "Point d'accès numérique CAF",
    "Promeneurs du net",
    "Relais numérique (Emmaüs Connect)",
)
FORMATIONS_LABELS = (
    "Formé à « Mon Espace Santé »",
    "Formé à « DUPLEX » (illettrisme)",
    "Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
    "Collectif ressources et acteurs réemploi (Normandie)",
    "Étapes numériques (La Poste)",
    "Fabriques de Territoire",
    "Les Éclaireurs du numérique (Drôme)",
    "Mes Papiers (Métropole de Lyon)",
    "ORDI 3.0",
    "SUD LABS (PACA)",
)
MODALITES_ACCES = (
    "Se présenter",
    "Téléphoner",
    "Contacter par mail",
    "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public",
    "Envoyer un mail avec une fiche de prescription",
)
MODALITES_ACCOMPAGNEMENT = (
    "En autonomie",
    "Accompagnement individuel",
    "Dans un atelier collectif",
    "À distance",
)
# Structure types: the data·inclusion vocabulary the standard refers to.
TYPOLOGIES = (
    "ACI",
    "ACIPHC",
    "AFPA",
    "AI",
    "ASE",
    "ASSO",
    "ASSO_CHOMEUR",
    "Autre",
    "AVIP",
    "BIB",
    "CAARUD",
    "CADA",
    "CAF",
    "CAP_EMPLOI",
    "CAVA",
    "CC",
    "CCAS",
    "CCONS",
    "CD",
    "CDAS",
    "CFP",
    "CHRS",
    "CHU",
    "CIAS",
    "CIDFF",
    "CITMET",
    "CMP",
    "CMS",
    "CPAM",
    "CPH",
    "CS",
    "CSAPA",
    "CSC",
    "DEETS",
    "DEPT",
    "DIPLP",
    "E2C",
    "EA",
    "EATT",
    "EI",
    "EITI",
    "ENM",
    "EPCI",
    "EPI",
    "EPIDE",
    "EPN",
    "ES",
    "ESS",
    "ETABL_PRI",
    "ETABL_PUB",
    "ETAT",
    "ETTI",
    "EVS",
    "FABLAB",
    "FAIS",
    "FT",
    "GEIQ",
    "HUDA",
    "LA_POSTE",
    "MDA",
    "MDE",
    "MDEF",
    "MDPH",
    "MDS",
    "MJC",
    "ML",
    "MQ",
    "MSA",
    "MSAP",
    "MUNI",
    "OACAS",
    "ODC",
    "OF",
    "OIL",
    "OPCS",
    "PAD",
    "PENSION",
    "PI",
    "PIJ_BIJ",
    "PIMMS",
    "PJJ",
    "PLIE",
    "PREF",
    "PREVENTION",
    "REG",
    "RESSOURCERIE",
    "RFS",
    "RS_FJT",
    "SCP",
    "SPIP",
    "TIERS_LIEUX",
    "UDAF",
)

Itinerance = Literal[ITINERANCE]  # type: ignore[valid-type]
Service = Literal[SERVICES]  # type: ignore[valid-type]
Public = Literal[PUBLICS]  # type: ignore[valid-type]
PriseEnCharge = Literal[PRISE_EN_CHARGE]  # type: ignore[valid-type]
Frais = Literal[FRAIS]  # type: ignore[valid-type]
Programme = Literal[PROGRAMMES]  # type: ignore[valid-type]
FormationLabel = Literal[FORMATIONS_LABELS]  # type: ignore[valid-type]
ModaliteAcces = Literal[MODALITES_ACCES]  # type: ignore[valid-type]
ModaliteAccompagnement = Literal[MODALITES_ACCOMPAGNEMENT]  # type: ignore[valid-type]
Typologie = Literal[TYPOLOGIES]  # type: ignore[valid-type]

# The multi-valued, enumerated fields: stored as lists, indexed as tags for filters and facets.
TAG_FIELDS: dict[str, tuple[str, ...]] = {
    "typologie": TYPOLOGIES,
    "itinerance": ITINERANCE,
    "services": SERVICES,
    "publics_specifiquement_adresses": PUBLICS,
    "prise_en_charge_specifique": PRISE_EN_CHARGE,
    "frais_a_charge": FRAIS,
    "dispositif_programmes_nationaux": PROGRAMMES,
    "formations_labels": FORMATIONS_LABELS,
    "modalites_acces": MODALITES_ACCES,
    "modalites_accompagnement": MODALITES_ACCOMPAGNEMENT,
}
