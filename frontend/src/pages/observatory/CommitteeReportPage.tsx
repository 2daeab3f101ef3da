/**
 * A committee meeting's report: its details, then the report the observatory writes (documents, status of each
 * objective, indicators with trend and target, milestones, changes since the previous meeting), with its
 * print-ready version and CSV.
 */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useMemo } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { reportContent } from "../../lib/reportHtml";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { meetingName } from "./committees";

export default function CommitteeReportPage() {
  const { id = "" } = useParams();
  const identifiant = Number(id);
  const meeting = useResource(`meeting:${id}`, (signal) =>
    unwrap(api.GET("/api/observatory/comites/{identifiant}", { params: { path: { identifiant } }, signal })),
  );
  const report = useResource(`meeting-report:${id}`, async (signal) =>
    String(
      await unwrap(
        api.GET("/api/observatory/comites/{identifiant}/rapport", {
          params: { path: { identifiant } },
          parseAs: "text",
          signal,
        }),
      ),
    ),
  );
  const content = useMemo(() => (report.data ? reportContent(report.data) : ""), [report.data]);
  const data = meeting.data;
  const name = data ? meetingName(data) : "Rapport de comité";
  usePageTitle(name);

  if (meeting.problem)
    return <ProblemAlert problem={meeting.problem} unavailable="L'observatoire" onRetry={meeting.reload} />;
  if (!data) return <Loading />;
  const base = `/api/observatory/comites/${data.id}/rapport`;
  return (
    <>
      <Breadcrumb
        currentPageLabel={name}
        segments={[
          { label: "Observatoire", linkProps: { to: "/observatoire" } },
          { label: "Comités", linkProps: { to: "/observatoire/comites" } },
        ]}
      />
      <h1>{name}</h1>
      <p className="fr-text--lead">
        {data.titre}
        {data.lieu && <>, {data.lieu}</>}
      </p>
      <ul className="fr-links-group">
        <li>
          <a className="fr-link fr-icon-printer-line fr-link--icon-left" href={base}>
            Version à imprimer (A4)
          </a>
        </li>
        <li>
          <a className="fr-link fr-link--download" href={`${base}.csv`} download>
            Télécharger le rapport (CSV, un indicateur par ligne)
          </a>
        </li>
      </ul>
      {data.reunion_precedente && (
        <p>
          <Link to={`/observatoire/comites/${data.reunion_precedente}`}>La réunion précédente</Link>
        </p>
      )}
      {data.notes && (
        <section aria-labelledby="notes-titre">
          <h2 id="notes-titre" className="fr-h4">
            Notes
          </h2>
          <p style={{ whiteSpace: "pre-line" }}>{data.notes}</p>
        </section>
      )}
      <ProblemAlert problem={report.problem} unavailable="L'observatoire" onRetry={report.reload} />
      {report.loading && !report.data && <Loading label="Chargement du rapport…" />}
      {/* The report is the observatory's HTML, reduced to an allow-list of elements and attributes (reportContent). */}
      {content && <div className="fne-report" dangerouslySetInnerHTML={{ __html: content }} />}
    </>
  );
}
