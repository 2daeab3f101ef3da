import { api, unwrap } from "../../../api/client";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { formatDateTime } from "../../../lib/format";
import { describeIssue } from "../../../lib/issues";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";

function Quarantine() {
  usePageTitle("Enregistrements en quarantaine");
  const records = useResource("quarantine", (signal) =>
    unwrap(
      api.GET("/api/directory/sync/enregistrements", {
        params: { query: { statut: "quarantined", size: 100 } },
        signal,
      }),
    ),
  );
  return (
    <>
      <h1>Enregistrements en quarantaine</h1>
      <p>
        Ces enregistrements des sources ne sont pas publiés : il leur manque une information obligatoire ou
        l'une est invalide. Corrigez-les dans la source ; la prochaine synchronisation les reprendra.
      </p>
      <ProblemAlert problem={records.problem} unavailable="La quarantaine" onRetry={records.reload} />
      {records.loading && !records.data && <Loading />}
      {records.data && (
        <div className="fr-table fr-table--bordered">
          <table>
            <caption>
              {records.data.total === 0
                ? "Aucun enregistrement en quarantaine"
                : `${records.data.total} enregistrement(s) en quarantaine`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Identifiant dans la source</th>
                <th scope="col">Vu la dernière fois</th>
                <th scope="col">Raisons</th>
              </tr>
            </thead>
            <tbody>
              {records.data.items.map((record) => (
                <tr key={record.id}>
                  <td>{record.source}</td>
                  <td>{record.source_id}</td>
                  <td>{formatDateTime(record.last_seen_at)}</td>
                  <td>
                    <ul>
                      {(record.quarantine_reasons ?? []).map((reason, index) => (
                        <li key={index}>{describeIssue(reason)}</li>
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

export default function QuarantinePage() {
  return (
    <RequireScope scope="sync:run">
      <Quarantine />
    </RequireScope>
  );
}
