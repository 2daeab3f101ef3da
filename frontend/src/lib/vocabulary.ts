/** The search filters: the national standard's vocabularies, as the API publishes them, with French headings. */
import {
  directoryFreshnessValues,
  pathsApiDirectoryLieuxGetParametersQueryDispositif_programmes_nationauxValues as PROGRAMMES,
  pathsApiDirectoryLieuxGetParametersQueryFrais_a_chargeValues as FRAIS,
  pathsApiDirectoryLieuxGetParametersQueryModalites_accesValues as MODALITES_ACCES,
  pathsApiDirectoryLieuxGetParametersQueryModalites_accompagnementValues as MODALITES_ACCOMPAGNEMENT,
  pathsApiDirectoryLieuxGetParametersQueryPrise_en_charge_specifiqueValues as PRISE_EN_CHARGE,
  pathsApiDirectoryLieuxGetParametersQueryPublics_specifiquement_adressesValues as PUBLICS,
  pathsApiDirectoryLieuxGetParametersQueryServicesValues as SERVICES,
} from "../api/schema";

export interface FilterGroup {
  /** The API's parameter (and the place's field) name. */
  name: string;
  legend: string;
  values: readonly string[];
}

export const FILTER_GROUPS: FilterGroup[] = [
  { name: "services", legend: "Besoin", values: SERVICES },
  { name: "publics_specifiquement_adresses", legend: "Public accueilli", values: PUBLICS },
  { name: "prise_en_charge_specifique", legend: "Accompagnement adapté", values: PRISE_EN_CHARGE },
  { name: "frais_a_charge", legend: "Tarif", values: FRAIS },
  { name: "modalites_accompagnement", legend: "Façon d'être aidé", values: MODALITES_ACCOMPAGNEMENT },
  { name: "modalites_acces", legend: "Comment y accéder", values: MODALITES_ACCES },
  { name: "dispositif_programmes_nationaux", legend: "Dispositif national", values: PROGRAMMES },
];

export const FRESHNESS_LABELS: Record<(typeof directoryFreshnessValues)[number], string> = {
  a_jour: "à jour (moins de 6 mois)",
  a_surveiller: "à surveiller (6 à 12 mois)",
  a_verifier: "à vérifier (12 à 18 mois)",
  a_mettre_a_jour: "à mettre à jour (plus de 18 mois)",
};

export const SORT_LABELS: Record<string, string> = {
  pertinence: "Pertinence",
  distance: "Distance",
  nom: "Nom",
  mise_a_jour: "Dernière mise à jour",
};

export const ROLE_LABELS: Record<string, string> = {
  admin: "Administrateur",
  coordinator: "Coordinateur",
  mediator: "Médiateur",
};

export const SCOPE_LABELS: Record<string, string> = {
  "directory:write": "Annuaire : écrire les lieux",
  "sync:run": "Annuaire : lancer les synchronisations",
  "observatory:write": "Observatoire : importer et publier",
  "surveys:write": "Questionnaires : saisir",
  "surveys:read": "Questionnaires : lire les résultats",
  "surveys:export": "Questionnaires : exporter les réponses brutes (journalisé)",
  "network:write": "Réseau : personnes, formations et agenda",
  "users:manage": "Gérer les comptes",
  "keys:manage": "Gérer les clés d'API",
};
