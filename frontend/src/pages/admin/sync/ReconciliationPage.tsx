import { Link } from "react-router";

import { api, unwrap } from "../../../api/client";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { displayValue } from "../../../lib/placeForm";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";

function Reconciliation() {
  usePageTitle("Rapport de rapprochement");
  const report = useResource("reconciliation", (signal) =>
    unwrap(api.GET("/api/directory/sync/rapprochement", { params: { query: { size: 100 } }, signal })),
  );
  return (
    <>
      <h1>Rapport de rapprochement</h1>
      <p>
        Les lieux absents d'une des sources configurées, et les champs sur lesquels les sources ne sont pas
        d'accord.{" "}
        <a className="fr-link fr-link--download" href="/api/directory/sync/rapprochement.csv" download>
          Télécharger le rapport (CSV)
        </a>
      </p>
      <ProblemAlert
        problem={report.problem}
        unavailable="Le rapport de rapprochement"
        onRetry={report.reload}
      />
      {report.loading && !report.data && <Loading />}
      {report.data && (
        <div className="fr-table fr-table--bordered">
          <table>
            <caption>
              {report.data.total} lieu(x) à rapprocher entre{" "}
              {report.data.sources.join(", ") || "aucune source configurée"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Lieu</th>
                <th scope="col">Présent dans</th>
                <th scope="col">Absent de</th>
                <th scope="col">Désaccords</th>
              </tr>
            </thead>
            <tbody>
              {report.data.items.map((entry) => (
                <tr key={entry.place_id}>
                  <td>
                    <Link to={`/lieux/${entry.place_id}`}>{entry.nom}</Link> ({entry.commune})
                  </td>
                  <td>{entry.present_in.join(", ")}</td>
                  <td>{entry.missing_from.join(", ") || "—"}</td>
                  <td>
                    <ul>
                      {entry.differences.map((difference) => (
                        <li key={difference.field}>
                          {difference.field} :{" "}
                          {Object.entries(difference.values)
                            .map(([source, value]) => `${source} « ${displayValue(value)} »`)
                            .join(" ; ")}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export default function ReconciliationPage() {
  return (
    <RequireScope scope="directory:write">
      <Reconciliation />
    </RequireScope>
  );
}
