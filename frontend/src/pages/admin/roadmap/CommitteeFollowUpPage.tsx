/**
 * A committee's follow-up as the coordination keeps it: who was invited and who came, the decisions taken, the
 * actions they start with their owners, due dates and status, and the documents published (minutes, slides).
 */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import { fieldMessages, type Problem } from "../../../api/problem";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { optionalText } from "../../../lib/adminForms";
import { formatDate } from "../../../lib/format";
import { frenchReason } from "../../../lib/frenchReasons";
import { useFormFields } from "../../../lib/useFormFields";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { type Meeting, meetingName } from "../../observatory/committees";

import "../../../components/admin/admin.css";

type FollowUp = components["schemas"]["ObservatoryFollowUpOut"];
type Action = components["schemas"]["ObservatoryActionOut"];
type ActionStatus = Action["statut"];
type ParticipantDraft = { nom: string; structure: string; fonction: string; present: boolean };
type ActionDraft = { intitule: string; porteur: string; echeance: string };

export const ACTION_STATUSES: Record<ActionStatus, string> = {
  a_faire: "à faire",
  en_cours: "en cours",
  faite: "faite",
  abandonnee: "abandonnée",
};

const DOCUMENT_NATURES: Record<string, string> = {
  compte_rendu: "Compte rendu",
  support: "Support présenté",
  autre: "Document",
};

const PARTICIPANT_FIELDS: [keyof Omit<ParticipantDraft, "present">, string, string | undefined][] = [
  ["structure", "Structure", "Celle que la personne représente"],
  ["nom", "Nom", "Facultatif"],
  ["fonction", "Fonction", "Facultative"],
];

const ACTION_LABELS = { intitule: "Action", porteur: "Porteur", echeance: "Échéance", statut: "Statut" };

/** The problem's messages about one row of a list (`actions.1.porteur` for `actions.1`), by the row's field. */
export function rowMessages(problem: Problem | undefined, path: string): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    if (!error.field.startsWith(`${path}.`)) continue;
    const field = error.field.slice(path.length + 1).split(".")[0];
    messages[field] = messages[field] ? `${messages[field]} ; ${frenchReason(error)}` : frenchReason(error);
  }
  return messages;
}

function errorState(message: string | undefined) {
  return message ? { state: "error" as const, stateRelatedMessage: message } : {};
}

function Participants({
  meetingId,
  follow,
  onSaved,
}: {
  meetingId: number;
  follow: FollowUp;
  onSaved: () => void;
}) {
  const initial = follow.participants.map((participant) => ({
    nom: participant.nom ?? "",
    structure: participant.structure,
    fonction: participant.fonction ?? "",
    present: participant.present,
  }));
  const { form, setForm, submit, busy, problem } = useFormFields({
    participants: initial as ParticipantDraft[],
  });
  const rows = form.participants;
  const setRow = (index: number, change: Partial<ParticipantDraft>) => {
    setForm({ participants: rows.map((row, at) => (at === index ? { ...row, ...change } : row)) });
  };
  const save = submit(async () => {
    await unwrap(
      api.PUT("/api/observatory/comites/{identifiant}/participants", {
        params: { path: { identifiant: meetingId } },
        body: rows.map((row) => ({
          nom: optionalText(row.nom),
          structure: row.structure,
          fonction: optionalText(row.fonction),
          present: row.present,
        })),
      }),
    );
    onSaved();
  });
  return (
    <form onSubmit={save} noValidate aria-labelledby="participants-titre" className="fr-mt-4w">
      <h2 id="participants-titre">Participants</h2>
      <p className="fr-text--sm">
        {follow.presents} présent(s) sur {follow.participants.length} invité(s). Les noms ne sont montrés
        qu'aux contributeurs ; le public voit les structures.
      </p>
      <ProblemAlert problem={problem} fieldLabels={{ participants: "Participants" }} focus />
      {rows.map((row, index) => {
        const messages = rowMessages(problem, String(index));
        const number = index + 1;
        return (
          <fieldset key={index} className="fr-fieldset fne-slot" aria-label={`Participant ${number}`}>
            <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
              {PARTICIPANT_FIELDS.map(([field, label, hint]) => (
                <div key={field} className="fr-col-12 fr-col-md-3">
                  <Input
                    label={`${label}, participant ${number}`}
                    hintText={hint}
                    {...errorState(messages[field])}
                    nativeInputProps={{
                      value: row[field],
                      autoComplete: "off",
                      onChange: (event) => setRow(index, { [field]: event.target.value }),
                    }}
                  />
                </div>
              ))}
              <div className="fr-col-12 fr-col-md-3">
                <div className="fr-checkbox-group fr-checkbox-group--sm fr-mt-md-4w">
                  <input
                    type="checkbox"
                    id={`present-${index}`}
                    checked={row.present}
                    onChange={(event) => setRow(index, { present: event.target.checked })}
                  />
                  <label className="fr-label" htmlFor={`present-${index}`}>
                    Présent<span className="fr-sr-only">, participant {number}</span>
                  </label>
                </div>
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  onClick={() => setForm({ participants: rows.filter((_, at) => at !== index) })}
                >
                  Enlever le participant {number}
                </Button>
              </div>
            </div>
          </fieldset>
        );
      })}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button
            type="button"
            priority="secondary"
            iconId="fr-icon-add-line"
            onClick={() =>
              setForm({ participants: [...rows, { nom: "", structure: "", fonction: "", present: true }] })
            }
          >
            Ajouter un participant
          </Button>
        </li>
        <li>
          <Button type="submit" disabled={busy}>
            Enregistrer les participants
          </Button>
        </li>
      </ul>
    </form>
  );
}

function ActionRows({
  rows,
  messagesOf,
  onChange,
  removable = true,
}: {
  removable?: boolean;
  rows: ActionDraft[];
  messagesOf: (index: number) => Record<string, string>;
  onChange: (rows: ActionDraft[]) => void;
}) {
  const setRow = (index: number, change: Partial<ActionDraft>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));
  return (
    <>
      {rows.map((row, index) => {
        const messages = messagesOf(index);
        const number = index + 1;
        return (
          <fieldset key={index} className="fr-fieldset fne-slot" aria-label={`Action ${number}`}>
            <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-5">
                <Input
                  label={`Intitulé de l'action ${number}`}
                  {...errorState(messages.intitule)}
                  nativeInputProps={{
                    value: row.intitule,
                    onChange: (event) => setRow(index, { intitule: event.target.value }),
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Input
                  label={`Porteur de l'action ${number}`}
                  hintText="Structure ou personne"
                  {...errorState(messages.porteur)}
                  nativeInputProps={{
                    value: row.porteur,
                    onChange: (event) => setRow(index, { porteur: event.target.value }),
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-md-3">
                <Input
                  label={`Échéance de l'action ${number}`}
                  {...errorState(messages.echeance)}
                  nativeInputProps={{
                    type: "date",
                    value: row.echeance,
                    onChange: (event) => setRow(index, { echeance: event.target.value }),
                  }}
                />
              </div>
            </div>
            {removable && (
              <div className="fr-fieldset__element">
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  onClick={() => onChange(rows.filter((_, at) => at !== index))}
                >
                  Enlever l'action {number}
                </Button>
              </div>
            )}
          </fieldset>
        );
      })}
    </>
  );
}

const EMPTY_ACTION: ActionDraft = { intitule: "", porteur: "", echeance: "" };

function DecisionForm({ meetingId, onSaved }: { meetingId: number; onSaved: () => void }) {
  const { form, setForm, text, state, submit, busy, problem, reset } = useFormFields({
    texte: "",
    actions: [] as ActionDraft[],
  });
  const [saved, setSaved] = useState(false);
  const save = submit(async () => {
    await unwrap(
      api.POST("/api/observatory/comites/{identifiant}/decisions", {
        params: { path: { identifiant: meetingId } },
        body: { texte: form.texte, actions: form.actions },
      }),
    );
    reset();
    setSaved(true);
    onSaved();
  });
  return (
    <form onSubmit={save} noValidate aria-labelledby="decision-titre" className="fr-mt-4w">
      <h3 id="decision-titre">Enregistrer une décision</h3>
      <ProblemAlert problem={problem} fieldLabels={{ texte: "Décision", actions: "Actions" }} focus />
      <div role="status">
        {saved && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">Décision enregistrée.</p>}
      </div>
      <Input
        label="Décision"
        textArea
        {...state("texte")}
        nativeTextAreaProps={{ rows: 2, ...text("texte") }}
      />
      <ActionRows
        rows={form.actions}
        messagesOf={(index) => rowMessages(problem, `actions.${index}`)}
        onChange={(actions) => setForm((current) => ({ ...current, actions }))}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button
            type="button"
            priority="secondary"
            iconId="fr-icon-add-line"
            onClick={() =>
              setForm((current) => ({ ...current, actions: [...current.actions, EMPTY_ACTION] }))
            }
          >
            Ajouter une action à cette décision
          </Button>
        </li>
        <li>
          <Button type="submit" disabled={busy}>
            Enregistrer la décision
          </Button>
        </li>
      </ul>
    </form>
  );
}

function StandaloneActionForm({ meetingId, onSaved }: { meetingId: number; onSaved: () => void }) {
  const { form, setForm, submit, busy, problem, reset } = useFormFields({ actions: [EMPTY_ACTION] });
  const save = submit(async () => {
    await unwrap(
      api.POST("/api/observatory/comites/{identifiant}/actions", {
        params: { path: { identifiant: meetingId } },
        body: form.actions[0],
      }),
    );
    reset();
    onSaved();
  });
  const messages = fieldMessages(problem);
  return (
    <form onSubmit={save} noValidate aria-labelledby="action-titre" className="fr-mt-4w">
      <h3 id="action-titre">Ajouter une action hors décision</h3>
      <ProblemAlert problem={problem} fieldLabels={ACTION_LABELS} focus />
      <ActionRows
        rows={form.actions}
        removable={false}
        messagesOf={() => messages}
        onChange={(actions) => setForm({ actions: actions.length ? actions : [EMPTY_ACTION] })}
      />
      <Button type="submit" disabled={busy}>
        Ajouter l'action
      </Button>
    </form>
  );
}

function ActionStatusCell({ action, onChanged }: { action: Action; onChanged: (message: string) => void }) {
  const { form, text, submit, busy, problem, state } = useFormFields({
    statut: action.statut as string,
    echeance: action.echeance,
    porteur: action.porteur,
  });
  const save = submit(async () => {
    await unwrap(
      api.PATCH("/api/observatory/comites/actions/{action_id}", {
        params: { path: { action_id: action.id } },
        body: {
          statut: form.statut as ActionStatus,
          echeance: form.echeance || null,
          porteur: optionalText(form.porteur),
        },
      }),
    );
    onChanged(`Action « ${action.intitule} » : ${ACTION_STATUSES[form.statut as ActionStatus]}.`);
  });
  return (
    <form
      onSubmit={save}
      noValidate
      aria-label={`Suivi de l'action ${action.intitule}`}
      className="fne-action-form"
    >
      <ProblemAlert problem={problem} fieldLabels={ACTION_LABELS} />
      <Select label="Statut" {...state("statut")} nativeSelectProps={text("statut")}>
        {Object.entries(ACTION_STATUSES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <Input
        label="Échéance"
        {...state("echeance")}
        nativeInputProps={{ type: "date", ...text("echeance") }}
      />
      <Input label="Porteur" {...state("porteur")} nativeInputProps={text("porteur")} />
      <Button type="submit" size="small" priority="secondary" disabled={busy}>
        Mettre à jour<span className="fr-sr-only"> l'action {action.intitule}</span>
      </Button>
    </form>
  );
}

function ActionsTable({ follow, onChanged }: { follow: FollowUp; onChanged: (message: string) => void }) {
  const decisions = new Map(follow.decisions.map((decision, index) => [decision.id, index + 1]));
  const actions = [
    ...follow.decisions.flatMap((decision) => decision.actions),
    ...follow.actions_hors_decision,
  ];
  if (actions.length === 0) return <p>Aucune action pour l'instant.</p>;
  return (
    <DataTable<Action>
      caption="Actions et leur avancement"
      rows={actions}
      rowKey={(row) => String(row.id)}
      initialSort={{ key: "echeance", direction: "ascending" }}
      columns={[
        {
          key: "intitule",
          label: "Action",
          rowHeader: true,
          sortValue: (row) => row.intitule,
          render: (row) => (
            <>
              {row.intitule}
              <span className="fr-hint-text">
                {row.decision ? `Décision ${decisions.get(row.decision) ?? ""}` : "Hors décision"}
              </span>
            </>
          ),
        },
        { key: "porteur", label: "Porteur", sortValue: (row) => row.porteur, render: (row) => row.porteur },
        {
          key: "echeance",
          label: "Échéance",
          sortValue: (row) => row.echeance,
          render: (row) => (
            <>
              {formatDate(row.echeance)}{" "}
              {row.en_retard && (
                <Badge small noIcon severity="error">
                  en retard
                </Badge>
              )}
            </>
          ),
        },
        {
          key: "statut",
          label: "Statut",
          sortValue: (row) => row.statut,
          render: (row) => (
            <Badge
              small
              noIcon
              severity={row.statut === "faite" ? "success" : row.statut === "abandonnee" ? "new" : "info"}
            >
              {ACTION_STATUSES[row.statut]}
              {row.faite_le ? ` le ${formatDate(row.faite_le)}` : ""}
            </Badge>
          ),
        },
        {
          key: "suivi",
          label: "Suivi",
          render: (row) => (
            <ActionStatusCell
              key={`${row.id}:${row.statut}:${row.echeance}`}
              action={row}
              onChanged={onChanged}
            />
          ),
        },
      ]}
    />
  );
}

function Documents({ meeting }: { meeting: Meeting }) {
  const documents = meeting.documents ?? [];
  return (
    <section aria-labelledby="documents-titre" className="fr-mt-4w">
      <h2 id="documents-titre">Documents</h2>
      {documents.length === 0 ? (
        <p>Ni compte rendu ni support publié pour l'instant.</p>
      ) : (
        <ul>
          {documents.map((document, index) => (
            <li key={index}>
              {DOCUMENT_NATURES[document.nature] ?? "Document"} :{" "}
              <a
                href={document.url}
                target="_blank"
                rel="noopener noreferrer"
                title={`${document.titre} (nouvelle fenêtre)`}
              >
                {document.titre}
              </a>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/administration/comites?modifier=${meeting.id}`}>
          Ajouter ou corriger les documents (compte rendu, support) de la réunion
        </Link>
      </p>
    </section>
  );
}

function FollowUpSheet({ id }: { id: number }) {
  const [generation, setGeneration] = useState(0);
  const [message, setMessage] = useState<string>();
  const meeting = useResource(`admin-meeting:${id}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/comites/{identifiant}", { params: { path: { identifiant: id } }, signal }),
    ),
  );
  const follow = useResource(`admin-follow-up:${id}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/observatory/comites/{identifiant}/suivi", {
        params: { path: { identifiant: id } },
        signal,
      }),
    ),
  );
  const title = meeting.data ? `Suivi du ${meetingName(meeting.data)}` : "Suivi d'une réunion";
  usePageTitle(title);
  const reload = (text?: string) => {
    setMessage(text);
    setGeneration((value) => value + 1);
  };
  if (meeting.problem)
    return <ProblemAlert problem={meeting.problem} unavailable="La réunion" onRetry={meeting.reload} />;
  if (!meeting.data) return <Loading />;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Suivi"
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: "Comités", linkProps: { to: "/administration/comites" } },
        ]}
      />
      <h1>{title}</h1>
      <p>
        {meeting.data.titre}
        {meeting.data.lieu ? `, ${meeting.data.lieu}` : ""} ·{" "}
        <Link to={`/observatoire/comites/${id}`}>Lire le rapport de la réunion</Link>
      </p>
      <div role="status">
        {message && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{message}</p>}
      </div>
      <ProblemAlert problem={follow.problem} unavailable="Le suivi de la réunion" onRetry={follow.reload} />
      <Documents meeting={meeting.data} />
      {!follow.data ? (
        !follow.problem && <Loading />
      ) : (
        <>
          <Participants
            key={`participants-${generation}`}
            meetingId={id}
            follow={follow.data}
            onSaved={() => reload("Participants enregistrés.")}
          />
          <section aria-labelledby="decisions-titre" className="fr-mt-6w">
            <h2 id="decisions-titre">Décisions</h2>
            {follow.data.decisions.length === 0 ? (
              <p>Aucune décision enregistrée.</p>
            ) : (
              <ol>
                {follow.data.decisions.map((decision) => (
                  <li key={decision.id}>
                    {decision.texte}
                    {decision.actions.length > 0 && ` (${decision.actions.length} action(s))`}
                  </li>
                ))}
              </ol>
            )}
            <DecisionForm meetingId={id} onSaved={() => reload()} />
          </section>
          <section aria-labelledby="actions-titre" className="fr-mt-6w">
            <h2 id="actions-titre">Actions</h2>
            <ActionsTable follow={follow.data} onChanged={(text) => reload(text)} />
            <StandaloneActionForm meetingId={id} onSaved={() => reload("Action ajoutée.")} />
          </section>
        </>
      )}
    </>
  );
}

export default function CommitteeFollowUpPage() {
  const { id = "" } = useParams();
  return (
    <RequireScope scope="observatory:write">
      <FollowUpSheet id={Number(id)} />
    </RequireScope>
  );
}
