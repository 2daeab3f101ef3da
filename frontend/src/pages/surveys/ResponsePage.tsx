import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { api, unwrapWithEtag } from "../../api/client";
import type { SurveyResponse } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import {
  hiddenAnswers,
  namedByQuestion,
  QuestionnaireActions,
  QuestionnaireForm,
} from "../../components/QuestionnaireForm";
import { RequireScope } from "../../components/RequireScope";
import type { Answers } from "../../lib/expressions";
import { formatDateTime } from "../../lib/format";
import { loadQuestionnaire, PHASE_LABELS, type QuestionnaireContent } from "../../lib/surveys";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";

/** The answers that differ from what the service holds, and hidden ones cleared. */
export function changedAnswers(saved: Answers, current: Answers, content: QuestionnaireContent): Answers {
  const changed: Answers = {};
  for (const [key, value] of Object.entries(current)) {
    if (JSON.stringify(saved[key] ?? null) !== JSON.stringify(value ?? null)) changed[key] = value;
  }
  return { ...changed, ...hiddenAnswers(content.questions, current) };
}

function Filling({
  loaded,
  content,
}: {
  loaded: { data: SurveyResponse; etag: string };
  content: QuestionnaireContent;
}) {
  const navigate = useNavigate();
  const [saved, setSaved] = useState(loaded);
  const [answers, setAnswers] = useState<Answers>(loaded.data.valeurs);
  const [notice, setNotice] = useState<string>();
  const { busy, problem, run } = useSubmit();
  const summary = namedByQuestion(problem, content.questions);

  const save = (complete: boolean) =>
    void run(async () => {
      setNotice(undefined);
      const next = await unwrapWithEtag(
        api.PATCH("/api/surveys/reponses/{response_id}", {
          params: { path: { response_id: saved.data.id }, header: { "if-match": saved.etag } },
          body: { valeurs: changedAnswers(saved.data.valeurs, answers, content), terminer: complete },
        }),
      );
      setSaved(next);
      setAnswers(next.data.valeurs);
      if (complete) navigate(`/enquetes/reponses/${next.data.id}/toile`);
      else
        setNotice(
          `Réponses enregistrées à ${formatDateTime(next.data.modifie_le)}. La séance peut être reprise plus tard.`,
        );
    });

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save(true);
      }}
    >
      <ProblemAlert problem={summary.problem} fieldLabels={summary.labels} focus />
      {notice && <Alert severity="success" small description={notice} className="fr-mb-3w" />}
      <QuestionnaireForm
        questions={content.questions}
        answers={answers}
        onChange={setAnswers}
        problem={problem}
      />
      <QuestionnaireActions
        complete="Terminer et voir la toile"
        later="Enregistrer pour reprendre plus tard"
        onLater={() => save(false)}
        busy={busy}
        inline
      />
    </form>
  );
}

function ResponseScreen({ id }: { id: string }) {
  const location = useLocation();
  const resumed = (location.state as { resumed?: boolean } | null)?.resumed;
  const found = useResource(id, async (signal) => {
    const response = await unwrapWithEtag(
      api.GET("/api/surveys/reponses/{response_id}", { params: { path: { response_id: id } }, signal }),
    );
    return { response, content: await loadQuestionnaire(response.data.questionnaire_id, signal) };
  });
  const title = found.data?.content.title;
  usePageTitle(title ? `Séance — ${title}` : "Séance");
  useEffect(() => {
    if (found.data) document.getElementById("contenu")?.focus();
  }, [found.data]);
  if (found.problem)
    return (
      <ProblemAlert
        problem={found.problem}
        unavailable="Le service des questionnaires"
        onRetry={found.reload}
      />
    );
  if (!found.data) return <Loading />;
  const { response, content } = found.data;
  return (
    <>
      <h1>{content.title}</h1>
      <p>
        {PHASE_LABELS[response.data.phase]} · commencée le {formatDateTime(response.data.commence_le)}
        {resumed && " · séance non terminée reprise là où elle s'était arrêtée"}
      </p>
      {content.description && <p>{content.description}</p>}
      {response.data.statut === "completed" && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description={
            <>
              Séance terminée : les corrections restent tracées.{" "}
              <Link to={`/enquetes/reponses/${id}/toile`}>Voir la toile</Link>
            </>
          }
        />
      )}
      <Filling key={response.data.id} loaded={response} content={content} />
    </>
  );
}

/** A mediator fills a questionnaire with a person: skip logic as they answer, partial saves, then completion. */
export default function ResponsePage() {
  const { id = "" } = useParams();
  return (
    <RequireScope scope="surveys:write">
      <ResponseScreen id={id} />
    </RequireScope>
  );
}
