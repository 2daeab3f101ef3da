/**
 * Uploading a dataset to the observatory: the file, what it is (dataset, title, source, vintage), which column
 * holds the territory's code and the period, and which column gives each indicator. "Vérifier" asks the
 * observatory for the validation report without storing anything; "Importer" stores a version to publish next.
 */
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useState } from "react";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { ImportReport } from "../../../components/ImportReport";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { LEVEL_LABELS } from "../../../lib/indicators";
import {
  type ColumnChoice,
  csvColumns,
  type ImportForm as FormState,
  type ImportReportData,
  importParameters,
  parameterErrors,
  reportOf,
} from "../../../lib/observatoryImport";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import type { ImportOut } from "./imports";

type Indicator = components["schemas"]["ObservatoryIndicatorOut"];

const IMPORT_LEVELS = ["commune", "epci", "departement", "region"];
const EMPTY_CHOICE: ColumnChoice = { indicateur: "", valeur: "", numerateur: "", denominateur: "" };
const INITIAL: FormState = {
  jeu: "",
  titre: "",
  source: "",
  millesime: "",
  statut: "definitif",
  niveau: "commune",
  colonne_code: "",
  periodeDe: "fichier",
  periode: "",
  colonne_periode: "",
  colonnes: [EMPTY_CHOICE],
  feuille: "",
};
const FIELD_LABELS = { parametres: "Paramètres", fichier: "Fichier" };

function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function ColumnInput(props: {
  label: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
  hint?: string;
}) {
  return (
    <Input
      label={props.label}
      hintText={props.hint}
      state={props.error ? "error" : "default"}
      stateRelatedMessage={props.error}
      nativeInputProps={{
        value: props.value,
        list: "colonnes-du-fichier",
        autoComplete: "off",
        onChange: (event) => props.onChange(event.target.value),
      }}
    />
  );
}

export function ImportForm({ onImported }: { onImported: (created: ImportOut) => void }) {
  const [form, setForm] = useState<FormState>(INITIAL);
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [report, setReport] = useState<ImportReportData>();
  const { busy, problem, setProblem, run } = useSubmit();
  const catalogue = useResource("importable-indicators", (signal) =>
    unwrap(api.GET("/api/observatory/indicateurs", { params: { query: { size: 200 } }, signal })),
  );
  // Only indicators that come from files can be imported; the others are computed by the observatory.
  const importable: Indicator[] = (catalogue.data?.items ?? []).filter(
    (indicator) => indicator.producteur === "import",
  );
  const ratios = new Set(
    importable.filter((indicator) => indicator.agregation === "ratio").map((indicator) => indicator.code),
  );
  const errors = parameterErrors(problem);
  const shownReport = reportOf(problem) ?? report;

  const set = <K extends keyof FormState>(name: K, value: FormState[K]) =>
    setForm((previous) => ({ ...previous, [name]: value }));
  const setChoice = (index: number, change: Partial<ColumnChoice>) =>
    set(
      "colonnes",
      form.colonnes.map((choice, position) => (position === index ? { ...choice, ...change } : choice)),
    );

  const chooseFile = async (chosen: File | null) => {
    setFile(chosen);
    setReport(undefined);
    // A CSV's header is read here to propose its columns; a workbook's are listed by the report.
    setColumns(
      chosen && !/\.xlsx$/i.test(chosen.name) ? csvColumns(await readText(chosen.slice(0, 64 * 1024))) : [],
    );
  };

  const send = (check: boolean) => {
    if (!file) {
      setProblem({
        title: "Aucun fichier choisi",
        status: 0,
        errors: [{ field: "fichier", reason: "choisissez le fichier à importer" }],
      });
      return;
    }
    void run(async () => {
      setReport(undefined);
      const body = new FormData();
      body.append("fichier", file);
      body.append("parametres", JSON.stringify(importParameters(form, ratios)));
      if (check) {
        const checked = await unwrap(
          api.POST("/api/observatory/imports/validation", { body: body as never }),
        );
        setReport(checked as unknown as ImportReportData);
        return;
      }
      onImported(await unwrap(api.POST("/api/observatory/imports", { body: body as never })));
    });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send(false);
      }}
      noValidate
    >
      <h2 className="fr-h4">Importer un jeu de données</h2>
      <ProblemAlert problem={problem} fieldLabels={FIELD_LABELS} focus />
      <Upload
        className="fr-mb-3w"
        label="Fichier"
        hint="CSV (séparateur , ou ;, UTF-8 ou Windows-1252, virgule décimale acceptée) ou classeur XLSX, une ligne par territoire et période."
        state={errors.fichier ? "error" : "default"}
        stateRelatedMessage={errors.fichier}
        nativeInputProps={{
          name: "fichier",
          accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          onChange: (event) => void chooseFile(event.target.files?.[0] ?? null),
        }}
      />
      {columns.length > 0 && <p className="fr-text--sm">Colonnes du fichier : {columns.join(", ")}.</p>}
      <datalist id="colonnes-du-fichier">
        {columns.map((column) => (
          <option key={column} value={column} />
        ))}
      </datalist>

      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">Le jeu de données</legend>
        <div className="fr-fieldset__element">
          <Input
            label="Identifiant du jeu"
            hintText="En minuscules, chiffres et tirets, ex. « ifn-savoie ». Un nouvel import du même jeu en est la version suivante."
            state={errors.jeu ? "error" : "default"}
            stateRelatedMessage={errors.jeu}
            nativeInputProps={{ value: form.jeu, onChange: (event) => set("jeu", event.target.value) }}
          />
          <Input
            label="Titre"
            state={errors.titre ? "error" : "default"}
            stateRelatedMessage={errors.titre}
            nativeInputProps={{ value: form.titre, onChange: (event) => set("titre", event.target.value) }}
          />
          <Input
            label="Source"
            hintText="Producteur et publication, ex. « Mednum, indice de fragilité numérique »."
            state={errors.source ? "error" : "default"}
            stateRelatedMessage={errors.source}
            nativeInputProps={{ value: form.source, onChange: (event) => set("source", event.target.value) }}
          />
          <Input
            label="Millésime"
            state={errors.millesime ? "error" : "default"}
            stateRelatedMessage={errors.millesime}
            nativeInputProps={{
              value: form.millesime,
              onChange: (event) => set("millesime", event.target.value),
            }}
          />
          <RadioButtons
            legend="Statut des valeurs"
            orientation="horizontal"
            options={[
              {
                label: "Définitives",
                nativeInputProps: {
                  checked: form.statut === "definitif",
                  onChange: () => set("statut", "definitif"),
                },
              },
              {
                label: "Provisoires",
                nativeInputProps: {
                  checked: form.statut === "provisoire",
                  onChange: () => set("statut", "provisoire"),
                },
              },
            ]}
          />
        </div>
      </fieldset>

      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">Les territoires et les périodes</legend>
        <div className="fr-fieldset__element">
          <Select
            label="Les lignes sont des"
            nativeSelectProps={{ value: form.niveau, onChange: (event) => set("niveau", event.target.value) }}
          >
            {IMPORT_LEVELS.map((level) => (
              <option key={level} value={level}>
                {LEVEL_LABELS[level]}
              </option>
            ))}
          </Select>
          <ColumnInput
            label="Colonne du code du territoire"
            hint="Code INSEE d'une commune, SIREN d'une intercommunalité, code d'un département ou d'une région."
            value={form.colonne_code}
            error={errors.colonne_code}
            onChange={(value) => set("colonne_code", value)}
          />
          <RadioButtons
            legend="La période"
            orientation="horizontal"
            options={[
              {
                label: "La même pour tout le fichier",
                nativeInputProps: {
                  checked: form.periodeDe === "fichier",
                  onChange: () => set("periodeDe", "fichier"),
                },
              },
              {
                label: "Donnée par une colonne",
                nativeInputProps: {
                  checked: form.periodeDe === "colonne",
                  onChange: () => set("periodeDe", "colonne"),
                },
              },
            ]}
          />
          {form.periodeDe === "fichier" ? (
            <Input
              label="Période"
              hintText="AAAA, AAAA-T1 à AAAA-T4, AAAA-MM ou AAAA-MM-JJ, selon la périodicité des indicateurs."
              state={errors.periode ? "error" : "default"}
              stateRelatedMessage={errors.periode}
              nativeInputProps={{
                value: form.periode,
                onChange: (event) => set("periode", event.target.value),
              }}
            />
          ) : (
            <ColumnInput
              label="Colonne de la période"
              value={form.colonne_periode}
              error={errors.colonne_periode}
              onChange={(value) => set("colonne_periode", value)}
            />
          )}
          <Input
            label="Feuille du classeur (facultatif)"
            hintText="Pour un fichier XLSX : la première feuille sinon."
            state={errors.feuille ? "error" : "default"}
            stateRelatedMessage={errors.feuille}
            nativeInputProps={{
              value: form.feuille,
              onChange: (event) => set("feuille", event.target.value),
            }}
          />
        </div>
      </fieldset>

      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">Les indicateurs et leurs colonnes</legend>
        {errors.indicateurs && <p className="fr-error-text fr-fieldset__element">{errors.indicateurs}</p>}
        {form.colonnes.map((choice, index) => {
          const error = errors[`indicateurs.${choice.indicateur}`];
          const number = index + 1;
          return (
            <div key={index} className="fr-fieldset__element">
              <Select
                label={`Indicateur ${number}`}
                state={error ? "error" : "default"}
                stateRelatedMessage={error}
                nativeSelectProps={{
                  value: choice.indicateur,
                  onChange: (event) => setChoice(index, { indicateur: event.target.value }),
                }}
              >
                <option value="">Choisir un indicateur</option>
                {importable.map((indicator) => (
                  <option key={indicator.code} value={indicator.code}>
                    {indicator.libelle} ({indicator.code})
                  </option>
                ))}
              </Select>
              {ratios.has(choice.indicateur) ? (
                <>
                  <ColumnInput
                    label={`Colonne du numérateur de l'indicateur ${number}`}
                    value={choice.numerateur}
                    onChange={(value) => setChoice(index, { numerateur: value })}
                  />
                  <ColumnInput
                    label={`Colonne du dénominateur de l'indicateur ${number}`}
                    value={choice.denominateur}
                    onChange={(value) => setChoice(index, { denominateur: value })}
                  />
                </>
              ) : (
                <ColumnInput
                  label={`Colonne de la valeur de l'indicateur ${number}`}
                  value={choice.valeur}
                  onChange={(value) => setChoice(index, { valeur: value })}
                />
              )}
              {form.colonnes.length > 1 && (
                <Button
                  type="button"
                  priority="tertiary"
                  size="small"
                  onClick={() =>
                    set(
                      "colonnes",
                      form.colonnes.filter((_, position) => position !== index),
                    )
                  }
                >
                  Retirer l'indicateur {number}
                </Button>
              )}
            </div>
          );
        })}
        <div className="fr-fieldset__element">
          <Button
            type="button"
            priority="secondary"
            size="small"
            iconId="fr-icon-add-line"
            onClick={() => set("colonnes", [...form.colonnes, EMPTY_CHOICE])}
          >
            Ajouter un indicateur
          </Button>
        </div>
      </fieldset>

      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button type="button" priority="secondary" disabled={busy} onClick={() => send(true)}>
            Vérifier le fichier
          </Button>
        </li>
        <li>
          <Button type="submit" disabled={busy} iconId="fr-icon-upload-line">
            Importer
          </Button>
        </li>
      </ul>
      {shownReport && <ImportReport report={shownReport} headingLevel={3} />}
    </form>
  );
}
