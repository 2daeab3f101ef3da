/**
 * Permanences as coordinators record them: a person or a team present in host places on given days and hours,
 * or an itinerant tour (stops in several communes). From a place's administration page, its own permanences.
 */
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { api, unwrap } from "../../../api/client";
import type { Problem } from "../../../api/problem";
import type { NetworkPerson, Permanence, PermanenceInput } from "../../../api/types";
import { ConfirmButton } from "../../../components/admin/ConfirmDialog";
import { FormActions, optionsOf } from "../../../components/admin/FormActions";
import { CommunePicker } from "../../../components/CommunePicker";
import { DataTable } from "../../../components/DataTable";
import { Loading } from "../../../components/Loading";
import { PlacePicker } from "../../../components/PlacePicker";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { RequireScope } from "../../../components/RequireScope";
import { optionalText } from "../../../lib/adminForms";
import { frenchReason } from "../../../lib/frenchReasons";
import { useFormFields } from "../../../lib/useFormFields";
import { usePageTitle } from "../../../lib/usePageTitle";
import { useResource } from "../../../lib/useResource";
import { useSubmit } from "../../../lib/useSubmit";

export const PERMANENCE_ROLES: Record<PermanenceInput["role"], string> = {
  conseiller_numerique: "Conseiller numérique",
  aidant: "Aidant numérique",
  agent_france_services: "Agent France Services",
  mediateur_numerique: "Médiateur numérique",
};

const DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"] as const;
type Day = (typeof DAYS)[number];

const LABELS: Record<string, string> = {
  role: "Rôle",
  personne_id: "Personne du réseau",
  libelle: "Nom de la personne ou de l'équipe",
  libelle_public: "Accord pour publier ce nom",
  creneaux: "Créneaux",
};

export interface SlotDraft {
  where: "lieu" | "commune";
  lieu_id: string;
  lieu_nom: string | null;
  code_insee: string;
  commune_nom: string | null;
  precision_lieu: string;
  jour: Day;
  debut: string;
  fin: string;
}

export interface PermanenceDraft {
  role: PermanenceInput["role"];
  personne_id: string;
  libelle: string;
  libelle_public: boolean;
  creneaux: SlotDraft[];
}

interface HostPlace {
  id: string;
  nom: string;
}

function emptySlot(place?: HostPlace): SlotDraft {
  return {
    where: place ? "lieu" : "commune",
    lieu_id: place?.id ?? "",
    lieu_nom: place?.nom ?? null,
    code_insee: "",
    commune_nom: null,
    precision_lieu: "",
    jour: "mardi",
    debut: "09:00",
    fin: "12:00",
  };
}

export function permanenceDraft(permanence: Permanence): PermanenceDraft {
  return {
    role: permanence.role,
    personne_id: permanence.personne_id ?? "",
    libelle: permanence.libelle_saisi ?? "",
    libelle_public: permanence.libelle_public ?? false,
    creneaux: permanence.creneaux.map((slot) => ({
      where: slot.lieu_id ? "lieu" : "commune",
      lieu_id: slot.lieu_id ?? "",
      lieu_nom: slot.lieu_nom,
      code_insee: slot.code_insee,
      commune_nom: slot.commune,
      precision_lieu: slot.precision_lieu ?? "",
      jour: slot.jour,
      debut: slot.debut,
      fin: slot.fin,
    })),
  };
}

/** What the API takes: a slot is in a place of the directory or at a tour's stop in a commune. */
export function permanenceInput(draft: PermanenceDraft): PermanenceInput {
  return {
    role: draft.role,
    personne_id: optionalText(draft.personne_id),
    libelle: optionalText(draft.libelle),
    libelle_public: draft.libelle_public,
    creneaux: draft.creneaux.map((slot) => ({
      ...(slot.where === "lieu" ? { lieu_id: slot.lieu_id } : { code_insee: slot.code_insee }),
      precision_lieu: optionalText(slot.precision_lieu),
      jour: slot.jour,
      debut: slot.debut,
      fin: slot.fin,
    })),
  };
}

/** The API's messages about one slot (`creneaux.2.fin`), by the slot's field (`fin`, or `` for the slot). */
export function slotMessages(problem: Problem | undefined, index: number): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const [head, at, field = ""] = error.field.split(".");
    if (head !== "creneaux" || at !== String(index)) continue;
    messages[field] = messages[field] ? `${messages[field]} ; ${frenchReason(error)}` : frenchReason(error);
  }
  return messages;
}

const ROLE_OF_PERSON: Record<string, PermanenceInput["role"]> = {
  conseiller_numerique: "conseiller_numerique",
  aidant: "aidant",
  agent_france_services: "agent_france_services",
};

function SlotFields({
  index,
  slot,
  messages,
  onChange,
  onRemove,
}: {
  index: number;
  slot: SlotDraft;
  messages: Record<string, string>;
  onChange: (change: Partial<SlotDraft>) => void;
  onRemove?: () => void;
}) {
  const state = (name: string) =>
    messages[name] ? { state: "error" as const, stateRelatedMessage: messages[name] } : {};
  const number = index + 1;
  return (
    <fieldset className="fr-fieldset fne-slot" aria-labelledby={`creneau-${index}`}>
      <legend id={`creneau-${index}`} className="fr-fieldset__legend fr-text--bold">
        Créneau {number}
        {messages[""] && <span className="fr-error-text fr-mt-0">{messages[""]}</span>}
      </legend>
      <div className="fr-fieldset__element">
        <RadioButtons
          legend={`Où se tient le créneau ${number}`}
          name={`creneau-${index}-ou`}
          orientation="horizontal"
          small
          options={[
            {
              label: "Dans un lieu de l'annuaire",
              nativeInputProps: {
                checked: slot.where === "lieu",
                onChange: () => onChange({ where: "lieu" }),
              },
            },
            {
              label: "À une étape de tournée (commune)",
              nativeInputProps: {
                checked: slot.where === "commune",
                onChange: () => onChange({ where: "commune" }),
              },
            },
          ]}
        />
      </div>
      <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          {slot.where === "lieu" ? (
            <PlacePicker
              label={`Lieu du créneau ${number}`}
              hintText="Son nom, ex. France Services de Modane"
              placeId={slot.lieu_id}
              name={slot.lieu_nom}
              {...state("lieu_id")}
              onChange={(id, name) => onChange({ lieu_id: id, lieu_nom: name })}
            />
          ) : (
            <CommunePicker
              label={`Commune de l'étape ${number}`}
              hintText="Son nom, ex. Aussois"
              code={slot.code_insee}
              name={slot.commune_nom}
              {...state("code_insee")}
              onChange={(code, name) => onChange({ code_insee: code, commune_nom: name })}
            />
          )}
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={`Précision sur l'endroit, créneau ${number}`}
            hintText="Facultative, ex. parking de la mairie"
            {...state("precision_lieu")}
            nativeInputProps={{
              value: slot.precision_lieu,
              onChange: (event) => onChange({ precision_lieu: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={`Jour du créneau ${number}`}
            {...state("jour")}
            nativeSelectProps={{
              value: slot.jour,
              onChange: (event) => onChange({ jour: event.target.value as Day }),
            }}
          >
            {DAYS.map((day) => (
              <option key={day} value={day}>
                {day}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Input
            label={`Début du créneau ${number}`}
            {...state("debut")}
            nativeInputProps={{
              type: "time",
              value: slot.debut,
              onChange: (event) => onChange({ debut: event.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Input
            label={`Fin du créneau ${number}`}
            {...state("fin")}
            nativeInputProps={{
              type: "time",
              value: slot.fin,
              onChange: (event) => onChange({ fin: event.target.value }),
            }}
          />
        </div>
      </div>
      {onRemove && (
        <div className="fr-fieldset__element">
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-delete-line"
            onClick={onRemove}
          >
            Enlever le créneau {number}
          </Button>
        </div>
      )}
    </fieldset>
  );
}

export function PermanenceForm({
  editing,
  place,
  people,
  onSaved,
  onCancel,
}: {
  editing?: Permanence;
  place?: HostPlace;
  people: NetworkPerson[];
  onSaved: (permanence: Permanence, created: boolean) => void;
  onCancel?: () => void;
}) {
  const initial: PermanenceDraft = editing
    ? permanenceDraft(editing)
    : {
        role: "conseiller_numerique",
        personne_id: "",
        libelle: "",
        libelle_public: false,
        creneaux: [emptySlot(place)],
      };
  const { form, setForm, text, check, state, submit, busy, problem } = useFormFields(initial);
  const setSlot = (index: number, change: Partial<SlotDraft>) =>
    setForm((current) => ({
      ...current,
      creneaux: current.creneaux.map((slot, at) => (at === index ? { ...slot, ...change } : slot)),
    }));
  const choosePerson = (id: string) => {
    const person = people.find((item) => item.id === id);
    setForm((current) => ({
      ...current,
      personne_id: id,
      ...(person
        ? {
            libelle: `${person.prenom} ${person.nom}`,
            libelle_public: person.consentement_publication,
            role: ROLE_OF_PERSON[person.role] ?? current.role,
          }
        : {}),
    }));
  };
  const save = submit(async () => {
    const body = permanenceInput(form);
    const saved = editing
      ? await unwrap(
          api.PUT("/api/directory/permanences/{permanence_id}", {
            params: { path: { permanence_id: editing.id } },
            body,
          }),
        )
      : await unwrap(api.POST("/api/directory/permanences", { body }));
    onSaved(saved, !editing);
  });
  const itinerant = new Set(form.creneaux.map((slot) => slot.lieu_id || slot.code_insee)).size > 1;
  return (
    <form onSubmit={save} noValidate aria-labelledby="permanence-titre" className="fr-mt-6w">
      <h2 id="permanence-titre">
        {editing
          ? `Modifier la permanence : ${editing.libelle_saisi ?? editing.libelle}`
          : "Enregistrer une permanence"}
      </h2>
      <p className="fr-text--sm">
        Une personne ou une équipe présente certains jours dans un lieu d'accueil. Pour une tournée, ajoutez
        un créneau par étape : chacun dans un lieu de l'annuaire ou dans une commune.
      </p>
      <ProblemAlert problem={problem} fieldLabels={LABELS} focus />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={LABELS.personne_id}
            hint="Facultative : son nom et son rôle remplissent les champs suivants"
            {...state("personne_id")}
            nativeSelectProps={{
              value: form.personne_id,
              onChange: (event) => choosePerson(event.target.value),
            }}
          >
            <option value="">Aucune (une équipe, ou quelqu'un hors du réseau)</option>
            {people.map((person) => (
              <option key={person.id} value={person.id}>
                {person.prenom} {person.nom}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select label={LABELS.role} {...state("role")} nativeSelectProps={text("role")}>
            {optionsOf(PERMANENCE_ROLES)}
          </Select>
        </div>
        <div className="fr-col-12">
          <Input
            label={LABELS.libelle}
            hintText="Facultatif, ex. Équipe France Services de Modane"
            {...state("libelle")}
            nativeInputProps={{ autoComplete: "off", ...text("libelle") }}
          />
        </div>
      </div>
      <Checkbox
        {...state("libelle_public")}
        options={[
          {
            label: "La personne ou l'équipe accepte que ce nom soit publié",
            hintText: "Sinon, la page du lieu ne montre que le rôle (« Conseiller numérique présent… »).",
            nativeInputProps: check("libelle_public"),
          },
        ]}
      />
      {form.creneaux.map((slot, index) => (
        <SlotFields
          key={index}
          index={index}
          slot={slot}
          messages={slotMessages(problem, index)}
          onChange={(change) => setSlot(index, change)}
          onRemove={
            form.creneaux.length > 1
              ? () =>
                  setForm((current) => ({
                    ...current,
                    creneaux: current.creneaux.filter((_, at) => at !== index),
                  }))
              : undefined
          }
        />
      ))}
      <p className="fr-text--sm" aria-live="polite">
        {itinerant
          ? "Plusieurs lieux ou communes : c'est une tournée."
          : "Un seul lieu : une permanence fixe."}
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button
            type="button"
            priority="secondary"
            iconId="fr-icon-add-line"
            onClick={() =>
              setForm((current) => ({
                ...current,
                creneaux: [
                  ...current.creneaux,
                  { ...emptySlot(), jour: current.creneaux.at(-1)?.jour ?? "mardi" },
                ],
              }))
            }
          >
            Ajouter un créneau ou une étape
          </Button>
        </li>
      </ul>
      <FormActions
        busy={busy}
        label={editing ? "Enregistrer les modifications" : "Enregistrer la permanence"}
        onCancel={onCancel}
      />
    </form>
  );
}

function where(slot: Permanence["creneaux"][number]): string {
  const at = slot.lieu_nom
    ? `${slot.lieu_nom} (${slot.commune ?? slot.code_insee})`
    : (slot.commune ?? slot.code_insee);
  return slot.precision_lieu ? `${at}, ${slot.precision_lieu}` : at;
}

function Permanences({ place }: { place?: HostPlace }) {
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<Permanence>();
  const [message, setMessage] = useState<string>();
  const formRef = useRef<HTMLDivElement>(null);
  const found = useResource(`admin-permanences:${place?.id ?? ""}:${generation}`, (signal) =>
    unwrap(
      api.GET("/api/directory/permanences", {
        params: { query: { size: 100, ...(place ? { lieu_id: place.id } : {}) } },
        signal,
      }),
    ),
  );
  // The people of the network, to link a permanence to one; without the network, by name only.
  const people = useResource("permanence-people", (signal) =>
    unwrap(api.GET("/api/network/personnes", { params: { query: { size: 200, actif: true } }, signal })),
  );
  const { problem, run } = useSubmit();
  const changed = (text: string) => {
    setMessage(text);
    setEditing(undefined);
    setGeneration((value) => value + 1);
  };
  const withdraw = (permanence: Permanence) =>
    run(async () => {
      await unwrap(
        api.DELETE("/api/directory/permanences/{permanence_id}", {
          params: { path: { permanence_id: permanence.id } },
        }),
      );
      changed(`La permanence « ${permanence.libelle_saisi ?? permanence.libelle} » est retirée.`);
    });
  return (
    <>
      <div role="status">
        {message && <p className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{message}</p>}
      </div>
      <ProblemAlert problem={problem} />
      <ProblemAlert problem={found.problem} unavailable="La liste des permanences" onRetry={found.reload} />
      {!found.data ? (
        !found.problem && <Loading />
      ) : found.data.items.length === 0 ? (
        <p>
          {place ? "Aucune permanence dans ce lieu pour l'instant." : "Aucune permanence pour l'instant."}
        </p>
      ) : (
        <DataTable<Permanence>
          caption={place ? `Permanences tenues à « ${place.nom} »` : `Permanences (${found.data.total})`}
          rows={found.data.items}
          rowKey={(row) => row.id}
          columns={[
            {
              key: "libelle",
              label: "Qui",
              rowHeader: true,
              sortValue: (row) => row.libelle_saisi ?? row.libelle,
              render: (row) => (
                <>
                  {row.libelle_saisi ?? row.libelle}
                  {row.libelle_saisi && !row.libelle_public && (
                    <span className="fr-hint-text">Nom non publié : la page du lieu montre le rôle</span>
                  )}
                </>
              ),
            },
            {
              key: "role",
              label: "Rôle",
              sortValue: (row) => row.role_libelle,
              render: (row) => row.role_libelle,
            },
            {
              key: "creneaux",
              label: "Créneaux",
              render: (row) => (
                <>
                  {row.itinerante && (
                    <Badge small noIcon severity="info">
                      tournée
                    </Badge>
                  )}
                  <ul className="fr-my-0">
                    {row.creneaux.map((slot, index) => (
                      <li key={index}>
                        {slot.texte} : {where(slot)}
                      </li>
                    ))}
                  </ul>
                </>
              ),
            },
            {
              key: "actions",
              label: "Actions",
              render: (row) => (
                <div className="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                  <Button
                    size="small"
                    priority="tertiary"
                    onClick={() => {
                      setEditing(row);
                      setMessage(undefined);
                      window.setTimeout(() => formRef.current?.querySelector("select")?.focus(), 0);
                    }}
                  >
                    Modifier
                    <span className="fr-sr-only"> la permanence {row.libelle_saisi ?? row.libelle}</span>
                  </Button>
                  <ConfirmButton
                    label={`Retirer la permanence ${row.libelle_saisi ?? row.libelle}`}
                    title="Retirer cette permanence ?"
                    confirmLabel="Retirer la permanence"
                    onConfirm={() => withdraw(row)}
                  >
                    Elle quitte les pages des lieux, la recherche, les exports et le calcul des zones
                    blanches.
                  </ConfirmButton>
                </div>
              ),
            },
          ]}
        />
      )}
      <div ref={formRef}>
        {people.data || people.problem ? (
          <PermanenceForm
            key={editing?.id ?? `nouvelle-${generation}`}
            editing={editing}
            place={place}
            people={people.data?.items ?? []}
            onCancel={editing ? () => setEditing(undefined) : undefined}
            onSaved={(saved, created) =>
              changed(
                created
                  ? `Permanence enregistrée${saved.itinerante ? " (tournée)" : ""} : elle paraît sur la page de ses lieux.`
                  : "Permanence modifiée.",
              )
            }
          />
        ) : (
          <Loading />
        )}
      </div>
    </>
  );
}

function PlacePermanences({ placeId }: { placeId: string }) {
  const place = useResource(`permanence-place:${placeId}`, (signal) =>
    unwrap(api.GET("/api/directory/lieux/{place_id}", { params: { path: { place_id: placeId } }, signal })),
  );
  usePageTitle(place.data ? `Permanences à « ${place.data.nom} »` : "Permanences");
  if (place.problem) return <ProblemAlert problem={place.problem} unavailable="La fiche du lieu" />;
  if (!place.data) return <Loading />;
  const host = { id: place.data.id, nom: place.data.nom };
  return (
    <>
      <Breadcrumb
        currentPageLabel="Permanences"
        segments={[
          { label: "Administration", linkProps: { to: "/administration" } },
          { label: place.data.nom, linkProps: { to: `/administration/lieux/${placeId}` } },
        ]}
      />
      <h1>Permanences à « {place.data.nom} »</h1>
      <p>
        <Link to={`/lieux/${placeId}`}>Voir la page publique du lieu</Link> ·{" "}
        <Link to="/administration/permanences">Toutes les permanences</Link>
      </p>
      <Permanences place={host} />
    </>
  );
}

function AllPermanences() {
  usePageTitle("Permanences");
  return (
    <>
      <Breadcrumb
        currentPageLabel="Permanences"
        segments={[{ label: "Administration", linkProps: { to: "/administration" } }]}
      />
      <h1>Permanences</h1>
      <Permanences />
    </>
  );
}

export default function PermanencesAdminPage() {
  const [params] = useSearchParams();
  const placeId = params.get("lieu");
  return (
    <RequireScope scope="directory:write">
      {placeId ? <PlacePermanences key={placeId} placeId={placeId} /> : <AllPermanences />}
    </RequireScope>
  );
}
