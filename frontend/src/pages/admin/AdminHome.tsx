import { Tile } from "@codegouvfr/react-dsfr/Tile";

import { type Scope, useAuth } from "../../auth/AuthContext";
import { RequireScope } from "../../components/RequireScope";
import { usePageTitle } from "../../lib/usePageTitle";
import { ROLE_LABELS } from "../../lib/vocabulary";

interface Entry {
  title: string;
  desc: string;
  to: string;
  scope: Scope;
  /** Roles a person needs besides the scope (the API refuses the others); API keys carry no role. */
  roles?: string[];
}

/** Questionnaires, campaigns and personal-data requests are the coordinators' job, not the mediators'. */
export const COORDINATING = ["admin", "coordinator"];

const ENTRIES: Entry[] = [
  {
    title: "Ajouter un lieu",
    desc: "Un lieu de médiation numérique absent de l'annuaire.",
    to: "/administration/lieux/nouveau",
    scope: "directory:write",
  },
  {
    title: "Modifier, retirer ou restaurer un lieu",
    desc: "Cherchez-le, ouvrez sa page, puis « Modifier ce lieu » ou « Gérer ce lieu ».",
    to: "/",
    scope: "directory:write",
  },
  {
    title: "Permanences",
    desc: "Qui est présent dans quels lieux, quels jours ; les tournées d'une commune à l'autre.",
    to: "/administration/permanences",
    scope: "directory:write",
  },
  {
    title: "Corrections et signalements",
    desc: "Ce que proposent les contacts des lieux et le public ; demandes de mise à jour.",
    to: "/administration/propositions",
    scope: "directory:write",
  },
  {
    title: "Synchronisation",
    desc: "Sources, exécutions, import de fichiers de lieux.",
    to: "/administration/synchronisation",
    scope: "sync:run",
  },
  {
    title: "Doublons à examiner",
    desc: "Les lieux de deux sources qui se ressemblent.",
    to: "/administration/synchronisation/revue",
    scope: "directory:write",
  },
  {
    title: "Rapport de rapprochement",
    desc: "Ce qui manque ou diffère entre les sources.",
    to: "/administration/synchronisation/rapprochement",
    scope: "directory:write",
  },
  {
    title: "Données de l'observatoire",
    desc: "Importer un jeu de données, lire son rapport de validation, le publier.",
    to: "/administration/observatoire",
    scope: "observatory:write",
  },
  {
    title: "Feuille de route",
    desc: "Statuts des objectifs, valeurs des indicateurs avec leurs justificatifs, cibles et jalons.",
    to: "/administration/feuille-de-route",
    scope: "observatory:write",
  },
  {
    title: "Comités de suivi",
    desc: "Enregistrer une réunion et ses documents ; suivre participants, décisions et actions.",
    to: "/administration/comites",
    scope: "observatory:write",
  },
  {
    title: "Calculs de l'observatoire",
    desc: "Recalculer les indicateurs tirés de l'annuaire et des questionnaires.",
    to: "/administration/observatoire/calculs",
    scope: "observatory:write",
  },
  {
    title: "Catalogue des indicateurs",
    desc: "Ajouter un indicateur ou corriger sa définition.",
    to: "/administration/observatoire/indicateurs",
    scope: "observatory:write",
  },
  {
    title: "Questionnaires",
    desc: "Importer un XLSForm ou modifier, prévisualiser, publier, retirer, comparer les versions.",
    to: "/administration/questionnaires",
    scope: "surveys:write",
    roles: COORDINATING,
  },
  {
    title: "Campagnes",
    desc: "Ouvrir une campagne, son lien public et son QR code, la clore, importer PIX Orga.",
    to: "/administration/campagnes",
    scope: "surveys:write",
    roles: COORDINATING,
  },
  {
    title: "Demandes sur les données personnelles",
    desc: "Effacement, copie des données, partage des résultats d'une personne.",
    to: "/administration/donnees-personnelles",
    scope: "surveys:write",
    roles: COORDINATING,
  },
  {
    title: "Personnes du réseau",
    desc: "Conseillers numériques, aidants, agents France Services ; leurs données personnelles.",
    to: "/administration/reseau/personnes",
    scope: "network:write",
  },
  {
    title: "Formations",
    desc: "Sessions, inscriptions, présences et achèvement.",
    to: "/administration/reseau/formations",
    scope: "network:write",
  },
  {
    title: "Agenda des événements",
    desc: "Cafés numériques, ateliers, Semaine du numérique : publier, annuler, faire le bilan.",
    to: "/administration/reseau/evenements",
    scope: "network:write",
  },
  {
    title: "Comptes",
    desc: "Les personnes qui administrent, coordonnent ou médient.",
    to: "/administration/comptes",
    scope: "users:manage",
  },
  {
    title: "Clés d'API",
    desc: "L'accès des plateformes partenaires (DORA, data·inclusion…).",
    to: "/administration/cles-api",
    scope: "keys:manage",
  },
];

function Home() {
  const { me, can } = useAuth();
  usePageTitle("Administration");
  const entries = ENTRIES.filter(
    (entry) => can(entry.scope) && (!entry.roles || entry.roles.includes(me?.role ?? "")),
  );
  return (
    <>
      <h1>Administration</h1>
      <p>
        Connecté en tant que <strong>{me?.name}</strong>
        {me?.role && <> ({ROLE_LABELS[me.role] ?? me.role})</>}.
      </p>
      {entries.length === 0 ? (
        <p>Votre compte ne donne accès à aucun écran d'administration.</p>
      ) : (
        <ul className="fr-grid-row fr-grid-row--gutters fne-place-list">
          {entries.map((entry) => (
            <li key={entry.to + entry.title} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
              <Tile title={entry.title} desc={entry.desc} linkProps={{ to: entry.to }} titleAs="h2" />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export default function AdminHome() {
  return (
    <RequireScope>
      <Home />
    </RequireScope>
  );
}
