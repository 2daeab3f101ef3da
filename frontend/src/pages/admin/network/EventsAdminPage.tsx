/** The agenda as coordinators keep it: drafts, cancelled and past events, and a form for a new one. */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Link, useLocation, useNavigate } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { NetworkEvent } from "../../../api/types";
import { FormActions, optionsOf } from "../../../components/admin/FormActions";
import { CommunePicker } from "../../../components/CommunePicker";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { optionalText } from "../../../lib/adminForms";
import { formatDateTime } from "../../../lib/format";
import { EVENT_TYPES } from "../../../lib/network";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useFormFields } from "../../../lib/useFormFields";
import { ifMatch } from "../../../lib/versions";
import { instantOf, localInput } from "../surveys/campaignForm";
import { ADMIN_SEGMENTS, NetworkManagers } from "./NetworkManagers";

export const EVENT_LABELS: Record<string, string> = {
  titre: "Titre",
  type: "Type",
  debut: "Début",
  fin: "Fin",
  commune: "Commune",
  adresse: "Adresse",
  lieu_nom: "Lieu",
  public: "Pour qui",
  tarif: "Tarif",
  lien_inscription: "Lien d'inscription",
  organisateur: "Organisateur",
  description: "Description",
};

const EMPTY = {
  titre: "",
  type: "cafe_numerique",
  debut: "",
  fin: "",
  commune: "",
  commune_nom: null as string | null,
  adresse: "",
  lieu_nom: "",
  public: "",
  gratuit: true,
  tarif: "",
  lien_inscription: "",
  organisateur: "",
  description: "",
  publie: true,
};

function eventDraft(event: NetworkEvent): typeof EMPTY {
  return {
    titre: event.titre,
    type: event.type,
    debut: localInput(event.debut),
    fin: localInput(event.fin),
    commune: event.commune,
    commune_nom: event.commune_nom,
    adresse: event.adresse ?? "",
    lieu_nom: event.lieu_nom ?? "",
    public: event.public ?? "",
    gratuit: event.gratuit,
    tarif: event.tarif ?? "",
    lien_inscription: event.lien_inscription ?? "",
    organisateur: event.organisateur ?? "",
    description: event.description ?? "",
    publie: event.publie,
  };
}

/** An event's form: a new one (then its page opens), or the changes to one (`editing`). */
export function EventForm({
  editing,
  onSaved,
  onCancel,
  onReload,
}: {
  editing?: NetworkEvent;
  onSaved?: () => void;
  onCancel?: () => void;
  /** The event read again after someone else changed it (412). */
  onReload?: () => void;
}) {
  const navigate = useNavigate();
  const { form, setForm, text, check, state, submit, busy, problem } = useFormFields(
    editing ? eventDraft(editing) : EMPTY,
  );
  const save = submit(async () => {
    const fields = {
      titre: form.titre,
      type: form.type as NetworkEvent["type"],
      debut: instantOf(form.debut) ?? "",
      fin: instantOf(form.fin) ?? "",
      commune: form.commune,
      adresse: optionalText(form.adresse),
      lieu_nom: optionalText(form.lieu_nom),
      public: optionalText(form.public),
      gratuit: form.gratuit,
      tarif: form.gratuit ? null : optionalText(form.tarif),
      lien_inscription: optionalText(form.lien_inscription),
      organisateur: optionalText(form.organisateur),
      description: optionalText(form.description),
    };
    if (editing) {
      await unwrap(
        api.PATCH("/api/network/evenements/{event_id}", {
          params: { path: { event_id: editing.id }, header: ifMatch(editing) },
          body: fields,
        }),
      );
      onSaved?.();
      return;
    }
    const created = await unwrap(
      api.POST("/api/network/evenements", { body: { ...fields, publie: form.publie } }),
    );
    navigate(`/administration/reseau/evenements/${created.id}`, {
      state: { message: form.publie ? "Événement publié dans l'agenda." : "Brouillon enregistré." },
    });
  });
  return (
    <form onSubmit={save} noValidate aria-labelledby="evenement-titre" className="fr-mt-6w">
      <h2 id="evenement-titre">{editing ? "Modifier l'événement" : "Ajouter un événement"}</h2>
      <ProblemAlert problem={problem} fieldLabels={EVENT_LABELS} focus onReload={onReload} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-8">
          <Input label={EVENT_LABELS.titre} {...state("titre")} nativeInputProps={text("titre")} />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={EVENT_LABELS.type} {...state("type")} nativeSelectProps={text("type")}>
            {optionsOf(EVENT_TYPES)}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={EVENT_LABELS.debut}
            {...state("debut")}
            nativeInputProps={{ type: "datetime-local", ...text("debut") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={EVENT_LABELS.fin}
            {...state("fin")}
            nativeInputProps={{ type: "datetime-local", ...text("fin") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <CommunePicker
            label={EVENT_LABELS.commune}
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
            label={EVENT_LABELS.lieu_nom}
            hintText="Facultatif, ex. Médiathèque"
            {...state("lieu_nom")}
            nativeInputProps={text("lieu_nom")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input label={EVENT_LABELS.adresse} {...state("adresse")} nativeInputProps={text("adresse")} />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={EVENT_LABELS.public}
            hintText="Facultatif, ex. seniors, tout public"
            {...state("public")}
            nativeInputProps={text("public")}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={EVENT_LABELS.organisateur}
            hintText="Facultatif"
            {...state("organisateur")}
            nativeInputProps={text("organisateur")}
          />
        </div>
      </div>
      <Checkbox
        options={[
          {
            label: "Gratuit",
            nativeInputProps: check("gratuit"),
          },
        ]}
      />
      {!form.gratuit && (
        <Input label={EVENT_LABELS.tarif} {...state("tarif")} nativeInputProps={text("tarif")} />
      )}
      <Input
        label={EVENT_LABELS.lien_inscription}
        hintText="Facultatif, https://…"
        {...state("lien_inscription")}
        nativeInputProps={{ type: "url", ...text("lien_inscription") }}
      />
      <Input
        label={EVENT_LABELS.description}
        textArea
        {...state("description")}
        nativeTextAreaProps={{ rows: 3, ...text("description") }}
      />
      {!editing && (
        <Checkbox
          options={[
            {
              label: "Publier dans l'agenda public",
              hintText: "Décoché : un brouillon que seuls les coordinateurs voient",
              nativeInputProps: check("publie"),
            },
          ]}
        />
      )}
      <FormActions
        busy={busy}
        label={editing ? "Enregistrer les modifications" : "Enregistrer l'événement"}
        onCancel={onCancel}
      />
    </form>
  );
}

function yearAgo(): string {
  const day = new Date();
  day.setFullYear(day.getFullYear() - 1);
  return day.toISOString().slice(0, 10);
}

function Events() {
  const found = useResource("network-events-admin", (signal) =>
    unwrap(
      api.GET("/api/network/evenements", {
        params: { query: { size: 200, brouillons: true, du: yearAgo() } },
        signal,
      }),
    ),
  );
  if (found.problem) return <ProblemAlert problem={found.problem} />;
  if (!found.data) return <Loading />;
  if (found.data.items.length === 0) return <p>Aucun événement depuis un an.</p>;
  const state = (row: NetworkEvent) =>
    row.annule
      ? "annulé"
      : !row.publie
        ? "brouillon"
        : new Date(row.debut) <= new Date()
          ? "passé"
          : "publié";
  return (
    <DataTable<NetworkEvent>
      caption="Événements (depuis un an)"
      rows={found.data.items}
      rowKey={(row) => row.id}
      initialSort={{ key: "debut", direction: "descending" }}
      columns={[
        {
          key: "titre",
          label: "Événement",
          rowHeader: true,
          sortValue: (row) => row.titre,
          render: (row) => <Link to={`/administration/reseau/evenements/${row.id}`}>{row.titre}</Link>,
        },
        {
          key: "type",
          label: "Type",
          sortValue: (row) => EVENT_TYPES[row.type],
          render: (row) => EVENT_TYPES[row.type],
        },
        {
          key: "debut",
          label: "Début",
          sortValue: (row) => row.debut,
          render: (row) => formatDateTime(row.debut),
        },
        {
          key: "commune",
          label: "Commune",
          sortValue: (row) => row.commune_nom,
          render: (row) => row.commune_nom ?? row.commune,
        },
        {
          key: "etat",
          label: "État",
          sortValue: (row) => state(row),
          render: (row) => (
            <Badge small noIcon severity={row.annule ? "error" : row.publie ? "success" : "new"}>
              {state(row)}
            </Badge>
          ),
        },
        {
          key: "participants",
          label: "Participants",
          sortValue: (row) => row.participants,
          render: (row) => row.participants ?? "—",
        },
      ]}
    />
  );
}

export default function EventsAdminPage() {
  usePageTitle("Agenda des événements");
  const message = (useLocation().state as { message?: string } | null)?.message;
  return (
    <NetworkManagers>
      <Breadcrumb currentPageLabel="Agenda des événements" segments={ADMIN_SEGMENTS} />
      <h1>Agenda des événements</h1>
      <div role="status">
        {message && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{message}</p>}
      </div>
      <p>
        <Link to="/agenda">Voir l'agenda public</Link>
      </p>
      <Events />
      <EventForm />
    </NetworkManagers>
  );
}
