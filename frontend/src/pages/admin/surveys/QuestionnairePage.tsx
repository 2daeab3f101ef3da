/**
 * One questionnaire version: a draft is edited with its preview beside it (the respondent's own form), then
 * published; a published version is retired or followed by a new version; any two versions are compared.
 */
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { QuestionnaireForm } from "../../../components/QuestionnaireForm";
import type { Answers } from "../../../lib/expressions";
import { formatDateTime } from "../../../lib/format";
import {
  compareVersions,
  type EditableDefinition,
  keyFrom,
  namedErrors,
  QUESTION_TYPES,
  retype,
} from "../../../lib/questionnaireEditing";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import type { Question } from "../../../components/QuestionnaireForm";
import { CoordinatorsOnly } from "./CoordinatorsOnly";
import { DESIGN_MODES, QUESTIONNAIRE_STATUS } from "./labels";
import { QuestionEditor } from "./QuestionEditor";
import "../../../components/admin/admin.css";

type Questionnaire = components["schemas"]["SurveysQuestionnaireOut"];

const definitionOf = (questionnaire: Questionnaire) =>
  questionnaire.definition as unknown as EditableDefinition;

/** The questionnaire exactly as a respondent sees it: its title, description and the same form, answers kept here only. */
export function Preview({ definition }: { definition: EditableDefinition }) {
  const [answers, setAnswers] = useState<Answers>({});
  return (
    <section aria-labelledby="apercu-titre" className="fr-p-3w fne-preview">
      <p className="fr-badge fr-badge--info fr-badge--no-icon fr-mb-2w">Aperçu : rien n'est enregistré</p>
      <h2 id="apercu-titre">{definition.title?.fr ?? "Questionnaire"}</h2>
      {definition.description?.fr && <p>{definition.description.fr}</p>}
      <QuestionnaireForm questions={definition.questions} answers={answers} onChange={setAnswers} />
      <Button type="button" priority="secondary" size="small" onClick={() => setAnswers({})}>
        Effacer les réponses de l'aperçu
      </Button>
    </section>
  );
}

function AddQuestion({
  definition,
  onAdd,
}: {
  definition: EditableDefinition;
  onAdd: (question: EditableDefinition["questions"][number]) => void;
}) {
  const [label, setLabel] = useState("");
  const [type, setType] = useState<Question["type"]>("single_choice");
  return (
    <fieldset className="fr-fieldset fr-mb-4w">
      <legend className="fr-fieldset__legend">Ajouter une question</legend>
      <div className="fr-fieldset__element">
        <Input
          label="Libellé de la nouvelle question"
          nativeInputProps={{ value: label, onChange: (event) => setLabel(event.target.value) }}
        />
        <Select
          label="Type de la nouvelle question"
          nativeSelectProps={{
            value: type,
            onChange: (event) => setType(event.target.value as Question["type"]),
          }}
        >
          {Object.entries(QUESTION_TYPES).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </Select>
        <Button
          type="button"
          priority="secondary"
          iconId="fr-icon-add-line"
          disabled={!label.trim()}
          onClick={() => {
            const key = keyFrom(label, new Set(definition.questions.map((question) => question.key)));
            onAdd(retype({ key, type: "text", label: { fr: label.trim() } }, type));
            setLabel("");
          }}
        >
          Ajouter la question
        </Button>
      </div>
    </fieldset>
  );
}

function Editor({ questionnaire, onSaved }: { questionnaire: Questionnaire; onSaved: () => void }) {
  const [draft, setDraft] = useState<EditableDefinition>(definitionOf(questionnaire));
  const [json, setJson] = useState("");
  const [jsonProblem, setJsonProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  // Editors are keyed by this generation, so that a whole new definition (JSON) redraws them.
  const [generation, setGeneration] = useState(0);
  const { busy, problem, run } = useSubmit();
  const questions = draft.questions;
  const setQuestions = (next: EditableDefinition["questions"]) => setDraft({ ...draft, questions: next });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void run(async () => {
      await unwrap(
        api.PUT("/api/surveys/questionnaires/{questionnaire_id}", {
          params: { path: { questionnaire_id: questionnaire.id } },
          body: draft as never,
        }),
      );
      setSaved("Brouillon enregistré.");
      onSaved();
    });
  };
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-lg-6">
        <form onSubmit={submit} noValidate aria-labelledby="edition-titre">
          <h2 id="edition-titre">Modifier le brouillon</h2>
          <ProblemAlert problem={namedErrors(problem, draft)} focus />
          <Input
            label="Titre du questionnaire"
            nativeInputProps={{
              value: draft.title?.fr ?? "",
              onChange: (event) => setDraft({ ...draft, title: { ...draft.title, fr: event.target.value } }),
            }}
          />
          <Input
            label="Description"
            hintText="Facultative : ce que la personne lit avant de répondre"
            textArea
            nativeTextAreaProps={{
              rows: 2,
              value: draft.description?.fr ?? "",
              onChange: (event) =>
                setDraft({
                  ...draft,
                  description: event.target.value
                    ? { ...(draft.description ?? {}), fr: event.target.value }
                    : undefined,
                }),
            }}
          />
          <Select
            label="Qui le remplit"
            nativeSelectProps={{
              value: draft.mode ?? "both",
              onChange: (event) =>
                setDraft({ ...draft, mode: event.target.value as EditableDefinition["mode"] }),
            }}
          >
            {Object.entries(DESIGN_MODES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          {questions.map((question, index) => (
            <QuestionEditor
              key={`${generation}:${question.key}`}
              question={question}
              index={index}
              count={questions.length}
              onChange={(changed) =>
                setQuestions(questions.map((item, at) => (at === index ? changed : item)))
              }
              onMove={(offset) => {
                const next = [...questions];
                [next[index], next[index + offset]] = [next[index + offset], next[index]];
                setQuestions(next);
              }}
              onRemove={() => setQuestions(questions.filter((_, at) => at !== index))}
            />
          ))}
          <AddQuestion definition={draft} onAdd={(question) => setQuestions([...questions, question])} />
          <details className="fr-mb-3w">
            <summary>Modifier le document complet (JSON : notation, contrôles, autres langues)</summary>
            {jsonProblem && <p className="fr-error-text">{jsonProblem}</p>}
            <Input
              label="Définition (JSON)"
              textArea
              nativeTextAreaProps={{
                className: "fne-json",
                rows: 16,
                value: json || JSON.stringify(draft, null, 2),
                onChange: (event) => setJson(event.target.value),
              }}
            />
            <Button
              type="button"
              priority="secondary"
              size="small"
              onClick={() => {
                try {
                  const parsed = JSON.parse(json || JSON.stringify(draft)) as EditableDefinition;
                  if (!Array.isArray(parsed.questions)) throw new Error();
                  setDraft(parsed);
                  setJson("");
                  setJsonProblem(undefined);
                  setGeneration((value) => value + 1);
                } catch {
                  setJsonProblem(
                    "Ce texte n'est pas une définition lisible (JSON avec une liste « questions »).",
                  );
                }
              }}
            >
              Appliquer le JSON au brouillon
            </Button>
          </details>
          <Button type="submit" disabled={busy}>
            Enregistrer le brouillon
          </Button>
          <p role="status" className={saved ? "fr-message fr-message--valid" : "fr-sr-only"}>
            {saved ?? ""}
          </p>
        </form>
      </div>
      <div className="fr-col-12 fr-col-lg-6">
        <Preview key={generation} definition={draft} />
      </div>
    </div>
  );
}

function Compare({ questionnaire }: { questionnaire: Questionnaire }) {
  const versions = useResource(`versions:${questionnaire.code}`, (signal) =>
    unwrap(
      api.GET("/api/surveys/questionnaires", {
        params: { query: { code: questionnaire.code, size: 200 } },
        signal,
      }),
    ),
  );
  const others = (versions.data?.items ?? []).filter((item) => item.id !== questionnaire.id);
  const [otherId, setOtherId] = useState("");
  const other = useResource(otherId ? `questionnaire:${otherId}` : null, (signal) =>
    unwrap(
      api.GET("/api/surveys/questionnaires/{questionnaire_id}", {
        params: { path: { questionnaire_id: otherId } },
        signal,
      }),
    ),
  );
  if (versions.problem)
    return (
      <ProblemAlert
        problem={versions.problem}
        unavailable="La liste des versions du questionnaire"
        onRetry={versions.reload}
      />
    );
  if (!versions.data) return null;
  if (others.length === 0) return <p>C'est la seule version de ce questionnaire.</p>;
  const [before, after] = other.data
    ? other.data.version < questionnaire.version
      ? [other.data, questionnaire]
      : [questionnaire, other.data]
    : [];
  const changes = before && after ? compareVersions(definitionOf(before), definitionOf(after)) : [];
  return (
    <>
      <Select
        label="Comparer avec la version"
        nativeSelectProps={{ value: otherId, onChange: (event) => setOtherId(event.target.value) }}
      >
        <option value="">Choisir une version</option>
        {others.map((item) => (
          <option key={item.id} value={item.id}>
            Version {item.version} ({QUESTIONNAIRE_STATUS[item.statut]?.label ?? item.statut})
          </option>
        ))}
      </Select>
      <ProblemAlert problem={other.problem} unavailable="La version à comparer" onRetry={other.reload} />
      {before && after && (
        <div role="status">
          {changes.length === 0 ? (
            <p>
              Les versions {before.version} et {after.version} posent les mêmes questions.
            </p>
          ) : (
            <div
              className="fr-table fr-table--bordered fne-scroll-table"
              tabIndex={0}
              role="region"
              aria-label={`Différences de la version ${before.version} à la version ${after.version}`}
            >
              <table>
                <caption>
                  De la version {before.version} à la version {after.version}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Changement</th>
                    <th scope="col">Détail</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((change) => (
                    <tr
                      key={change.key}
                      className={
                        change.change === "ajoutée"
                          ? "fne-diff-added"
                          : change.change === "retirée"
                            ? "fne-diff-removed"
                            : undefined
                      }
                    >
                      <th scope="row">
                        {change.label} <span className="fr-hint-text">{change.key}</span>
                      </th>
                      <td>{change.change}</td>
                      <td>{change.details.join(" ; ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </>
  );
}

function Actions({
  questionnaire,
  onChanged,
}: {
  questionnaire: Questionnaire;
  onChanged: (message: string) => void;
}) {
  const navigate = useNavigate();
  const { busy, problem, run } = useSubmit();
  const path = { questionnaire_id: questionnaire.id };
  const name = `${questionnaire.titre}, version ${questionnaire.version}`;
  return (
    <>
      <ProblemAlert problem={namedErrors(problem, definitionOf(questionnaire))} focus />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-mb-3w">
        {questionnaire.statut === "draft" && (
          <>
            <li>
              <ConfirmButton
                label="Publier cette version"
                priority="primary"
                title={`Publier « ${name} » ?`}
                confirmLabel="Publier"
                onConfirm={() =>
                  run(async () => {
                    await unwrap(
                      api.POST("/api/surveys/questionnaires/{questionnaire_id}/publication", {
                        params: { path },
                      }),
                    );
                    onChanged(
                      "Version publiée : elle ne change plus, et des campagnes peuvent s'ouvrir dessus.",
                    );
                  })
                }
              >
                <p>
                  Une version publiée ne se modifie plus : ses clés gardent leur sens pour toujours. Pour
                  corriger ensuite, vous créerez la version suivante.
                </p>
              </ConfirmButton>
            </li>
            <li>
              <ConfirmButton
                label="Supprimer ce brouillon"
                title={`Supprimer le brouillon « ${name} » ?`}
                confirmLabel="Supprimer le brouillon"
                onConfirm={() =>
                  run(async () => {
                    await unwrap(
                      api.DELETE("/api/surveys/questionnaires/{questionnaire_id}", { params: { path } }),
                    );
                    navigate("/administration/questionnaires");
                  })
                }
              >
                <p>Le brouillon et ses questions sont effacés. Les versions publiées ne sont pas touchées.</p>
              </ConfirmButton>
            </li>
          </>
        )}
        {questionnaire.statut === "published" && (
          <>
            <li>
              <Button linkProps={{ to: `/administration/campagnes?questionnaire=${questionnaire.id}` }}>
                Ouvrir une campagne
              </Button>
            </li>
            <li>
              <ConfirmButton
                label="Retirer cette version"
                title={`Retirer « ${name} » ?`}
                confirmLabel="Retirer la version"
                onConfirm={() =>
                  run(async () => {
                    await unwrap(
                      api.POST("/api/surveys/questionnaires/{questionnaire_id}/retrait", {
                        params: { path },
                      }),
                    );
                    onChanged(
                      "Version retirée : elle ne reçoit plus de réponses ; ses réponses et ses scores restent.",
                    );
                  })
                }
              >
                <p>
                  Elle ne reçoit plus aucune réponse, y compris par les campagnes ouvertes dessus. Ses
                  réponses et ses scores restent.
                </p>
              </ConfirmButton>
            </li>
          </>
        )}
        {questionnaire.statut !== "draft" && (
          <li>
            <Button
              priority="secondary"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const next = await unwrap(
                    api.POST("/api/surveys/questionnaires", { body: questionnaire.definition }),
                  );
                  navigate(`/administration/questionnaires/${next.id}`, {
                    state: {
                      message: `Version ${next.version} créée en brouillon, à partir de la version ${questionnaire.version}.`,
                    },
                  });
                })
              }
            >
              Créer la version suivante
            </Button>
          </li>
        )}
        <li>
          <a
            className="fr-btn fr-btn--tertiary"
            href={`/api/surveys/questionnaires/${questionnaire.id}/xlsform.xlsx`}
            download
          >
            Télécharger en XLSForm (.xlsx)
          </a>
        </li>
      </ul>
    </>
  );
}

function QuestionnaireSheet({ id }: { id: string }) {
  const location = useLocation();
  const [generation, setGeneration] = useState(0);
  const [message, setMessage] = useState<string | undefined>(
    (location.state as { message?: string } | null)?.message,
  );
  const found = useResource(`admin-questionnaire:${id}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/surveys/questionnaires/{questionnaire_id}", {
        params: { path: { questionnaire_id: id } },
        signal,
      }),
    ),
  );
  const data = found.data;
  usePageTitle(data ? `${data.titre}, version ${data.version}` : "Questionnaire");
  if (found.problem)
    return <ProblemAlert problem={found.problem} unavailable="Le questionnaire" onRetry={found.reload} />;
  if (!data) return <Loading />;
  const status = QUESTIONNAIRE_STATUS[data.statut];
  return (
    <>
      <Breadcrumb
        currentPageLabel={`${data.titre}, version ${data.version}`}
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: "Questionnaires", linkProps: { to: "/administration/questionnaires" } },
        ]}
      />
      <h1>
        {data.titre}, version {data.version}{" "}
        <Badge severity={status?.severity ?? "info"} noIcon>
          {status?.label ?? data.statut}
        </Badge>
      </h1>
      <p>
        Code {data.code} · créée le {formatDateTime(data.cree_le)}
        {data.publie_le && <> · publiée le {formatDateTime(data.publie_le)}</>}
        {data.retire_le && <> · retirée le {formatDateTime(data.retire_le)}</>}
      </p>
      <div role="status">
        {message && (
          <Alert
            severity="success"
            small
            description={message}
            className="fr-mb-3w"
            closable
            onClose={() => setMessage(undefined)}
          />
        )}
      </div>
      <Actions
        questionnaire={data}
        onChanged={(text) => {
          setMessage(text);
          setGeneration((value) => value + 1);
        }}
      />
      {data.statut === "draft" ? (
        <Editor key={data.id} questionnaire={data} onSaved={() => setGeneration((value) => value + 1)} />
      ) : (
        <Preview definition={definitionOf(data)} />
      )}
      <section aria-labelledby="comparer-titre" className="fr-mt-6w">
        <h2 id="comparer-titre">Comparer les versions</h2>
        <Compare questionnaire={data} />
      </section>
      <p className="fr-mt-4w">
        <Link to="/administration/questionnaires">Tous les questionnaires</Link>
      </p>
    </>
  );
}

export default function QuestionnairePage() {
  const { id = "" } = useParams();
  return (
    <CoordinatorsOnly>
      <QuestionnaireSheet id={id} />
    </CoordinatorsOnly>
  );
}
