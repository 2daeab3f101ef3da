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
}

const ENTRIES: Entry[] = [
  { title: "Ajouter un lieu", desc: "Un lieu de médiation numérique absent de l'annuaire.", to: "/administration/lieux/nouveau", scope: "directory:write" },
  { title: "Modifier un lieu", desc: "Cherchez-le, ouvrez sa page, puis « Modifier ce lieu ».", to: "/", scope: "directory:write" },
  { title: "Corrections et signalements", desc: "Ce que proposent les contacts des lieux et le public ; demandes de mise à jour.", to: "/administration/propositions", scope: "directory:write" },
  { title: "Synchronisation", desc: "Sources, exécutions, import de fichiers de lieux.", to: "/administration/synchronisation", scope: "sync:run" },
  { title: "Doublons à examiner", desc: "Les lieux de deux sources qui se ressemblent.", to: "/administration/synchronisation/revue", scope: "directory:write" },
  { title: "Rapport de rapprochement", desc: "Ce qui manque ou diffère entre les sources.", to: "/administration/synchronisation/rapprochement", scope: "directory:write" },
  { title: "Données de l'observatoire", desc: "Importer un jeu de données, lire son rapport de validation, le publier.", to: "/administration/observatoire", scope: "observatory:write" },
  { title: "Comptes", desc: "Les personnes qui administrent, coordonnent ou médient.", to: "/administration/comptes", scope: "users:manage" },
  { title: "Clés d'API", desc: "L'accès des plateformes partenaires (DORA, data·inclusion…).", to: "/administration/cles-api", scope: "keys:manage" },
];

function Home() {
  const { me, can } = useAuth();
  usePageTitle("Administration");
  const entries = ENTRIES.filter((entry) => can(entry.scope));
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
