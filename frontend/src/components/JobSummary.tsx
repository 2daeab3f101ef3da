import { Badge } from "@codegouvfr/react-dsfr/Badge";

import type { components } from "../api/schema";
import { plural } from "../lib/format";
import { COUNT_LABELS, JOB_STATUS_LABELS, describeIssue } from "../lib/issues";

type Job = components["schemas"]["DirectoryJobOut"];

const SEVERITY: Record<string, "success" | "error" | "warning" | "info" | "new"> = {
  en_attente: "info",
  en_cours: "info",
  reussie: "success",
  partielle: "warning",
  echouee: "error",
  annulee: "new",
  interrompue: "warning",
};

export function JobStatus({ status }: { status: string }) {
  return (
    <Badge
      severity={SEVERITY[status] ?? "info"}
      small
      noIcon={status === "en_cours" || status === "en_attente"}
    >
      {JOB_STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

/** What a run did, in words: its counts (non-zero ones) and its errors. */
export function JobCounts({ job }: { job: Job }) {
  const counts = Object.entries(job.compteurs).filter(([, value]) => value > 0);
  return (
    <>
      {counts.length === 0
        ? "—"
        : counts
            .map(([name, value]) =>
              COUNT_LABELS[name] ? plural(value, ...COUNT_LABELS[name]) : `${value} ${name}`,
            )
            .join(", ")}
      {job.erreurs.length > 0 && (
        <details>
          <summary>{job.erreurs.length} erreur(s)</summary>
          <ul>
            {job.erreurs.slice(0, 50).map((error, index) => (
              <li key={index}>{describeIssue(error)}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
