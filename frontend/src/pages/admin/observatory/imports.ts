import type { components } from "../../../api/schema";

export type ImportOut = components["schemas"]["ObservatoryImportOut"];

/** The states of a dataset version, as a coordinator reads them. */
export const IMPORT_STATUS: Record<
  string,
  { label: string; severity: "success" | "info" | "warning" | "error" | "new" }
> = {
  valide: { label: "validé, non publié", severity: "new" },
  publie: { label: "publié", severity: "success" },
  remplace: { label: "remplacé", severity: "info" },
  retire: { label: "retiré", severity: "warning" },
};
