/** A dataset import of the observatory as the coordinator's form builds it, and its validation report as the API gives it. */
import type { Problem } from "../api/problem";

export interface IssueData {
  type: string;
  message: string;
  ligne?: number;
  colonne?: string;
  valeur?: string;
}

export interface ImportReportData {
  valide: boolean;
  fichier: { nom?: string; octets?: number; colonnes?: string[]; [detail: string]: unknown };
  resume: {
    lignes: number;
    observations: number;
    periodes: string[];
    departements_couverts: string[];
    communes_manquantes: number;
    erreurs: Record<string, number>;
    avertissements: Record<string, number>;
    indicateurs: Record<string, { valeurs: number; minimum?: number; maximum?: number }>;
  };
  erreurs: IssueData[];
  avertissements: IssueData[];
}

export interface ColumnChoice {
  indicateur: string;
  valeur: string;
  numerateur: string;
  denominateur: string;
}

export interface ImportForm {
  jeu: string;
  titre: string;
  source: string;
  millesime: string;
  statut: "definitif" | "provisoire";
  niveau: string;
  colonne_code: string;
  /** One period for the whole file, or a column giving each row's. */
  periodeDe: "fichier" | "colonne";
  periode: string;
  colonne_periode: string;
  colonnes: ColumnChoice[];
  feuille: string;
}

/** The `parametres` field of the upload: what the form says, without its empty answers. */
export function importParameters(form: ImportForm, ratios: Set<string>): Record<string, unknown> {
  const indicateurs: Record<string, unknown> = {};
  for (const choice of form.colonnes) {
    if (!choice.indicateur) continue;
    indicateurs[choice.indicateur] = ratios.has(choice.indicateur)
      ? { numerateur: choice.numerateur.trim(), denominateur: choice.denominateur.trim() }
      : choice.valeur.trim();
  }
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  return {
    jeu: form.jeu.trim(),
    titre: form.titre.trim(),
    source: form.source.trim(),
    millesime: form.millesime.trim(),
    statut: form.statut,
    niveau: form.niveau,
    colonne_code: form.colonne_code.trim(),
    ...(form.periodeDe === "fichier"
      ? { periode: optional(form.periode) }
      : { colonne_periode: optional(form.colonne_periode) }),
    indicateurs,
    feuille: optional(form.feuille),
  };
}

/** The header of a CSV file (comma or semicolon, byte order mark and quotes removed): the columns to choose from. */
export function csvColumns(text: string): string[] {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const separator = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
  return header
    .split(separator)
    .map((column) =>
      column
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim(),
    )
    .filter(Boolean);
}

/**
 * The API's per-field messages on the parameters, by field (`jeu`, `colonne_code`, `indicateurs.ifn_total`…);
 * the file's own problems are under `fichier`.
 */
export function parameterErrors(problem: Problem | undefined): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const parts = error.field.split(".");
    const start = parts[0] === "body" ? 1 : 0;
    const inside = parts[start] === "parametres" ? parts.slice(start + 1) : parts.slice(start);
    const field =
      inside[0] === "indicateurs" && inside[1] ? `indicateurs.${inside[1]}` : (inside[0] ?? "parametres");
    messages[field] = messages[field] ? `${messages[field]} ; ${error.reason}` : error.reason;
  }
  return messages;
}

/** The validation report a refused upload carries in its problem (`import-invalid`). */
export function reportOf(problem: Problem | undefined): ImportReportData | undefined {
  return (problem as (Problem & { rapport?: ImportReportData }) | undefined)?.rapport;
}
