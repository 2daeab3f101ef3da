/**
 * Editing a questionnaire's definition in the administration: its errors named by question, choices typed one
 * per line, and what changed between two versions.
 */
import type { Problem } from "../api/problem";
import type { Question } from "../components/QuestionnaireForm";

export type Labels = Record<string, string>;

export interface EditableQuestion extends Question {
  constraint?: string | null;
  constraint_message?: Labels | null;
  [key: string]: unknown;
}

export interface EditableDefinition {
  code: string;
  title: Labels;
  description?: Labels | null;
  mode?: "mediator" | "self" | "both";
  questions: EditableQuestion[];
  scoring?: unknown;
  [key: string]: unknown;
}

export const QUESTION_TYPES: Record<Question["type"], string> = {
  single_choice: "Choix unique",
  multiple_choice: "Choix multiples",
  scale: "Échelle",
  yes_no: "Oui / non",
  integer: "Nombre entier",
  decimal: "Nombre décimal",
  date: "Date",
  text: "Texte libre",
  note: "Texte d'information (sans réponse)",
  grid: "Grille (plusieurs lignes, même échelle)",
};

const PARTS: Record<string, string> = {
  key: "clé",
  type: "type",
  label: "libellé",
  hint: "aide",
  required: "réponse requise",
  relevant: "condition d'affichage",
  constraint: "contrôle de la réponse",
  constraint_message: "message du contrôle",
  choices: "choix",
  minimum: "minimum",
  maximum: "maximum",
  items: "lignes",
  value: "valeur",
  max_length: "longueur maximale",
  min_date: "date minimale",
  max_date: "date maximale",
  title: "Titre",
  description: "Description",
  code: "Code",
  mode: "Mode",
  scoring: "Notation",
  questions: "Questions",
  rules: "règles",
};

/** « questions.2.choices.0.value » → « Question 3 « Âge » — choix 1, valeur ». */
export function describeField(
  field: string,
  definition: Pick<EditableDefinition, "questions"> | undefined,
): string {
  const parts = field.split(".").filter((part) => part !== "" && part !== "definition" && part !== "fr");
  if (parts[0] === "questions" && parts.length > 1 && /^\d+$/.test(parts[1])) {
    const index = Number(parts[1]);
    const label = definition?.questions[index]?.label?.fr;
    const head = `Question ${index + 1}${label ? ` « ${label} »` : ""}`;
    const rest: string[] = [];
    for (let at = 2; at < parts.length; at += 1) {
      const part = parts[at];
      if (/^\d+$/.test(part))
        rest[rest.length - 1] = `${rest[rest.length - 1] ?? ""} ${Number(part) + 1}`.trim();
      else rest.push(PARTS[part] ?? part);
    }
    return rest.length ? `${head} — ${rest.join(", ")}` : head;
  }
  // An imported XLSForm's sheets: the row as the spreadsheet numbers it (its first row holds the headers).
  if (
    ["survey", "choices", "scoring", "settings"].includes(parts[0]) &&
    parts.length > 1 &&
    /^\d+$/.test(parts[1])
  ) {
    const rest = parts.slice(2).map((part) => PARTS[part] ?? part);
    return `Feuille « ${parts[0]} », ligne ${Number(parts[1]) + 2}${rest.length ? `, colonne ${rest.join(", ")}` : ""}`;
  }
  if (["survey", "choices", "scoring", "settings"].includes(parts[0])) return `Feuille « ${parts[0]} »`;
  return parts
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : (PARTS[part] ?? part)))
    .join(", ");
}

/** The problem with each error's place said in words (ProblemAlert then shows « place : reason »). */
export function namedErrors(
  problem: Problem | undefined,
  definition: Pick<EditableDefinition, "questions"> | undefined,
): Problem | undefined {
  if (!problem?.errors) return problem;
  return {
    ...problem,
    errors: problem.errors.map((error) => {
      const place = describeField(error.field, definition);
      return { ...error, field: "", reason: place ? `${place} : ${error.reason}` : error.reason };
    }),
  };
}

/** Choices one per line, « valeur = libellé » (the value alone is also its label). */
export function choicesText(choices: Question["choices"]): string {
  return (choices ?? []).map((choice) => `${choice.value} = ${choice.label.fr ?? ""}`).join("\n");
}

export function parseChoices(text: string): NonNullable<Question["choices"]> {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, ...label] = line.split("=");
      const cleanValue = value.trim();
      return { value: cleanValue, label: { fr: label.join("=").trim() || cleanValue } };
    });
}

export interface QuestionChange {
  key: string;
  label: string;
  change: "ajoutée" | "retirée" | "modifiée";
  details: string[];
}

const fr = (labels: Labels | null | undefined) => labels?.fr ?? "";

/** What a later version changed: questions added, removed, and for the others which attributes. */
export function compareVersions(before: EditableDefinition, after: EditableDefinition): QuestionChange[] {
  const old = new Map(before.questions.map((question) => [question.key, question]));
  const changes: QuestionChange[] = [];
  for (const question of after.questions) {
    const previous = old.get(question.key);
    if (!previous) {
      changes.push({ key: question.key, label: fr(question.label), change: "ajoutée", details: [] });
      continue;
    }
    const details: string[] = [];
    if (previous.type !== question.type)
      details.push(`type : ${QUESTION_TYPES[previous.type]} → ${QUESTION_TYPES[question.type]}`);
    if (fr(previous.label) !== fr(question.label))
      details.push(`libellé : « ${fr(previous.label)} » → « ${fr(question.label)} »`);
    if (fr(previous.hint) !== fr(question.hint)) details.push("aide modifiée");
    if (Boolean(previous.required) !== Boolean(question.required))
      details.push(question.required ? "réponse devenue requise" : "réponse devenue facultative");
    if ((previous.relevant ?? "") !== (question.relevant ?? ""))
      details.push("condition d'affichage modifiée");
    if ((previous.constraint ?? "") !== (question.constraint ?? ""))
      details.push("contrôle de la réponse modifié");
    if (choicesText(previous.choices) !== choicesText(question.choices)) details.push("choix modifiés");
    if (previous.minimum !== question.minimum || previous.maximum !== question.maximum)
      details.push(
        `bornes : ${previous.minimum ?? "—"}–${previous.maximum ?? "—"} → ${question.minimum ?? "—"}–${question.maximum ?? "—"}`,
      );
    if (JSON.stringify(previous.items ?? []) !== JSON.stringify(question.items ?? []))
      details.push("lignes de la grille modifiées");
    if (details.length)
      changes.push({ key: question.key, label: fr(question.label), change: "modifiée", details });
    old.delete(question.key);
  }
  for (const question of old.values())
    changes.push({ key: question.key, label: fr(question.label), change: "retirée", details: [] });
  return changes;
}

/** A new question's key from its label: lower case, no accents, words joined by _. */
export function keyFrom(label: string, taken: Set<string>): string {
  const base =
    label
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .replace(/^(\d)/, "q_$1")
      .slice(0, 40) || "question";
  let key = base;
  for (let index = 2; taken.has(key); index += 1) key = `${base}_${index}`;
  return key;
}

/** The question with another type: what the new type cannot have is dropped, what it needs is given a start. */
export function retype(question: EditableQuestion, type: Question["type"]): EditableQuestion {
  const {
    choices,
    minimum,
    maximum,
    items,
    min_date,
    max_date,
    max_length,
    constraint,
    constraint_message,
    ...common
  } = question;
  const next: EditableQuestion = { ...common, type };
  if (type === "single_choice" || type === "multiple_choice") {
    next.choices =
      choices && choices.length >= 2
        ? choices
        : [
            { value: "a", label: { fr: "Premier choix" } },
            { value: "b", label: { fr: "Second choix" } },
          ];
  }
  if (type === "scale") Object.assign(next, { minimum: minimum ?? 0, maximum: maximum ?? 4 });
  if (type === "integer" || type === "decimal")
    Object.assign(next, { minimum: minimum ?? null, maximum: maximum ?? null });
  if (type === "grid")
    Object.assign(next, {
      items: items?.length ? items : [{ key: "ligne_1", label: { fr: "Première ligne" } }],
      minimum: minimum ?? 0,
      maximum: maximum ?? 4,
    });
  if (type === "date") Object.assign(next, { min_date, max_date });
  if (type === "text") Object.assign(next, { max_length });
  if (type !== "note") Object.assign(next, { constraint, constraint_message });
  else next.required = false;
  // Absent rather than null: the definition the API keeps stays as small as written.
  for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === null) delete next[key];
  return next;
}
