/** The observatory's datasets for coordinators: upload a file, read its validation report, follow every version. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Link, useNavigate } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDateTime, formatNumber } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { ImportForm } from "./ImportForm";
import { IMPORT_STATUS } from "./imports";
import { personName } from "../../../lib/people";

type ImportItem = components["schemas"]["ObservatoryImportOut"];

function Imports() {
  usePageTitle("Données de l'observatoire");
  const navigate = useNavigate();
  const imports = useResource("observatory-imports", (signal) =>
    unwrap(api.GET("/api/observatory/imports", { params: { query: { size: 50 } }, signal })),
  );
  return (
    <>
      <h1>Données de l'observatoire</h1>
      <p>
        Chaque fichier importé est une version d'un jeu de données : elle est d'abord vérifiée et enregistrée
        sans être publique, puis publiée (elle remplace alors la version précédente du jeu), ou supprimée.
      </p>
      <ImportForm onImported={(created) => navigate(`/administration/observatoire/imports/${created.id}`)} />

      <section aria-labelledby="versions-titre" className="fr-mt-6w">
        <h2 id="versions-titre" className="fr-h4">
          Les versions importées
        </h2>
        <ProblemAlert
          problem={imports.problem}
          unavailable="La liste des jeux de données"
          onRetry={imports.reload}
        />
        {imports.loading && !imports.data && <Loading />}
        {imports.data && imports.data.items.length === 0 && (
          <p>Aucun jeu de données importé pour l'instant.</p>
        )}
        {imports.data && imports.data.items.length > 0 && (
          <DataTable<ImportItem>
            caption="Versions des jeux de données"
            rows={imports.data.items}
            rowKey={(item) => item.id}
            initialSort={{ key: "cree_le", direction: "descending" }}
            columns={[
              {
                key: "jeu",
                label: "Jeu et version",
                rowHeader: true,
                sortValue: (item) => `${item.jeu} ${String(item.version).padStart(6, "0")}`,
                render: (item) => (
                  <Link to={`/administration/observatoire/imports/${item.id}`}>
                    {item.jeu}, version {item.version}
                  </Link>
                ),
              },
              { key: "titre", label: "Titre", sortValue: (item) => item.titre, render: (item) => item.titre },
              {
                key: "statut",
                label: "État",
                sortValue: (item) => IMPORT_STATUS[item.statut]?.label ?? item.statut,
                render: (item) => (
                  <Badge severity={IMPORT_STATUS[item.statut]?.severity ?? "info"} small noIcon>
                    {IMPORT_STATUS[item.statut]?.label ?? item.statut}
                  </Badge>
                ),
              },
              {
                key: "observations",
                label: "Valeurs",
                sortValue: (item) => item.observations,
                render: (item) => formatNumber(item.observations),
              },
              {
                key: "cree_le",
                label: "Importé le",
                sortValue: (item) => item.cree_le,
                render: (item) => (
                  <>
                    {formatDateTime(item.cree_le)} par {personName(item.cree_par)}
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

export default function ImportsPage() {
  return (
    <RequireScope scope="observatory:write">
      <Imports />
    </RequireScope>
  );
}
