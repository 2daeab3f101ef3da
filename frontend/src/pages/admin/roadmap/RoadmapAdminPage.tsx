/** The roadmap as the committee keeps it: every objective, its status and progress, each leading to its sheet. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { OBJECTIVE_STATUS } from "./labels";

type Summary = components["schemas"]["ObservatoryObjectiveSummary"];
const SEVERITY = {
  non_demarre: "new",
  en_cours: "info",
  en_retard: "warning",
  atteint: "success",
  abandonne: "error",
} as const;
const STATUS_ORDER = ["en_retard", "en_cours", "non_demarre", "atteint", "abandonne"];

function Roadmap() {
  const roadmap = useResource("admin-roadmap", (signal) =>
    unwrap(api.GET("/api/observatory/feuille-de-route", { signal })),
  );
  if (roadmap.problem)
    return (
      <ProblemAlert problem={roadmap.problem} unavailable="La feuille de route" onRetry={roadmap.reload} />
    );
  if (!roadmap.data) return <Loading />;
  const rows = roadmap.data.axes.flatMap((axis) => axis.objectifs);
  return (
    <>
      <p>
        Pour chaque objectif : son statut (avec un commentaire gardé dans l'historique), les valeurs de ses
        indicateurs (avec leurs justificatifs), leurs cibles et l'état des jalons. Le rapport du comité
        reprend tout cela : <Link to="/administration/comites">préparer un comité</Link>.
      </p>
      <DataTable<Summary>
        caption="Les 21 objectifs de la feuille de route"
        rows={rows}
        rowKey={(row) => String(row.numero)}
        pageSize={25}
        columns={[
          {
            key: "numero",
            label: "Objectif",
            rowHeader: true,
            sortValue: (row) => row.numero,
            render: (row) => (
              <Link to={`/administration/feuille-de-route/objectifs/${row.numero}`}>
                {row.numero}. {row.titre}
              </Link>
            ),
          },
          { key: "axe", label: "Axe", sortValue: (row) => row.axe, render: (row) => row.axe },
          {
            key: "statut",
            label: "Statut",
            sortValue: (row) => STATUS_ORDER.indexOf(row.statut),
            render: (row) => (
              <Badge severity={SEVERITY[row.statut]} small noIcon>
                {OBJECTIVE_STATUS[row.statut]}
              </Badge>
            ),
          },
          {
            key: "indicateurs",
            label: "Indicateurs renseignés",
            sortValue: (row) => (row.indicateurs ? row.indicateurs_renseignes / row.indicateurs : -1),
            render: (row) => `${row.indicateurs_renseignes} sur ${row.indicateurs}`,
          },
          {
            key: "jalons",
            label: "Jalons atteints",
            sortValue: (row) => (row.jalons ? row.jalons_atteints / row.jalons : -1),
            render: (row) => `${row.jalons_atteints} sur ${row.jalons}`,
          },
        ]}
      />
    </>
  );
}

export default function RoadmapAdminPage() {
  usePageTitle("Suivi de la feuille de route");
  return (
    <RequireScope scope="observatory:write">
      <Breadcrumb
        currentPageLabel="Feuille de route"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Suivi de la feuille de route</h1>
      <Roadmap />
    </RequireScope>
  );
}
