/** Training sessions of the network: aidants, secrétaires de mairie, partners' agents. */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Link, useNavigate } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { NetworkTraining } from "../../../api/types";
import { FormActions, optionsOf } from "../../../components/admin/FormActions";
import { CommunePicker } from "../../../components/CommunePicker";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { numberText, optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { AUDIENCES, PROGRAMMES } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useFormFields } from "../../../lib/useFormFields";
import { ifMatch } from "../../../lib/versions";
import { instantOf, localInput } from "../surveys/campaignForm";
import { ADMIN_SEGMENTS, NetworkManagers } from "./NetworkManagers";

export const TRAINING_LABELS: Record<string, string> = {
  titre: "Intitulé",
  public: "Public formé",
  programme: "Programme",
  debut: "Début",
  fin: "Fin",
  commune: "Commune",
  lieu_nom: "Lieu",
  adresse: "Adresse",
  capacite: "Nombre de places",
};

const EMPTY = {
  titre: "",
  public: "aidants",
  programme: "",
  debut: "",
  fin: "",
  commune: "",
  commune_nom: null as string | null,
  lieu_nom: "",
  adresse: "",
  capacite: "",
};

function trainingDraft(training: NetworkTraining): typeof EMPTY {
  return {
    titre: training.titre,
    public: training.public,
    programme: training.programme ?? "",
    debut: localInput(training.debut),
    fin: localInput(training.fin),
    commune: training.commune ?? "",
    commune_nom: training.commune_nom,
    lieu_nom: training.lieu_nom ?? "",
    adresse: training.adresse ?? "",
    capacite: numberText(training.capacite),
  };
}

/** A session's form: a new one (then its page opens), or the changes to one (`editing`). */
export function TrainingForm({
  editing,
  onSaved,
  onCancel,
  onReload,
}: {
  editing?: NetworkTraining;
  onSaved?: () => void;
  onCancel?: () => void;
  /** The session read again after someone else changed it (412). */
  onReload?: () => void;
}) {
  const navigate = useNavigate();
  const { form, setForm, text, state, submit, busy, problem } = useFormFields(
    editing ? trainingDraft(editing) : EMPTY,
  );
  const save = submit(async () => {
    const body = {
      titre: form.titre,
      public: form.public as NetworkTraining["public"],
      programme: (optionalText(form.programme) as NetworkTraining["programme"]) ?? null,
      debut: instantOf(form.debut) ?? "",
      fin: instantOf(form.fin) ?? "",
      commune: optionalText(form.commune),
      lieu_nom: optionalText(form.lieu_nom),
      adresse: optionalText(form.adresse),
      capacite: typedNumber(form.capacite),
    };
    if (editing) {
      await unwrap(
        api.PATCH("/api/network/formations/{training_id}", {
          params: { path: { training_id: editing.id }, header: ifMatch(editing) },
          body,
        }),
      );
      onSaved?.();
      return;
    }
    const created = await unwrap(api.POST("/api/network/formations", { body }));
    navigate(`/administration/reseau/formations/${created.id}`, {
      state: { message: "Session enregistrée." },
    });
  });
  const title = editing ? "Modifier la session" : "Enregistrer une session de formation";
  return (
    <form onSubmit={save} noValidate aria-labelledby="formation-titre" className="fr-mt-6w">
      <h2 id="formation-titre">{title}</h2>
      <ProblemAlert problem={problem} fieldLabels={TRAINING_LABELS} focus onReload={onReload} />
      <Input label={TRAINING_LABELS.titre} {...state("titre")} nativeInputProps={text("titre")} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select label={TRAINING_LABELS.public} {...state("public")} nativeSelectProps={text("public")}>
            {optionsOf(AUDIENCES)}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={TRAINING_LABELS.programme}
            hint="Facultatif : le programme auquel elle prépare"
            {...state("programme")}
            nativeSelectProps={text("programme")}
          >
            <option value="">Aucun en particulier</option>
            {optionsOf(PROGRAMMES)}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={TRAINING_LABELS.debut}
            {...state("debut")}
            nativeInputProps={{ type: "datetime-local", ...text("debut") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={TRAINING_LABELS.fin}
            {...state("fin")}
            nativeInputProps={{ type: "datetime-local", ...text("fin") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <CommunePicker
            label={TRAINING_LABELS.commune}
            hintText="Son nom, ex. Chambéry"
            {...state("commune")}
            code={form.commune}
            name={form.commune_nom}
            onChange={(code, name) =>
              setForm((current) => ({ ...current, commune: code, commune_nom: name }))
            }
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={TRAINING_LABELS.lieu_nom}
            hintText="Facultatif"
            {...state("lieu_nom")}
            nativeInputProps={text("lieu_nom")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={TRAINING_LABELS.capacite}
            hintText="Facultatif"
            {...state("capacite")}
            nativeInputProps={{ inputMode: "numeric", ...text("capacite") }}
          />
        </div>
      </div>
      <Input
        label={TRAINING_LABELS.adresse}
        hintText="Facultative"
        {...state("adresse")}
        nativeInputProps={text("adresse")}
      />
      <FormActions
        busy={busy}
        label={editing ? "Enregistrer les modifications" : "Enregistrer la session"}
        onCancel={onCancel}
      />
    </form>
  );
}

function Trainings() {
  const found = useResource("network-trainings", (signal) =>
    unwrap(api.GET("/api/network/formations", { params: { query: { size: 200 } }, signal })),
  );
  if (found.problem) return <ProblemAlert problem={found.problem} />;
  if (!found.data) return <Loading />;
  if (found.data.items.length === 0) return <p>Aucune session pour l'instant.</p>;
  return (
    <DataTable<NetworkTraining>
      caption="Sessions de formation"
      rows={found.data.items}
      rowKey={(row) => row.id}
      initialSort={{ key: "debut", direction: "descending" }}
      columns={[
        {
          key: "titre",
          label: "Session",
          rowHeader: true,
          sortValue: (row) => row.titre,
          render: (row) => <Link to={`/administration/reseau/formations/${row.id}`}>{row.titre}</Link>,
        },
        {
          key: "public",
          label: "Public",
          sortValue: (row) => AUDIENCES[row.public],
          render: (row) => AUDIENCES[row.public],
        },
        {
          key: "debut",
          label: "Début",
          sortValue: (row) => row.debut,
          render: (row) => formatDateTime(row.debut) + (row.annulee ? " (annulée)" : ""),
        },
        {
          key: "commune",
          label: "Commune",
          sortValue: (row) => row.commune_nom,
          render: (row) => row.commune_nom ?? "—",
        },
        {
          key: "inscrits",
          label: "Inscrits",
          sortValue: (row) => row.inscrits,
          render: (row) => `${row.inscrits}${row.capacite ? ` / ${row.capacite}` : ""}`,
        },
        {
          key: "presents",
          label: "Présents",
          sortValue: (row) => row.presents,
          render: (row) => row.presents,
        },
        { key: "formes", label: "Formés", sortValue: (row) => row.formes, render: (row) => row.formes },
      ]}
    />
  );
}

export default function TrainingsAdminPage() {
  usePageTitle("Formations");
  return (
    <NetworkManagers>
      <Breadcrumb currentPageLabel="Formations" segments={ADMIN_SEGMENTS} />
      <h1>Formations</h1>
      <Trainings />
      <TrainingForm />
    </NetworkManagers>
  );
}
