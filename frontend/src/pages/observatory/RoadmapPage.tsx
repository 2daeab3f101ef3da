import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

type Status = components["schemas"]["ObservatoryObjectiveStatus"];

export const STATUS: Record<
  Status,
  { label: string; severity: "success" | "info" | "warning" | "error" | "new" }
> = {
  non_demarre: { label: "non démarré", severity: "new" },
  en_cours: { label: "en cours", severity: "info" },
  en_retard: { label: "en retard", severity: "warning" },
  atteint: { label: "atteint", severity: "success" },
  abandonne: { label: "abandonné", severity: "error" },
};

/** The roadmap's scoreboard: axes, their objectives' status, and how many indicators and milestones are met. */
export default function RoadmapPage() {
  usePageTitle("Feuille de route France Numérique Ensemble");
  const roadmap = useResource("roadmap", (signal) =>
    unwrap(api.GET("/api/observatory/feuille-de-route", { signal })),
  );
  const data = roadmap.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Feuille de route"
        segments={[{ label: "Observatoire", linkProps: { to: "/observatoire" } }]}
      />
      <h1>Feuille de route France Numérique Ensemble de la Savoie</h1>
      <p>
        Le point fait à chaque réunion : <Link to="/observatoire/comites">rapports des comités de suivi</Link>
        .
      </p>
      <ProblemAlert problem={roadmap.problem} unavailable="L'observatoire" onRetry={roadmap.reload} />
      {roadmap.loading && !data && <Loading />}
      {data && (
        <>
          <p className="fr-text--lead">
            {Object.entries(data.statuts)
              .filter(([, count]) => count > 0)
              .map(([status, count]) => `${count} objectif(s) ${STATUS[status as Status]?.label ?? status}`)
              .join(", ")}
            .
          </p>
          {data.axes.map((axis) => (
            <section key={axis.numero} aria-labelledby={`axe-${axis.numero}`} className="fr-mb-6w">
              <h2 id={`axe-${axis.numero}`}>
                Axe {axis.numero} : {axis.titre}
              </h2>
              {axis.resume && <p>{axis.resume}</p>}
              <div className="fr-table fr-table--bordered">
                <table>
                  <caption>Objectifs de l'axe {axis.numero}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Objectif</th>
                      <th scope="col">Statut</th>
                      <th scope="col">Indicateurs renseignés</th>
                      <th scope="col">Jalons atteints</th>
                    </tr>
                  </thead>
                  <tbody>
                    {axis.objectifs.map((objective) => (
                      <tr key={objective.numero}>
                        <th scope="row">
                          {objective.numero}. {objective.titre}
                        </th>
                        <td>
                          <Badge severity={STATUS[objective.statut].severity} small noIcon>
                            {STATUS[objective.statut].label}
                          </Badge>
                        </td>
                        <td>
                          <progress
                            value={objective.indicateurs_renseignes}
                            max={Math.max(objective.indicateurs, 1)}
                            aria-hidden="true"
                          />{" "}
                          {objective.indicateurs_renseignes} sur {objective.indicateurs}
                        </td>
                        <td>
                          <progress
                            value={objective.jalons_atteints}
                            max={Math.max(objective.jalons, 1)}
                            aria-hidden="true"
                          />{" "}
                          {objective.jalons_atteints} sur {objective.jalons}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </>
  );
}
