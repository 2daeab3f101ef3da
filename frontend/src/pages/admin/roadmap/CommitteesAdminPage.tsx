/**
 * Committee meetings as the coordination records them: type, date, title, place, documents and notes; each
 * then has its report (the observatory writes it from the roadmap's state on that day).
 */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import { FormActions } from "../../../components/admin/FormActions";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { fieldStates, optionalText } from "../../../lib/adminForms";
import { formatDate } from "../../../lib/format";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { type Meeting, meetingName } from "../../observatory/committees";
import { MEETING_KIND, type MeetingKind } from "./labels";

const LABELS = {
  type: "Type de réunion",
  date: "Date",
  titre: "Titre",
  lieu: "Lieu",
  notes: "Notes",
  documents: "Documents",
};

interface Draft {
  type: MeetingKind;
  date: string;
  titre: string;
  lieu: string;
  notes: string;
  documents: { titre: string; url: string; nature: DocumentNature }[];
}

type DocumentNature = "compte_rendu" | "support" | "autre";
const DOCUMENT_NATURES: Record<DocumentNature, string> = {
  compte_rendu: "Compte rendu",
  support: "Support présenté",
  autre: "Autre",
};

const EMPTY: Draft = { type: "comite_suivi", date: "", titre: "", lieu: "", notes: "", documents: [] };

function draftOf(meeting: Meeting): Draft {
  return {
    type: meeting.type,
    date: meeting.date,
    titre: meeting.titre,
    lieu: meeting.lieu ?? "",
    notes: meeting.notes ?? "",
    documents: (meeting.documents ?? []).map((document) => ({
      titre: document.titre,
      url: document.url,
      nature: document.nature ?? "autre",
    })),
  };
}

function MeetingForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing?: Meeting;
  onSaved: (meeting: Meeting, created: boolean) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<Draft>(editing ? draftOf(editing) : EMPTY);
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = {
        type: form.type,
        date: form.date,
        titre: form.titre,
        lieu: optionalText(form.lieu),
        notes: optionalText(form.notes),
        documents: form.documents.filter((document) => document.titre || document.url),
      };
      const saved = editing
        ? await unwrap(
            api.PUT("/api/observatory/comites/{identifiant}", {
              params: { path: { identifiant: editing.id } },
              body,
            }),
          )
        : await unwrap(api.POST("/api/observatory/comites", { body }));
      onSaved(saved, !editing);
      setForm(EMPTY);
    });
  };
  const setDocument = (index: number, change: Partial<Draft["documents"][number]>) =>
    setForm({
      ...form,
      documents: form.documents.map((document, at) => (at === index ? { ...document, ...change } : document)),
    });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="reunion-titre">
      <h2 id="reunion-titre">{editing ? `Modifier : ${meetingName(editing)}` : "Enregistrer une réunion"}</h2>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={LABELS.type}
            {...state("type")}
            nativeSelectProps={{
              value: form.type,
              onChange: (event) => setForm({ ...form, type: event.target.value as MeetingKind }),
            }}
          >
            {Object.entries(MEETING_KIND).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={LABELS.date}
            {...state("date")}
            nativeInputProps={{
              type: "date",
              required: true,
              value: form.date,
              onChange: (event) => setForm({ ...form, date: event.target.value }),
            }}
          />
        </div>
      </div>
      <Input
        label={LABELS.titre}
        {...state("titre")}
        nativeInputProps={{
          required: true,
          value: form.titre,
          onChange: (event) => setForm({ ...form, titre: event.target.value }),
        }}
      />
      <Input
        label={LABELS.lieu}
        hintText="Facultatif"
        {...state("lieu")}
        nativeInputProps={{
          value: form.lieu,
          onChange: (event) => setForm({ ...form, lieu: event.target.value }),
        }}
      />
      <Input
        label={LABELS.notes}
        hintText="Facultatives : décisions, prochaine réunion…"
        textArea
        {...state("notes")}
        nativeTextAreaProps={{
          rows: 4,
          value: form.notes,
          onChange: (event) => setForm({ ...form, notes: event.target.value }),
        }}
      />
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-text--regular">
          {LABELS.documents}{" "}
          <span className="fr-hint-text">Diaporama, compte rendu… (liens, facultatifs)</span>
        </legend>
        {form.documents.map((document, index) => (
          <div key={index} className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-4">
              <Input
                label={`Titre du document ${index + 1}`}
                nativeInputProps={{
                  value: document.titre,
                  onChange: (event) => setDocument(index, { titre: event.target.value }),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Input
                label={`Adresse du document ${index + 1}`}
                nativeInputProps={{
                  type: "url",
                  placeholder: "https://",
                  value: document.url,
                  onChange: (event) => setDocument(index, { url: event.target.value }),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Select
                label={`Nature du document ${index + 1}`}
                nativeSelectProps={{
                  value: document.nature,
                  onChange: (event) => setDocument(index, { nature: event.target.value as DocumentNature }),
                }}
              >
                {Object.entries(DOCUMENT_NATURES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-2">
              <Button
                type="button"
                priority="tertiary"
                size="small"
                onClick={() =>
                  setForm({ ...form, documents: form.documents.filter((_, at) => at !== index) })
                }
              >
                Enlever le document {index + 1}
              </Button>
            </div>
          </div>
        ))}
        <div className="fr-fieldset__element">
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-add-line"
            onClick={() =>
              setForm({
                ...form,
                documents: [...form.documents, { titre: "", url: "", nature: "compte_rendu" }],
              })
            }
          >
            Ajouter un document
          </Button>
        </div>
      </fieldset>
      <FormActions
        busy={busy}
        label={editing ? "Enregistrer les modifications" : "Enregistrer la réunion"}
        onCancel={editing ? onCancel : undefined}
      />
    </form>
  );
}

function Committees() {
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<Meeting>();
  const [saved, setSaved] = useState<Meeting>();
  const formRef = useRef<HTMLDivElement>(null);
  const meetings = useResource(`admin-meetings:${generation}`, (signal) =>
    unwrap(api.GET("/api/observatory/comites", { params: { query: { size: 100 } }, signal })),
  );
  // « Ajouter ou corriger les documents » on a meeting's follow-up opens its form here.
  const [params, setParams] = useSearchParams();
  const asked = params.get("modifier");
  useEffect(() => {
    const meeting = meetings.data?.items.find((item) => String(item.id) === asked);
    if (!meeting) return;
    setEditing(meeting);
    setParams({}, { replace: true });
    window.setTimeout(() => formRef.current?.scrollIntoView(), 0);
  }, [asked, meetings.data, setParams]);
  return (
    <>
      <p>
        Avant la réunion, mettez à jour la <Link to="/administration/feuille-de-route">feuille de route</Link>{" "}
        (statuts, valeurs, jalons) ; le rapport de la réunion les lit à sa date et montre ce qui a changé
        depuis la réunion précédente de même type.
      </p>
      <div role="status">
        {saved && (
          <p className="fr-message fr-message--valid">
            Réunion enregistrée :{" "}
            <Link to={`/observatoire/comites/${saved.id}`}>lire le rapport du {meetingName(saved)}</Link> ou{" "}
            <Link to={`/administration/comites/${saved.id}`}>
              suivre ses participants, décisions et actions
            </Link>
          </p>
        )}
      </div>
      <ProblemAlert
        problem={meetings.problem}
        unavailable="La liste des réunions"
        onRetry={meetings.reload}
      />
      {meetings.loading && !meetings.data && <Loading />}
      {meetings.data && meetings.data.items.length === 0 && <p>Aucune réunion n'est encore enregistrée.</p>}
      {meetings.data && meetings.data.items.length > 0 && (
        <DataTable<Meeting>
          caption="Réunions enregistrées"
          rows={meetings.data.items}
          rowKey={(row) => String(row.id)}
          initialSort={{ key: "date", direction: "descending" }}
          columns={[
            {
              key: "date",
              label: "Date",
              sortValue: (row) => row.date,
              rowHeader: true,
              render: (row) => formatDate(row.date),
            },
            {
              key: "type",
              label: "Type",
              sortValue: (row) => MEETING_KIND[row.type],
              render: (row) => MEETING_KIND[row.type],
            },
            { key: "titre", label: "Titre", sortValue: (row) => row.titre, render: (row) => row.titre },
            { key: "lieu", label: "Lieu", sortValue: (row) => row.lieu, render: (row) => row.lieu ?? "—" },
            {
              key: "actions",
              label: "Actions",
              render: (row) => (
                <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                  <li>
                    <Button
                      linkProps={{ to: `/observatoire/comites/${row.id}` }}
                      priority="tertiary"
                      size="small"
                    >
                      Rapport<span className="fr-sr-only"> du {meetingName(row)}</span>
                    </Button>
                  </li>
                  <li>
                    <Button
                      linkProps={{ to: `/administration/comites/${row.id}` }}
                      priority="tertiary"
                      size="small"
                    >
                      Suivi<span className="fr-sr-only"> du {meetingName(row)}</span>
                    </Button>
                  </li>
                  <li>
                    <Button
                      priority="tertiary"
                      size="small"
                      onClick={() => {
                        setEditing(row);
                        setSaved(undefined);
                        formRef.current?.scrollIntoView();
                      }}
                    >
                      Modifier<span className="fr-sr-only"> le {meetingName(row)}</span>
                    </Button>
                  </li>
                </ul>
              ),
            },
          ]}
        />
      )}
      <div ref={formRef} className="fr-mt-6w">
        <MeetingForm
          key={editing?.id ?? "nouvelle"}
          editing={editing}
          onCancel={() => setEditing(undefined)}
          onSaved={(meeting) => {
            setSaved(meeting);
            setEditing(undefined);
            setGeneration((value) => value + 1);
          }}
        />
      </div>
    </>
  );
}

export default function CommitteesAdminPage() {
  usePageTitle("Comités de suivi");
  return (
    <RequireScope scope="observatory:write">
      <Breadcrumb
        currentPageLabel="Comités"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Comités de suivi</h1>
      <Committees />
    </RequireScope>
  );
}
