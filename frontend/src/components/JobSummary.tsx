import { Badge } from "@codegouvfr/react-dsfr/Badge";

import type { components } from "../api/schema";
import { plural } from "../lib/format";
import { COUNT_LABELS, JOB_STATUS_LABELS, describeIssue } from "../lib/issues";

type Job = components["schemas"]["DirectoryJobOut"];

const SEVERITY: Record<string, "success" | "error" | "warning" | "info" | "new"> = {
  running: "info",
  succeeded: "success",
  partial: "warning",
  failed: "error",
  cancelled: "new",
  interrupted: "warning",
};

export function JobStatus({ status }: { status: string }) {
  return (
    <Badge severity={SEVERITY[status] ?? "info"} small noIcon={status === "running"}>
      {JOB_STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

/** What a run did, in words: its counts (non-zero ones) and its errors. */
export function JobCounts({ job }: { job: Job }) {
  const counts = Object.entries(job.counts).filter(([, value]) => value > 0);
  return (
    <>
      {counts.length === 0
        ? "—"
        : counts
            .map(([name, value]) =>
              COUNT_LABELS[name] ? plural(value, ...COUNT_LABELS[name]) : `${value} ${name}`,
            )
            .join(", ")}
      {job.errors.length > 0 && (
        <details>
          <summary>{job.errors.length} erreur(s)</summary>
          <ul>
            {job.errors.slice(0, 50).map((error, index) => (
              <li key={index}>{describeIssue(error)}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
