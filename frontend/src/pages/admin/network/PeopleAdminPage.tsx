/** The people of the network: conseillers numériques, aidants, France Services agents, coordinators. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useRef, useState } from "react";

import { api, unwrap } from "../../../api/client";
import type { NetworkPerson, NetworkPersonInput } from "../../../api/types";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { FormActions, optionsOf } from "../../../components/admin/FormActions";
import { CommunePicker } from "../../../components/CommunePicker";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { optionalText } from "../../../lib/adminForms";
import { PERSON_ROLES, PROGRAMMES } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useFormFields } from "../../../lib/useFormFields";
import { useSubmit } from "../../../lib/useSubmit";
import { ifMatch } from "../../../lib/versions";
import { ADMIN_SEGMENTS, NetworkManagers } from "./NetworkManagers";

export const PERSON_LABELS: Record<string, string> = {
  prenom: "Prénom",
  nom: "Nom",
  role: "Rôle",
  courriel: "Courriel",
  telephone: "Téléphone",
  employeurs: "Structures employeuses",
  programmes: "Programmes",
  actif_depuis: "Dans le réseau depuis",
  consentement_publication: "Accord pour figurer publiquement",
};

const EMPTY = {
  prenom: "",
  nom: "",
  role: "conseiller_numerique",
  courriel: "",
  telephone: "",
  employeur: "",
  employeur_id: null as string | null,
  employeur_commune: "",
  employeur_commune_nom: null as string | null,
  employeur2: "",
  employeur2_id: null as string | null,
  employeur2_commune: "",
  employeur2_commune_nom: null as string | null,
  actif: true,
  actif_depuis: "",
  habilitation: "",
  habilitation_fin: "",
  consent: false,
  programmes: [] as string[],
};

type PersonDraft = typeof EMPTY;

/** The draft of an existing person, as the form shows it. */
export function personDraft(person: NetworkPerson): PersonDraft {
  const [first, second] = person.employeurs;
  const aidantsConnect = person.programmes.find((programme) => programme.code === "aidants_connect");
  return {
    prenom: person.prenom,
    nom: person.nom,
    role: person.role,
    courriel: person.courriel ?? "",
    telephone: person.telephone ?? "",
    employeur: first?.nom ?? "",
    employeur_id: first?.structure_id ?? null,
    employeur_commune: first?.commune ?? "",
    employeur_commune_nom: first?.commune_nom ?? null,
    employeur2: second?.nom ?? "",
    employeur2_id: second?.structure_id ?? null,
    employeur2_commune: second?.commune ?? "",
    employeur2_commune_nom: second?.commune_nom ?? null,
    actif: person.actif,
    actif_depuis: person.actif_depuis ?? "",
    habilitation: aidantsConnect?.date_debut ?? "",
    habilitation_fin: aidantsConnect?.date_fin ?? "",
    consent: person.consentement_publication,
    programmes: person.programmes.map((programme) => programme.code),
  };
}

export function personInput(form: PersonDraft): NetworkPersonInput {
  const employers = [
    [form.employeur, form.employeur_commune, form.employeur_id],
    [form.employeur2, form.employeur2_commune, form.employeur2_id],
  ]
    .filter(([name]) => name !== null && name.trim() !== "")
    .map(([name, commune, id]) => ({
      nom: name as string,
      commune: optionalText(commune ?? ""),
      ...(id ? { structure_id: id } : {}),
    }));
  return {
    prenom: form.prenom,
    nom: form.nom,
    role: form.role as NetworkPersonInput["role"],
    courriel: optionalText(form.courriel),
    telephone: optionalText(form.telephone),
    consentement_publication: form.consent,
    actif: form.actif,
    actif_depuis: optionalText(form.actif_depuis),
    employeurs: employers,
    programmes: form.programmes.map((code) =>
      code === "aidants_connect"
        ? { code, date_debut: optionalText(form.habilitation), date_fin: optionalText(form.habilitation_fin) }
        : { code: code as "conseiller_numerique" | "france_services" },
    ),
  };
}

export function PersonForm({
  editing,
  onSaved,
  onCancel,
  onReload,
}: {
  editing?: NetworkPerson;
  onSaved: (message: string) => void;
  onCancel?: () => void;
  /** The person read again after someone else changed them (412). */
  onReload?: () => void;
}) {
  const fields = useFormFields(editing ? personDraft(editing) : EMPTY);
  const { form, setForm, text, state, submit, busy, problem } = fields;
  const save = submit(async () => {
    const body = personInput(form);
    const saved = editing
      ? await unwrap(
          api.PATCH("/api/network/personnes/{person_id}", {
            params: { path: { person_id: editing.id }, header: ifMatch(editing) },
            body,
          }),
        )
      : await unwrap(api.POST("/api/network/personnes", { body }));
    if (!editing) fields.reset();
    onSaved(`${saved.prenom} ${saved.nom} est ${editing ? "modifié(e)" : "enregistré(e)"}.`);
  });
  const title = editing ? `Modifier ${editing.prenom} ${editing.nom}` : "Enregistrer une personne";
  return (
    <form onSubmit={save} noValidate aria-labelledby="personne-titre" className="fr-mt-6w">
      <h2 id="personne-titre">{title}</h2>
      <p className="fr-text--sm">
        Des professionnels seulement, jamais les personnes accompagnées. Le minimum : pas de date de naissance
        ni d'adresse personnelle.
      </p>
      <ProblemAlert problem={problem} fieldLabels={PERSON_LABELS} focus onReload={onReload} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={PERSON_LABELS.prenom}
            {...state("prenom")}
            nativeInputProps={{ autoComplete: "off", ...text("prenom") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={PERSON_LABELS.nom}
            {...state("nom")}
            nativeInputProps={{ autoComplete: "off", ...text("nom") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={PERSON_LABELS.role} {...state("role")} nativeSelectProps={text("role")}>
            {optionsOf(PERSON_ROLES)}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={PERSON_LABELS.courriel}
            hintText="Facultatif, professionnel"
            {...state("courriel")}
            nativeInputProps={{ type: "email", autoComplete: "off", ...text("courriel") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={PERSON_LABELS.telephone}
            hintText="Facultatif, professionnel"
            {...state("telephone")}
            nativeInputProps={{ type: "tel", autoComplete: "off", ...text("telephone") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-7">
          <Input
            label="Structure employeuse principale"
            hintText="Facultative, ex. Mairie de Chambéry"
            {...state("employeurs")}
            nativeInputProps={text("employeur")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-5">
          <CommunePicker
            label="Commune de la structure principale"
            hintText="Son nom, ex. Chambéry"
            code={form.employeur_commune}
            name={form.employeur_commune_nom}
            onChange={(code, name) =>
              setForm((current) => ({ ...current, employeur_commune: code, employeur_commune_nom: name }))
            }
          />
        </div>
        <div className="fr-col-12 fr-col-md-7">
          <Input
            label="Seconde structure employeuse"
            hintText="Poste mutualisé : la seconde structure"
            nativeInputProps={text("employeur2")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-5">
          <CommunePicker
            label="Commune de la seconde structure"
            hintText="Son nom"
            code={form.employeur2_commune}
            name={form.employeur2_commune_nom}
            onChange={(code, name) =>
              setForm((current) => ({ ...current, employeur2_commune: code, employeur2_commune_nom: name }))
            }
          />
        </div>
      </div>
      <Checkbox
        legend={PERSON_LABELS.programmes}
        orientation="horizontal"
        {...state("programmes")}
        options={Object.entries(PROGRAMMES).map(([code, label]) => ({
          label,
          nativeInputProps: {
            checked: form.programmes.includes(code),
            onChange: (event) =>
              setForm({
                ...form,
                programmes: event.target.checked
                  ? [...form.programmes, code]
                  : form.programmes.filter((item) => item !== code),
              }),
          },
        }))}
      />
      {form.programmes.includes("aidants_connect") && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Date d'habilitation Aidants Connect"
              nativeInputProps={{ type: "date", ...text("habilitation") }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Fin de l'habilitation"
              hintText="Facultative"
              nativeInputProps={{ type: "date", ...text("habilitation_fin") }}
            />
          </div>
        </div>
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={PERSON_LABELS.actif_depuis}
            hintText={editing ? undefined : "Facultatif : aujourd'hui sinon"}
            {...state("actif_depuis")}
            nativeInputProps={{ type: "date", ...text("actif_depuis") }}
          />
        </div>
      </div>
      <Checkbox
        {...state("consentement_publication")}
        options={[
          ...(editing
            ? [
                {
                  label: "Toujours active dans le réseau",
                  hintText: "Décochée : elle n'est plus comptée parmi les personnes du réseau.",
                  nativeInputProps: fields.check("actif"),
                },
              ]
            : []),
          {
            label: "La personne accepte que son nom, son rôle, ses structures et son contact soient publics",
            hintText: "Sans cet accord, rien d'elle n'est publié ; elle peut le retirer à tout moment.",
            nativeInputProps: fields.check("consent"),
          },
        ]}
      />
      <FormActions
        busy={busy}
        label={editing ? "Enregistrer les modifications" : "Enregistrer la personne"}
        onCancel={onCancel}
      />
    </form>
  );
}

function downloadJson(name: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function People({ onEdit }: { onEdit: (person: NetworkPerson) => void }) {
  const [role, setRole] = useState("");
  const found = useResource(`network-people:${role}`, (signal) =>
    unwrap(
      api.GET("/api/network/personnes", {
        params: { query: { size: 200, ...(role ? { role: role as NetworkPerson["role"] } : {}) } },
        signal,
      }),
    ),
  );
  const { problem, setProblem, run } = useSubmit();
  const exportOf = (person: NetworkPerson) =>
    void run(async () => {
      const data = await unwrap(
        api.GET("/api/network/personnes/{person_id}/export", { params: { path: { person_id: person.id } } }),
      );
      downloadJson(`donnees-${person.nom}-${person.prenom}.json`.toLowerCase(), data);
    });
  // The version read with the list: someone's change since then is not erased unseen (412, « Recharger »).
  const erase = (person: NetworkPerson) =>
    run(async () => {
      await unwrap(
        api.DELETE("/api/network/personnes/{person_id}", {
          params: { path: { person_id: person.id }, header: ifMatch(person) },
        }),
      );
      found.reload();
    });
  return (
    <>
      <Select
        label="Rôle"
        className="fr-col-md-4"
        nativeSelectProps={{ value: role, onChange: (event) => setRole(event.target.value) }}
      >
        <option value="">Tous les rôles</option>
        {optionsOf(PERSON_ROLES)}
      </Select>
      <ProblemAlert
        problem={problem ?? found.problem}
        onReload={() => {
          setProblem(undefined);
          found.reload();
        }}
      />
      {!found.data ? (
        !found.problem && <Loading />
      ) : found.data.items.length === 0 ? (
        <p>Personne pour l'instant.</p>
      ) : (
        <DataTable<NetworkPerson>
          caption={`Personnes du réseau (${found.data.total})`}
          rows={found.data.items}
          rowKey={(row) => row.id}
          columns={[
            {
              key: "nom",
              label: "Nom",
              rowHeader: true,
              sortValue: (row) => `${row.nom} ${row.prenom}`,
              render: (row) => `${row.prenom} ${row.nom}`,
            },
            {
              key: "role",
              label: "Rôle",
              sortValue: (row) => PERSON_ROLES[row.role],
              render: (row) => PERSON_ROLES[row.role],
            },
            {
              key: "employeurs",
              label: "Structures",
              sortValue: (row) => row.employeurs[0]?.nom,
              render: (row) => (
                <>
                  {row.employeurs
                    .map(
                      (employer) => employer.nom + (employer.commune_nom ? ` (${employer.commune_nom})` : ""),
                    )
                    .join(" ; ") || "—"}
                  {row.poste_mutualise && (
                    <>
                      {" "}
                      <Badge small noIcon severity="info">
                        poste mutualisé
                      </Badge>
                    </>
                  )}
                </>
              ),
            },
            {
              key: "programmes",
              label: "Programmes",
              render: (row) =>
                row.programmes
                  .map(
                    (programme) =>
                      PROGRAMMES[programme.code] +
                      (programme.date_debut && programme.code === "aidants_connect"
                        ? ` (habilitation du ${new Date(programme.date_debut).toLocaleDateString("fr-FR")})`
                        : ""),
                  )
                  .join(", ") || "—",
            },
            {
              key: "actif",
              label: "État",
              sortValue: (row) => (row.actif ? 0 : 1),
              render: (row) => (
                <Badge small noIcon severity={row.actif ? "success" : "new"}>
                  {row.actif ? "actif" : "inactif"}
                </Badge>
              ),
            },
            {
              key: "public",
              label: "Public",
              sortValue: (row) => (row.consentement_publication ? 0 : 1),
              render: (row) => (row.consentement_publication ? "oui" : "non"),
            },
            {
              key: "actions",
              label: "Actions",
              render: (row) => (
                <div className="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                  <Button size="small" priority="tertiary" onClick={() => onEdit(row)}>
                    Modifier
                    <span className="fr-sr-only">
                      {" "}
                      {row.prenom} {row.nom}
                    </span>
                  </Button>
                  <Button size="small" priority="tertiary" onClick={() => exportOf(row)}>
                    Exporter
                    <span className="fr-sr-only">
                      {" "}
                      les données de {row.prenom} {row.nom}
                    </span>
                  </Button>
                  <ConfirmButton
                    label={`Effacer ${row.prenom} ${row.nom}`}
                    title={`Effacer ${row.prenom} ${row.nom} ?`}
                    confirmLabel="Effacer définitivement"
                    onConfirm={() => erase(row)}
                  >
                    Tout ce qui la concerne est effacé. Ses inscriptions aux formations restent comptées, sans
                    nom.
                  </ConfirmButton>
                </div>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

/** A person as saved now (after a 412): the form starts again from it. */
async function reloadPerson(id: string): Promise<NetworkPerson> {
  return unwrap(api.GET("/api/network/personnes/{person_id}", { params: { path: { person_id: id } } }));
}

export default function PeopleAdminPage() {
  usePageTitle("Personnes du réseau");
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<NetworkPerson>();
  const [done, setDone] = useState<string>();
  const formRef = useRef<HTMLDivElement>(null);
  return (
    <NetworkManagers>
      <Breadcrumb currentPageLabel="Personnes du réseau" segments={ADMIN_SEGMENTS} />
      <h1>Personnes du réseau</h1>
      <div role="status">
        {done && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{done}</p>}
      </div>
      <People
        key={generation}
        onEdit={(person) => {
          setEditing(person);
          setDone(undefined);
          window.setTimeout(() => formRef.current?.querySelector("input")?.focus(), 0);
        }}
      />
      <div ref={formRef}>
        <PersonForm
          key={editing ? `${editing.id}.${editing.version}` : "nouvelle"}
          editing={editing}
          onCancel={editing ? () => setEditing(undefined) : undefined}
          onReload={
            editing &&
            (() =>
              void reloadPerson(editing.id).then((fresh) => {
                setEditing(fresh);
                setGeneration((value) => value + 1);
              }))
          }
          onSaved={(message) => {
            setDone(message);
            setEditing(undefined);
            setGeneration((value) => value + 1);
          }}
        />
      </div>
    </NetworkManagers>
  );
}
