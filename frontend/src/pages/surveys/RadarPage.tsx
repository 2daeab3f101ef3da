import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireScope } from "../../components/RequireScope";
import { ScoreRadar } from "../../components/ScoreRadar";
import { PHASE_LABELS } from "../../lib/surveys";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";

function Radar({ id }: { id: string }) {
  const found = useResource(id, (signal) =>
    unwrap(
      api.GET("/api/surveys/reponses/{response_id}/radar", { params: { path: { response_id: id } }, signal }),
    ),
  );
  if (found.problem)
    return (
      <ProblemAlert
        problem={found.problem}
        unavailable="Le service des questionnaires"
        onRetry={found.reload}
      />
    );
  if (!found.data) return <Loading />;
  const radar = found.data;
  // One toile per framework (a questionnaire may score against several).
  const frameworks = [...new Set(radar.scores.map((score) => score.referentiel))];
  return (
    <>
      <p>
        {PHASE_LABELS[radar.phase]}
        {radar.phase_precedente
          ? ` · comparée à : ${PHASE_LABELS[radar.phase_precedente].toLowerCase()}`
          : " · première séance de cette personne"}
      </p>
      {radar.scores.length === 0 && (
        <p>Ce questionnaire ne calcule pas de score, ou la séance n'est pas terminée.</p>
      )}
      {frameworks.map((framework) => (
        <ScoreRadar
          key={framework}
          title={frameworks.length > 1 ? `Scores (${framework})` : "Scores par compétence"}
          scores={radar.scores.filter((score) => score.referentiel === framework)}
          changes={radar.evolutions.filter((change) => change.referentiel === framework)}
        />
      ))}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Link className="fr-btn fr-btn--secondary" to={`/enquetes/reponses/${id}`}>
            Revoir les réponses
          </Link>
        </li>
        <li>
          <Link className="fr-btn" to="/enquetes">
            Nouvelle séance
          </Link>
        </li>
      </ul>
    </>
  );
}

/** The toile of a completed session and the change since the person's previous phase. */
export default function RadarPage() {
  const { id = "" } = useParams();
  usePageTitle("Toile des compétences");
  return (
    <RequireScope scope="surveys:write">
      <h1>Toile des compétences</h1>
      <Radar id={id} />
    </RequireScope>
  );
}
