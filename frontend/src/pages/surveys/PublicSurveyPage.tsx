import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiProblem } from "../../api/problem";
import type { PublicSurveyResponse } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { namedByQuestion, QuestionnaireActions, QuestionnaireForm } from "../../components/QuestionnaireForm";
import { ScoreRadar } from "../../components/ScoreRadar";
import type { Answers } from "../../lib/expressions";
import { contentOf, type QuestionnaireContent } from "../../lib/surveys";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSubmit } from "../../lib/useSubmit";

interface Resume {
  id: string;
  token: string;
}

/** Where this phone keeps an unfinished response to this link: its id and resume token, nothing personal. */
const storageKey = (link: string) => `fne-enquete-${link}`;

export function storedResume(link: string): Resume | null {
  try {
    const value = JSON.parse(localStorage.getItem(storageKey(link)) ?? "null") as Resume | null;
    return value?.id && value.token ? value : null;
  } catch {
    return null;
  }
}

function Survey({
  link,
  content,
  resumed,
}: {
  link: string;
  content: QuestionnaireContent;
  resumed: PublicSurveyResponse | null;
}) {
  const [answers, setAnswers] = useState<Answers>(resumed?.valeurs ?? {});
  const [consent, setConsent] = useState(resumed !== null);
  const [finished, setFinished] = useState<PublicSurveyResponse>();
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useSubmit();
  const summary = namedByQuestion(problem, content.questions);

  const send = (complete: boolean) =>
    void run(async () => {
      setSaved(false);
      const resume = storedResume(link);
      const result = resume
        ? await unwrap(
            api.PATCH("/api/surveys/public/{token}/reponses/{response_id}", {
              params: {
                path: { token: link, response_id: resume.id },
                header: { "X-Resume-Token": resume.token },
              },
              body: { valeurs: answers, terminer: complete },
            }),
          )
        : await unwrap(
            api.POST("/api/surveys/public/{token}/reponses", {
              params: { path: { token: link } },
              body: {
                valeurs: answers,
                terminer: complete,
                consentement: consent
                  ? { donne: true, finalite: "evaluation_autonomie", partage: false }
                  : (null as never),
              },
            }),
          );
      if (result.jeton_reprise)
        localStorage.setItem(
          storageKey(link),
          JSON.stringify({ id: result.id, token: result.jeton_reprise }),
        );
      if (complete) {
        localStorage.removeItem(storageKey(link));
        setFinished(result);
      } else setSaved(true);
    });

  if (finished) {
    // Focus moves to the thanks (announced, and scrolled to on a phone).
    return (
      <div tabIndex={-1} ref={(node) => node?.focus()}>
        <Alert
          severity="success"
          title="Merci, vos réponses sont envoyées"
          description="Voici où vous en êtes. Vous pouvez fermer cette page."
          className="fr-mb-3w"
        />
        {finished.scores.length > 0 && (
          <ScoreRadar title="Vos résultats par compétence" scores={finished.scores} />
        )}
      </div>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        send(true);
      }}
    >
      {resumed && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description="Vous reprenez vos réponses là où vous vous étiez arrêté."
        />
      )}
      <ProblemAlert
        problem={summary.problem}
        fieldLabels={{ ...summary.labels, consentement: "Accord" }}
        focus
      />
      {saved && (
        <Alert
          severity="success"
          small
          className="fr-mb-3w"
          description="Réponses gardées : rouvrez ce lien sur ce téléphone pour continuer."
        />
      )}
      {resumed === null && (
        <Checkbox
          legend="Votre accord"
          hintText="Vos réponses sont anonymes. Elles servent à mesurer vos compétences numériques et, regroupées avec d'autres, à améliorer l'aide proposée dans le territoire."
          options={[
            {
              label: "J'accepte de répondre",
              nativeInputProps: { checked: consent, onChange: (event) => setConsent(event.target.checked) },
            },
          ]}
        />
      )}
      <QuestionnaireForm
        questions={content.questions}
        answers={answers}
        onChange={setAnswers}
        problem={problem}
      />
      <QuestionnaireActions
        complete="Envoyer mes réponses"
        later="Continuer plus tard"
        onLater={() => send(false)}
        busy={busy}
      />
    </form>
  );
}

/** The public link: a person answers alone, on a phone, without an account; an unfinished response resumes. */
export default function PublicSurveyPage() {
  const { token = "" } = useParams();
  const found = useResource(token, async (signal) => {
    const campaign = await unwrap(
      api.GET("/api/surveys/public/{token}", { params: { path: { token } }, signal }),
    );
    const resume = storedResume(token);
    let resumed: PublicSurveyResponse | null = null;
    if (resume) {
      try {
        resumed = await unwrap(
          api.GET("/api/surveys/public/{token}/reponses/{response_id}", {
            params: { path: { token, response_id: resume.id }, header: { "X-Resume-Token": resume.token } },
            signal,
          }),
        );
        if (resumed.statut === "completed") resumed = null;
      } catch (error) {
        // A response finished or purged meanwhile: start afresh rather than block the person.
        if (!(error instanceof ApiProblem)) throw error;
      }
      if (!resumed) localStorage.removeItem(storageKey(token));
    }
    return { campaign, content: contentOf(campaign.questionnaire), resumed };
  });
  usePageTitle(found.data?.content.title ?? "Questionnaire");
  if (found.problem)
    return (
      <ProblemAlert
        problem={found.problem}
        unavailable="Le service des questionnaires"
        onRetry={found.reload}
      />
    );
  if (!found.data) return <Loading />;
  const { campaign, content, resumed } = found.data;
  return (
    <div className="fne-public-survey">
      <h1>{content.title}</h1>
      <p>
        {campaign.nom}
        {campaign.structure ? ` — ${campaign.structure}` : ""}
      </p>
      {content.description && <p>{content.description}</p>}
      <Survey link={token} content={content} resumed={resumed} />
    </div>
  );
}
