/**
 * The last guard before a person reads a field error: the services say why in French, but a message that
 * still reads like a parser's (English, a pattern) is replaced by its meaning in words, from its error type.
 */
import type { FieldProblem } from "../api/problem";

const BY_TYPE: [RegExp, string][] = [
  [/^missing/, "champ obligatoire"],
  [/^string_too_short$/, "ne peut pas être vide"],
  [/^string_too_long$/, "texte trop long"],
  [/^string_pattern_mismatch$/, "format non valide"],
  [/^url/, "adresse web non valide (elle commence par https://)"],
  [/^(int|float|decimal)_/, "nombre attendu"],
  [/^date_|^date$/, "date non valide (jour/mois/année)"],
  [/^datetime_|^timezone_/, "date et heure non valides"],
  [/^(enum|literal_error)$/, "valeur non permise"],
  [/^greater_than/, "valeur trop petite"],
  [/^less_than/, "valeur trop grande"],
  [/^too_short$/, "pas assez d'éléments"],
  [/^too_long$/, "trop d'éléments"],
  [/^extra_forbidden$/, "champ inconnu"],
  [/^json_invalid$/, "document JSON non valide"],
  [/^bool_/, "oui ou non attendu"],
  [/^(dict|model|list|string)_type$/, "format non valide"],
];

const ENGLISH =
  /\b(should|must|required|invalid|expected|input|value is not|not a valid|unable to|extra inputs)\b|\^|\$'/i;

export function frenchReason(error: Pick<FieldProblem, "reason" | "type">): string {
  const reason = (error.reason ?? "").replace(/^(Value error|Assertion failed), /, "");
  if (!ENGLISH.test(reason)) return reason;
  const found = BY_TYPE.find(([pattern]) => pattern.test(error.type ?? ""));
  return found ? found[1] : "valeur non valide";
}

/** « 'a' or 'b' » (or a list) as « a ou b ». */
export function frenchAllowed(allowed: unknown): string {
  if (Array.isArray(allowed)) return allowed.map(String).join(", ");
  return String(allowed)
    .replace(/'/g, "")
    .replace(/\s+or\s+/g, " ou ");
}
