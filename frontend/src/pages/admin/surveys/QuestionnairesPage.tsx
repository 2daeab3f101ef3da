/**
 * Questionnaires as coordinators author them: every version with its state, a new questionnaire from an
 * XLSForm file (.xlsx or JSON) or from scratch; each version then opens for editing, preview and publication.
 */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";

import { api, unwrap } from "../../../api/client";
import { ApiProblem } from "../../../api/problem";
import type { components } from "../../../api/schema";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, fileBytes, fileText } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { namedErrors } from "../../../lib/questionnaireEditing";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { CoordinatorsOnly } from "./CoordinatorsOnly";
import { DESIGN_MODES, QUESTIONNAIRE_STATUS } from "./labels";

type Summary = components["schemas"]["SurveysQuestionnaireSummary"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function ImportForm() {
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const { busy, problem, setProblem, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setProblem({
        title: "Fichier manquant",
        status: 422,
        errors: [{ field: "fichier", reason: "choisissez un fichier XLSForm (.xlsx ou .json)" }],
      });
      return;
    }
    void run(async () => {
      const isJson = file.name.toLowerCase().endsWith(".json") || file.type === "application/json";
      let created;
      if (isJson) {
        let document: unknown;
        try {
          document = JSON.parse(await fileText(file));
        } catch {
          throw new ApiProblem({
            title: "Fichier illisible",
            status: 422,
            errors: [{ field: "fichier", reason: "ce fichier n'est pas un document JSON valide" }],
          });
        }
        created = await unwrap(
          api.POST("/api/surveys/questionnaires/xlsform", { body: document as Record<string, never> }),
        );
      } else {
        created = await unwrap(
          api.POST("/api/surveys/questionnaires/xlsform.xlsx", {
            body: (await fileBytes(file)) as never,
            bodySerializer: (body: unknown) => body as ArrayBuffer,
            headers: { "content-type": XLSX },
          }),
        );
      }
      navigate(`/administration/questionnaires/${created.id}`, {
        state: { message: "Brouillon importé : prévisualisez-le, puis publiez-le." },
      });
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="import-titre" className="fr-mb-6w">
      <h2 id="import-titre">Importer un XLSForm</h2>
      <p>
        Un classeur écrit dans Excel ou LibreOffice (feuilles <em>survey</em>, <em>choices</em>,{" "}
        <em>settings</em>, et <em>scoring</em> pour la notation), ou sa version JSON. Il devient un brouillon
        : la version suivante si le code existe déjà.
      </p>
      <ProblemAlert problem={namedErrors(problem, undefined)} fieldLabels={{ fichier: "Fichier" }} focus />
      <div className="fr-upload-group fr-mb-3w">
        <label className="fr-label" htmlFor="xlsform-fichier">
          Fichier XLSForm
          <span className="fr-hint-text">Formats acceptés : .xlsx, .json</span>
        </label>
        <input
          className="fr-upload"
          type="file"
          id="xlsform-fichier"
          accept=".xlsx,.json,application/json"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <Button type="submit" disabled={busy}>
        Importer le questionnaire
      </Button>
    </form>
  );
}

function NewForm() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ code: "", title: "", mode: "both" as "both" | "mediator" | "self" });
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await unwrap(
        api.POST("/api/surveys/questionnaires", {
          body: {
            code: form.code,
            title: { fr: form.title },
            mode: form.mode,
            questions: [
              { key: "premiere_question", type: "text", label: { fr: "Première question" }, required: false },
            ],
          } as never,
        }),
      );
      navigate(`/administration/questionnaires/${created.id}`, {
        state: { message: "Brouillon créé : écrivez ses questions." },
      });
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="nouveau-titre" className="fr-mb-6w">
      <h2 id="nouveau-titre">Écrire un nouveau questionnaire</h2>
      <ProblemAlert problem={namedErrors(problem, undefined)} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Code"
            hintText="Minuscules, chiffres et tirets, ex. sentiment-citoyen ; il reste le même d'une version à l'autre"
            {...state("code")}
            nativeInputProps={{
              value: form.code,
              onChange: (event) => setForm({ ...form, code: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-5">
          <Input
            label="Titre"
            {...state("title")}
            nativeInputProps={{
              value: form.title,
              onChange: (event) => setForm({ ...form, title: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Select
            label="Qui le remplit"
            {...state("mode")}
            nativeSelectProps={{
              value: form.mode,
              onChange: (event) => setForm({ ...form, mode: event.target.value as typeof form.mode }),
            }}
          >
            {Object.entries(DESIGN_MODES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Button type="submit" priority="secondary" disabled={busy}>
        Créer le brouillon
      </Button>
    </form>
  );
}

function Questionnaires() {
  const list = useResource("admin-questionnaires", (signal) =>
    unwrap(api.GET("/api/surveys/questionnaires", { params: { query: { size: 200 } }, signal })),
  );
  return (
    <>
      <ProblemAlert problem={list.problem} unavailable="La liste des questionnaires" onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p>Aucun questionnaire pour l'instant.</p>}
      {list.data && list.data.items.length > 0 && (
        <DataTable<Summary>
          caption="Versions des questionnaires"
          rows={list.data.items}
          rowKey={(row) => row.id}
          columns={[
            {
              key: "titre",
              label: "Questionnaire",
              rowHeader: true,
              sortValue: (row) => row.titre,
              render: (row) => (
                <Link to={`/administration/questionnaires/${row.id}`}>
                  {row.titre}, version {row.version}
                </Link>
              ),
            },
            { key: "code", label: "Code", sortValue: (row) => row.code, render: (row) => row.code },
            {
              key: "status",
              label: "État",
              sortValue: (row) => QUESTIONNAIRE_STATUS[row.statut]?.label,
              render: (row) => (
                <Badge severity={QUESTIONNAIRE_STATUS[row.statut]?.severity ?? "info"} small noIcon>
                  {QUESTIONNAIRE_STATUS[row.statut]?.label ?? row.statut}
                </Badge>
              ),
            },
            {
              key: "cree_le",
              label: "Créée le",
              sortValue: (row) => row.cree_le,
              render: (row) => formatDateTime(row.cree_le),
            },
            {
              key: "publie_le",
              label: "Publiée le",
              sortValue: (row) => row.publie_le,
              render: (row) => (row.publie_le ? formatDateTime(row.publie_le) : "—"),
            },
          ]}
        />
      )}
    </>
  );
}

export default function QuestionnairesPage() {
  usePageTitle("Questionnaires");
  return (
    <CoordinatorsOnly>
      <Breadcrumb
        currentPageLabel="Questionnaires"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Questionnaires</h1>
      <p>
        Une version publiée ne change plus : ses réponses gardent leur sens. Pour corriger, créez la version
        suivante. Les campagnes s'ouvrent sur une version publiée :{" "}
        <Link to="/administration/campagnes">campagnes</Link>.
      </p>
      <Questionnaires />
      <ImportForm />
      <NewForm />
    </CoordinatorsOnly>
  );
}
