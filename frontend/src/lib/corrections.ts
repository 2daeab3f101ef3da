/** French names of the fields a place's contact or a passer-by may correct, and how a value reads. */
export const CORRECTABLE_LABELS: Record<string, string> = {
  nom: "Nom",
  adresse: "Adresse",
  complement_adresse: "Complément d'adresse",
  code_postal: "Code postal",
  commune: "Commune",
  telephone: "Téléphone",
  courriels: "Adresses électroniques",
  site_web: "Sites web",
  horaires: "Horaires",
  presentation_resume: "Présentation courte",
  presentation_detail: "Présentation détaillée",
  prise_rdv: "Lien de prise de rendez-vous",
  fiche_acces_libre: "Fiche Acceslibre",
  services: "Services",
  publics_specifiquement_adresses: "Publics accueillis",
  frais_a_charge: "Tarifs",
  modalites_acces: "Comment y accéder",
  modalites_accompagnement: "Façons d'être aidé",
};

/** The fields offered as free text in the public forms (lists are typed one value per line). */
export const TEXT_FIELDS = [
  "nom",
  "adresse",
  "code_postal",
  "telephone",
  "courriels",
  "site_web",
  "horaires",
  "presentation_resume",
] as const;
export const LIST_FIELDS = new Set([
  "courriels",
  "site_web",
  "services",
  "publics_specifiquement_adresses",
  "frais_a_charge",
  "modalites_acces",
  "modalites_accompagnement",
]);

export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(vide)";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(vide)";
  return String(value);
}

/** What the person typed, as the API's modifications: only the fields they changed, lists one per line. */
export function modifications(
  typed: Record<string, string>,
  current: Record<string, unknown>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(typed)) {
    const value = LIST_FIELDS.has(field)
      ? text
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
      : text.trim() || null;
    if (displayValue(value) !== displayValue(current[field])) changes[field] = value;
  }
  return changes;
}

export function initialText(value: unknown): string {
  if (Array.isArray(value)) return value.join("\n");
  return value === null || value === undefined ? "" : String(value);
}
