/** One line for an issue reported by a job or a quarantined record, whatever its exact shape. */
export function describeIssue(issue: Record<string, unknown>): string {
  const where = ["field", "champ", "line", "ligne", "source_id", "stage"]
    .map((key) => issue[key])
    .filter((value) => value !== undefined && value !== null && value !== "")
    .join(", ");
  const what = issue.reason ?? issue.message ?? issue.detail ?? issue.msg;
  if (typeof what === "string") return where ? `${where} : ${what}` : what;
  return JSON.stringify(issue);
}

export const JOB_STATUS_LABELS: Record<string, string> = {
  running: "en cours",
  succeeded: "réussie",
  partial: "partielle",
  failed: "échouée",
  cancelled: "annulée",
  interrupted: "interrompue",
};

/** Each count of a run, singular and plural. */
export const COUNT_LABELS: Record<string, [string, string]> = {
  fetched: ["lu", "lus"],
  records_new: ["nouveau", "nouveaux"],
  records_changed: ["modifié à la source", "modifiés à la source"],
  unchanged: ["inchangé", "inchangés"],
  created: ["lieu créé", "lieux créés"],
  updated: ["lieu mis à jour", "lieux mis à jour"],
  merged: ["fusionné", "fusionnés"],
  for_review: ["à examiner", "à examiner"],
  duplicates: ["doublon", "doublons"],
  quarantined: ["en quarantaine", "en quarantaine"],
  withdrawn: ["retiré", "retirés"],
  out_of_scope: ["hors territoire", "hors territoire"],
};
