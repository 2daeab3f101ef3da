"""Every roadmap indicator the platform's data answer: its catalogue indicator, source and formula.

One entry per catalogue indicator computed here; `roadmap` lists the roadmap indicators (« 7.2 ») it
answers. The three indicators computed before (2.1, 7.1, 7.3) keep their catalogue entries (directory
computation); they are listed in ALREADY_COMPUTED so that the list of computed roadmap indicators is
whole. Nothing is mapped unless the data measure what the roadmap's wording asks: the others stay
hand-entered."""

from dataclasses import dataclass, field
from enum import StrEnum

from fne_observatory.indicators.models import Aggregation, Periodicity, Unit
from fne_observatory.territories.models import Level


class Source(StrEnum):
    ANNUAIRE = "annuaire"
    RESEAU = "reseau"
    COOP = "coop"
    OBSERVATOIRE = "observatoire"
    ENQUETES = "enquetes"


SOURCE_LABELS = {
    Source.ANNUAIRE: "Annuaire FNE Savoie : permanences et lieux (GET /permanences, GET /exports/lieux.json)",
    Source.RESEAU: "Service réseau FNE Savoie : personnes, formations, événements (GET /statistiques)",
    Source.COOP: "La Coop de la médiation numérique, API v1 (GET /activites, /structures, /statistiques)",
    Source.OBSERVATOIRE: "Observatoire FNE Savoie : comités et jeux de données publiés",
    Source.ENQUETES: "Questionnaires d'autonomie numérique FNE Savoie (agrégats diffusables)",
}
ALL_LEVELS = [Level.COMMUNE, Level.EPCI, Level.GROUPING, Level.DEPARTMENT, Level.REGION, Level.COUNTRY]
DEPARTEMENT_ONLY = [Level.DEPARTMENT]


@dataclass(frozen=True)
class Computed:
    code: str
    label: str
    source: Source
    formula: str
    roadmap: tuple[str, ...]
    objectives: tuple[int, ...]
    periodicity: Periodicity = Periodicity.YEARLY
    aggregation: Aggregation = Aggregation.SUM
    levels: list[Level] = field(default_factory=lambda: ALL_LEVELS)
    unit: Unit = Unit.COUNT
    scale: float = 1.0
    threshold: int | None = None
    theme: str = "Feuille de route"


# (roadmap indicator, catalogue indicator, source, formula) of the three computed before this package.
ALREADY_COMPUTED = (
    (
        "2.1",
        "lieux_france_services",
        Source.ANNUAIRE,
        "lieux actifs portant le programme « France Services »",
    ),
    ("7.1", "lieux_nombre", Source.ANNUAIRE, "lieux de médiation numérique actifs de l'annuaire"),
    (
        "7.3",
        "zones_blanches_communes",
        Source.ANNUAIRE,
        "communes à plus de 20 min d'un lieu de conseiller numérique et sans permanence de conseiller",
    ),
)

COMPUTED: tuple[Computed, ...] = (
    # The directory: permanences of conseillers numériques by kind of host place.
    Computed(
        "permanences_cn_france_services",
        "Permanences de conseiller numérique en France Services",
        Source.ANNUAIRE,
        "permanences actives de rôle conseiller_numerique ayant au moins un créneau dans un lieu portant le "
        "programme « France Services » (ou de typologie MSAP), comptées dans la commune du lieu",
        ("2.2",),
        (2,),
        periodicity=Periodicity.ONE_OFF,
    ),
    Computed(
        "permanences_cn_centres_sociaux",
        "Permanences de conseiller numérique en centre social",
        Source.ANNUAIRE,
        "permanences actives de rôle conseiller_numerique ayant un créneau dans un lieu de typologie CS "
        "(centre social, standard national)",
        ("2.3",),
        (2,),
        periodicity=Periodicity.ONE_OFF,
    ),
    Computed(
        "permanences_cn_acces_aux_droits",
        "Permanences de conseiller numérique dans une structure d'accès aux droits",
        Source.ANNUAIRE,
        "permanences actives de rôle conseiller_numerique ayant un créneau dans un lieu de typologie PAD "
        "(point d'accès au droit), CIDFF, PIMMS, CCAS, CIAS, CAF, CPAM, MSA ou MDPH",
        ("2.4",),
        (2,),
        periodicity=Periodicity.ONE_OFF,
    ),
    # The network service.
    Computed(
        "reseau_conseillers_numeriques",
        "Conseillers numériques en activité",
        Source.RESEAU,
        "mesure conseillers_numeriques_actifs (par commune de l'employeur, par année)",
        ("7.2",),
        (7,),
    ),
    Computed(
        "reseau_postes_mutualises",
        "Postes de conseiller numérique mutualisés",
        Source.RESEAU,
        "mesure postes_conseillers_mutualises : postes partagés entre au moins deux structures employeuses",
        ("7.4",),
        (7,),
    ),
    Computed(
        "reseau_aidants_formes",
        "Aidants formés",
        Source.RESEAU,
        "mesure personnes_formees, catégorie aidants : inscriptions menées à terme, par commune de la "
        "session",
        ("8.1",),
        (8,),
    ),
    Computed(
        "reseau_formations_partenaires",
        "Sessions de formation des agents partenaires et secrétaires de mairie",
        Source.RESEAU,
        "mesure formations_sessions, catégories agents_partenaires et secretaires_mairie",
        ("9.3",),
        (9,),
    ),
    Computed(
        "reseau_evenements",
        "Événements de l'inclusion numérique",
        Source.RESEAU,
        "mesure evenements, toutes catégories (événements publics tenus)",
        ("3.1", "17.1"),
        (3, 17),
    ),
    Computed(
        "reseau_cafes_numeriques",
        "Cafés numériques",
        Source.RESEAU,
        "mesure evenements, catégorie cafe_numerique",
        ("3.2",),
        (3,),
    ),
    Computed(
        "reseau_communes_evenements",
        "Communes ayant accueilli un événement",
        Source.RESEAU,
        "nombre de communes où la mesure evenements est non nulle dans l'année (la répartition : la valeur "
        "par commune et par EPCI)",
        ("3.3",),
        (3,),
    ),
    Computed(
        "reseau_participants_activites_quotidien",
        "Participants aux cafés numériques et ateliers",
        Source.RESEAU,
        "mesure evenements_participants, catégories cafe_numerique et atelier",
        ("3.5",),
        (3,),
    ),
    Computed(
        "reseau_participants_grand_public",
        "Participants aux événements numériques grand public",
        Source.RESEAU,
        "mesure evenements_participants, catégories semaine_numerique, nec et forum",
        ("5.3",),
        (5,),
    ),
    Computed(
        "reseau_participants_evenements",
        "Participants aux événements organisés",
        Source.RESEAU,
        "mesure evenements_participants, toutes catégories",
        ("17.2",),
        (17,),
    ),
    Computed(
        "reseau_partenaires_evenements",
        "Partenaires des événements organisés",
        Source.RESEAU,
        "mesure evenements_partenaires, toutes catégories (somme des partenaires comptés par événement)",
        ("17.3",),
        (17,),
    ),
    # La Coop de la médiation numérique.
    Computed(
        "coop_beneficiaires_conseillers",
        "Personnes accompagnées par un conseiller numérique",
        Source.COOP,
        "GET /statistiques filter[departements]=73, filter[conseiller_numerique]=1, par année : "
        "totaux.beneficiaires.total",
        ("2.5",),
        (2,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
    ),
    Computed(
        "coop_accompagnements_lieux",
        "Accompagnements dans les lieux de médiation numérique",
        Source.COOP,
        "GET /activites : somme des accompagnements des activités de type_lieu lieu_activite, commune de la "
        "structure (GET /structures), par année",
        ("10.4",),
        (10,),
        threshold=5,
    ),
    Computed(
        "coop_accompagnements_materiel",
        "Accompagnements à la prise en main du matériel",
        Source.COOP,
        "GET /activites : somme des accompagnements dont les thématiques comptent "
        "prendre_en_main_du_materiel, "
        "par commune et par année",
        ("12.3",),
        (12,),
        threshold=5,
    ),
    Computed(
        "coop_ateliers_securite_numerique",
        "Ateliers collectifs de sécurité numérique",
        Source.COOP,
        "GET /activites : activités de type collectif dont les thématiques comptent securite_numerique, par "
        "commune et par année",
        ("15.2",),
        (15,),
    ),
    Computed(
        "coop_accompagnements",
        "Accompagnements enregistrés dans La Coop",
        Source.COOP,
        "GET /activites : somme des accompagnements (activités non supprimées), par commune et par mois",
        (),
        (2, 10),
        periodicity=Periodicity.MONTHLY,
        threshold=5,
    ),
    Computed(
        "coop_activites_collectives",
        "Ateliers collectifs enregistrés dans La Coop",
        Source.COOP,
        "GET /activites : activités de type collectif, par commune et par mois",
        (),
        (3,),
        periodicity=Periodicity.MONTHLY,
    ),
    # The observatory's own records.
    Computed(
        "gouvernance_comites",
        "Comités de suivi et comités techniques tenus",
        Source.OBSERVATOIRE,
        "réunions enregistrées de type comite_suivi ou comite_technique, datées de l'année",
        ("21.1",),
        (21,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
    ),
    Computed(
        "gouvernance_participants_comites",
        "Participants aux comités de suivi et comités techniques",
        Source.OBSERVATOIRE,
        "participants marqués présents aux réunions de type comite_suivi ou comite_technique de l'année",
        ("21.2",),
        (21,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
    ),
    Computed(
        "gouvernance_comites_partenaires",
        "Réunions du comité des partenaires de l'observatoire",
        Source.OBSERVATOIRE,
        "réunions enregistrées de type comite_partenaires, datées de l'année (le comité est en place dès la "
        "première)",
        ("1.1",),
        (1,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
    ),
    Computed(
        "gouvernance_comptes_rendus_publies",
        "Part des comités dont les documents sont publiés",
        Source.OBSERVATOIRE,
        "réunions de suivi et techniques de l'année ayant au moins un compte rendu ou un support publié / "
        "réunions de l'année",
        ("21.3",),
        (21,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
        unit=Unit.PERCENT,
        scale=100,
    ),
    Computed(
        "observatoire_jeux_publies",
        "Jeux de données publiés par l'observatoire",
        Source.OBSERVATOIRE,
        "jeux de données distincts publiés dans l'observatoire (imports de fichiers et calculs), cumul "
        "à la fin de l'année",
        ("1.2",),
        (1,),
        aggregation=Aggregation.NOT_AGGREGABLE,
        levels=DEPARTEMENT_ONLY,
        periodicity=Periodicity.ONE_OFF,
    ),
)

BY_CODE = {item.code: item for item in COMPUTED}


def roadmap_links() -> dict[str, str]:
    """Roadmap indicator → catalogue indicator, for every computed roadmap indicator."""
    links = {roadmap_id: code for roadmap_id, code, _source, _formula in ALREADY_COMPUTED}
    for item in COMPUTED:
        for roadmap_id in item.roadmap:
            links[roadmap_id] = item.code
    return links
