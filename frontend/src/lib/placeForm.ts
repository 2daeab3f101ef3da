/**
 * The place form: the API's place fields as form values (strings and lists of strings) and back, plus the
 * changes between two versions, which is what a PATCH sends and what a conflict message shows.
 */
import {
  directoryPlaceInputDispositif_programmes_nationauxValues as PROGRAMMES,
  directoryPlaceInputFormations_labelsValues as LABELS,
  directoryPlaceInputFrais_a_chargeValues as FRAIS,
  directoryPlaceInputItineranceValues as ITINERANCE,
  directoryPlaceInputModalites_accesValues as MODALITES_ACCES,
  directoryPlaceInputModalites_accompagnementValues as MODALITES_ACCOMPAGNEMENT,
  directoryPlaceInputPrise_en_charge_specifiqueValues as PRISE_EN_CHARGE,
  directoryPlaceInputPublics_specifiquement_adressesValues as PUBLICS,
  directoryPlaceInputServicesValues as SERVICES,
  directoryPlaceInputTypologieValues as TYPOLOGIES,
} from "../api/schema";
import type { Place, PlaceInput } from "../api/types";

export interface TextField {
  name: keyof PlaceInput;
  label: string;
  hint?: string;
  /** `commune`: the INSEE code, chosen by name; `commune-name`: the name kept with it (no field of its own). */
  kind: "text" | "textarea" | "number" | "date" | "lines" | "hours" | "commune" | "commune-name";
  required?: boolean;
  inputMode?: "numeric" | "decimal" | "tel" | "email" | "url";
}

export interface ChoiceField {
  name: keyof PlaceInput;
  label: string;
  values: readonly string[];
}

export const TEXT_FIELDS: TextField[] = [
  { name: "nom", label: "Nom du lieu", kind: "text", required: true },
  {
    name: "adresse",
    label: "Adresse",
    hint: "Numéro et voie, ex. 1 place du Palais de Justice",
    kind: "text",
    required: true,
  },
  { name: "complement_adresse", label: "Complément d'adresse", kind: "text" },
  {
    name: "code_postal",
    label: "Code postal",
    hint: "5 chiffres",
    kind: "text",
    required: true,
    inputMode: "numeric",
  },
  // One field for both: the commune chosen by its name (components/CommunePicker) keeps its INSEE code and
  // its name; the API's problems about either show on that field.
  {
    name: "code_insee",
    label: "Commune",
    hint: "Son nom, ex. Chambéry ; déduite du code postal si vide",
    kind: "commune",
  },
  { name: "commune", label: "Commune", kind: "commune-name" },
  {
    name: "latitude",
    label: "Latitude",
    hint: "Degrés décimaux, ex. 45.5667 ; calculée depuis l'adresse si vide",
    kind: "number",
    inputMode: "decimal",
  },
  {
    name: "longitude",
    label: "Longitude",
    hint: "Degrés décimaux, ex. 5.9236",
    kind: "number",
    inputMode: "decimal",
  },
  { name: "telephone", label: "Téléphone", hint: "Ex. 04 79 60 04 04", kind: "text", inputMode: "tel" },
  { name: "courriels", label: "Adresses électroniques", hint: "Une par ligne", kind: "lines" },
  { name: "site_web", label: "Sites web", hint: "Une adresse https://… par ligne", kind: "lines" },
  {
    name: "prise_rdv",
    label: "Lien de prise de rendez-vous",
    hint: "https://…",
    kind: "text",
    inputMode: "url",
  },
  // Edited with the opening-hours editor (components/OpeningHoursEditor), never typed.
  { name: "horaires", label: "Horaires", kind: "hours" },
  {
    name: "presentation_resume",
    label: "Présentation courte",
    hint: "280 caractères au plus",
    kind: "textarea",
  },
  { name: "presentation_detail", label: "Présentation détaillée", kind: "textarea" },
  {
    name: "fiche_acces_libre",
    label: "Fiche Acceslibre (accessibilité)",
    hint: "https://acceslibre.beta.gouv.fr/…",
    kind: "text",
    inputMode: "url",
  },
  {
    name: "pivot",
    label: "SIRET ou RNA de la structure",
    hint: "14 chiffres (SIRET) ou W suivi de 9 caractères (RNA)",
    kind: "text",
  },
  { name: "structure_parente", label: "Structure parente", kind: "text" },
  {
    name: "autres_formations_labels",
    label: "Autres formations ou labels",
    hint: "Un par ligne",
    kind: "lines",
  },
  {
    name: "date_maj",
    label: "Date de mise à jour des informations",
    hint: "Aujourd'hui si vide",
    kind: "date",
  },
];

export const CHOICE_FIELDS: ChoiceField[] = [
  { name: "services", label: "Services", values: SERVICES },
  { name: "publics_specifiquement_adresses", label: "Publics accueillis en particulier", values: PUBLICS },
  { name: "prise_en_charge_specifique", label: "Accompagnements adaptés", values: PRISE_EN_CHARGE },
  { name: "frais_a_charge", label: "Tarif", values: FRAIS },
  { name: "modalites_acces", label: "Comment y accéder", values: MODALITES_ACCES },
  { name: "modalites_accompagnement", label: "Façons d'être aidé", values: MODALITES_ACCOMPAGNEMENT },
  { name: "dispositif_programmes_nationaux", label: "Dispositifs nationaux", values: PROGRAMMES },
  { name: "formations_labels", label: "Formations et labels", values: LABELS },
  { name: "itinerance", label: "Itinérance", values: ITINERANCE },
  { name: "typologie", label: "Type de structure", values: TYPOLOGIES },
];

export const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries([...TEXT_FIELDS, ...CHOICE_FIELDS].map((field) => [field.name, field.label])),
  // Both are the « Commune » field of the form; elsewhere (a conflict, a field's provenance) they differ.
  code_insee: "Commune (code INSEE)",
  commune: "Commune (nom)",
};

export type FormValues = Record<string, string | string[]>;

export function emptyForm(): FormValues {
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((field) => [field.name, ""])),
    ...Object.fromEntries(CHOICE_FIELDS.map((field) => [field.name, []])),
  };
}

export function formFromPlace(place: Place): FormValues {
  const values = emptyForm();
  const source = place as unknown as Record<string, unknown>;
  for (const field of TEXT_FIELDS) {
    const value = source[field.name];
    if (Array.isArray(value)) values[field.name] = value.join("\n");
    else values[field.name] = value === null || value === undefined ? "" : String(value);
  }
  for (const field of CHOICE_FIELDS)
    values[field.name] = [...((source[field.name] as string[] | undefined) ?? [])];
  return values;
}

/** What the API receives: empty text is null, numbers are numbers, one line is one list item. */
export function payloadFromForm(values: FormValues): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) {
    const text = String(values[field.name] ?? "").trim();
    if (field.kind === "lines") {
      payload[field.name] = text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    } else if (field.kind === "number") {
      // A number the API cannot read is sent as typed, so that its own message names the field.
      payload[field.name] =
        text === ""
          ? null
          : Number.isFinite(Number(text.replace(",", ".")))
            ? Number(text.replace(",", "."))
            : text;
    } else {
      payload[field.name] = text === "" ? null : text;
    }
  }
  for (const field of CHOICE_FIELDS) payload[field.name] = values[field.name];
  return payload;
}

/** The fields whose value differs between two payloads, with both values (`before` is the reference). */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(after)) {
    if (JSON.stringify(before[name] ?? null) !== JSON.stringify(value ?? null)) changes[name] = value;
  }
  return changes;
}

export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(vide)";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(vide)";
  return String(value);
}
