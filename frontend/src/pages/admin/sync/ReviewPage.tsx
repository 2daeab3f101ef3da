import { Button } from "@codegouvfr/react-dsfr/Button";
import { Link } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { displayValue } from "../../../lib/placeForm";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";

type Candidate = components["schemas"]["DirectoryCandidateOut"];
const COMPARED = [
  "nom",
  "adresse",
  "code_postal",
  "commune",
  "telephone",
  "courriels",
  "site_web",
  "pivot",
  "horaires",
];

function CandidateCard({ candidate, onDecided }: { candidate: Candidate; onDecided: () => void }) {
  const { busy, problem, run } = useSubmit();
  const decide = (decision: "confirmation" | "rejet") =>
    void run(async () => {
      const path = { candidate_id: candidate.id };
      if (decision === "confirmation")
        await unwrap(api.POST("/api/directory/sync/revue/{candidate_id}/confirmation", { params: { path } }));
      else await unwrap(api.POST("/api/directory/sync/revue/{candidate_id}/rejet", { params: { path } }));
      onDecided();
    });
  const record = candidate.record_values ?? {};
  const place = candidate.place_values;
  const title = `${String(record.nom ?? candidate.record.source_id)} (${candidate.record.source})`;
  return (
    <section className="fr-mb-6w" aria-labelledby={`candidat-${candidate.id}`}>
      <h2 id={`candidat-${candidate.id}`} className="fr-h5">
        {title} — ressemblance {Math.round(candidate.score * 100)} %
      </h2>
      <ProblemAlert problem={problem} />
      <div className="fr-table fr-table--bordered">
        <table>
          <caption>Comparaison avec le lieu de l'annuaire</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Selon la source « {candidate.record.source} »</th>
              <th scope="col">
                Dans l'annuaire (<Link to={`/lieux/${candidate.place_id}`}>ouvrir</Link>)
              </th>
            </tr>
          </thead>
          <tbody>
            {COMPARED.filter((field) => field in record || field in place).map((field) => (
              <tr key={field}>
                <th scope="row">{field}</th>
                <td>{displayValue(record[field])}</td>
                <td>{displayValue(place[field])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button onClick={() => decide("confirmation")} disabled={busy}>
            C'est le même lieu : fusionner
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={() => decide("rejet")} disabled={busy}>
            Ce sont deux lieux différents
          </Button>
        </li>
      </ul>
    </section>
  );
}

function Review() {
  usePageTitle("Doublons à examiner");
  const queue = useResource("review", (signal) =>
    unwrap(api.GET("/api/directory/sync/revue", { params: { query: { size: 20 } }, signal })),
  );
  return (
    <>
      <h1>Doublons à examiner</h1>
      <p>
        Un enregistrement d'une source ressemble à un lieu déjà dans l'annuaire sans qu'on puisse l'affirmer.
        Décidez : les mêmes, ils sont fusionnés (la provenance de chaque champ est gardée) ; différents, la
        source crée son propre lieu.
      </p>
      <ProblemAlert
        problem={queue.problem}
        unavailable="La file des doublons à examiner"
        onRetry={queue.reload}
      />
      {queue.loading && !queue.data && <Loading />}
      {queue.data && (
        <>
          <p role="status">
            {queue.data.total === 0
              ? "Aucun doublon à examiner."
              : `${queue.data.total} doublon(s) possible(s) à examiner.`}
          </p>
          {queue.data.items.map((candidate) => (
            <CandidateCard key={candidate.id} candidate={candidate} onDecided={queue.reload} />
          ))}
        </>
      )}
    </>
  );
}

export default function ReviewPage() {
  return (
    <RequireScope scope="directory:write">
      <Review />
    </RequireScope>
  );
}
