/** The roadmap's committee meetings, latest first, each leading to its report. */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { MEETING_KINDS, meetingName } from "./committees";

type Meeting = NonNullable<Awaited<ReturnType<typeof loadMeetings>>>["items"][number];

function loadMeetings(signal: AbortSignal) {
  return unwrap(api.GET("/api/observatory/comites", { params: { query: { size: 100 } }, signal }));
}

export default function CommitteesPage() {
  usePageTitle("Comités de suivi de la feuille de route");
  const meetings = useResource("meetings", loadMeetings);
  const data = meetings.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Comités"
        segments={[{ label: "Observatoire", linkProps: { to: "/observatoire" } }]}
      />
      <h1>Comités de suivi de la feuille de route</h1>
      <p className="fr-text--lead">
        À chaque réunion, le rapport fait le point sur les objectifs de la{" "}
        <Link to="/observatoire/feuille-de-route">feuille de route</Link> : statut, indicateurs, jalons et ce
        qui a changé depuis la réunion précédente.
      </p>
      <ProblemAlert problem={meetings.problem} unavailable="L'observatoire" onRetry={meetings.reload} />
      {meetings.loading && !data && <Loading />}
      {data && data.items.length === 0 && <p>Aucune réunion n'est encore enregistrée.</p>}
      {data && data.items.length > 0 && (
        <DataTable<Meeting>
          caption="Réunions"
          rows={data.items}
          rowKey={(meeting) => String(meeting.id)}
          initialSort={{ key: "date", direction: "descending" }}
          columns={[
            {
              key: "date",
              label: "Date",
              sortValue: (meeting) => meeting.date,
              render: (meeting) => formatDate(meeting.date),
            },
            {
              key: "type",
              label: "Instance",
              sortValue: (meeting) => MEETING_KINDS[meeting.type],
              render: (meeting) => MEETING_KINDS[meeting.type],
            },
            {
              key: "titre",
              label: "Réunion",
              rowHeader: true,
              sortValue: (meeting) => meeting.titre,
              render: (meeting) => (
                <Link
                  to={`/observatoire/comites/${meeting.id}`}
                  aria-label={`${meeting.titre} : rapport du ${meetingName(meeting).toLowerCase()}`}
                >
                  {meeting.titre}
                </Link>
              ),
            },
            {
              key: "lieu",
              label: "Lieu",
              sortValue: (meeting) => meeting.lieu,
              render: (meeting) => meeting.lieu ?? "—",
            },
          ]}
        />
      )}
    </>
  );
}
