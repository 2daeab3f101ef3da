/** The roadmap's committee meetings, latest first, each leading to its report. */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { MEETING_KINDS, meetingName } from "./committees";

export default function CommitteesPage() {
  usePageTitle("Comités de suivi de la feuille de route");
  const meetings = useResource("meetings", (signal) => unwrap(api.GET("/api/observatory/comites", { params: { query: { size: 100 } }, signal })));
  const data = meetings.data;
  return (
    <>
      <Breadcrumb currentPageLabel="Comités" segments={[{ label: "Observatoire", linkProps: { to: "/observatoire" } }]} />
      <h1>Comités de suivi de la feuille de route</h1>
      <p className="fr-text--lead">
        À chaque réunion, le rapport fait le point sur les objectifs de la <Link to="/observatoire/feuille-de-route">feuille de route</Link> :
        statut, indicateurs, jalons et ce qui a changé depuis la réunion précédente.
      </p>
      <ProblemAlert problem={meetings.problem} unavailable="L'observatoire" onRetry={meetings.reload} />
      {meetings.loading && !data && <Loading />}
      {data && data.items.length === 0 && <p>Aucune réunion n'est encore enregistrée.</p>}
      {data && data.items.length > 0 && (
        <div className="fr-table fr-table--bordered">
          <table>
            <caption>Réunions, de la plus récente à la plus ancienne</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Instance</th>
                <th scope="col">Réunion</th>
                <th scope="col">Lieu</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((meeting) => (
                <tr key={meeting.id}>
                  <td>{formatDate(meeting.date)}</td>
                  <td>{MEETING_KINDS[meeting.type]}</td>
                  <th scope="row">
                    <Link to={`/observatoire/comites/${meeting.id}`} aria-label={`${meeting.titre} : rapport du ${meetingName(meeting).toLowerCase()}`}>
                      {meeting.titre}
                    </Link>
                  </th>
                  <td>{meeting.lieu ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
