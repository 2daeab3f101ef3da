/** Training sessions of the network: aidants, secrétaires de mairie, partners' agents. */
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { NetworkTraining } from "../../../api/types";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { fieldStates, optionalText, typedNumber } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { AUDIENCES, PROGRAMMES } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";
import { instantOf } from "../surveys/campaignForm";
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

function CreateForm() {
  const navigate = useNavigate();
  const [form, setForm] = useState({
    titre: "",
    public: "aidants",
    programme: "",
    debut: "",
    fin: "",
    commune: "",
    lieu_nom: "",
    adresse: "",
    capacite: "",
  });
  const { busy, problem, run } = useSubmit();
  const state = fieldStates(problem);
  const text = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await unwrap(
        api.POST("/api/network/formations", {
          body: {
            titre: form.titre,
            public: form.public as NetworkTraining["public"],
            programme: (optionalText(form.programme) as NetworkTraining["programme"]) ?? null,
            debut: instantOf(form.debut) ?? "",
            fin: instantOf(form.fin) ?? "",
            commune: optionalText(form.commune),
            lieu_nom: optionalText(form.lieu_nom),
            adresse: optionalText(form.adresse),
            capacite: typedNumber(form.capacite),
          },
        }),
      );
      navigate(`/administration/reseau/formations/${created.id}`, {
        state: { message: "Session enregistrée." },
      });
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="formation-titre" className="fr-mt-6w">
      <h2 id="formation-titre">Enregistrer une session de formation</h2>
      <ProblemAlert problem={problem} fieldLabels={TRAINING_LABELS} focus />
      <Input label={TRAINING_LABELS.titre} {...state("titre")} nativeInputProps={text("titre")} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select label={TRAINING_LABELS.public} {...state("public")} nativeSelectProps={text("public")}>
            {Object.entries(AUDIENCES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
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
            {Object.entries(PROGRAMMES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
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
          <Input
            label={TRAINING_LABELS.commune}
            hintText="Code INSEE, ex. 73065 (Chambéry)"
            {...state("commune")}
            nativeInputProps={{ inputMode: "numeric", ...text("commune") }}
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
      <Button type="submit" disabled={busy}>
        Enregistrer la session
      </Button>
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
      <CreateForm />
    </NetworkManagers>
  );
}
