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
  en_attente: "en attente",
  en_cours: "en cours",
  reussie: "réussie",
  partielle: "partielle",
  echouee: "échouée",
  annulee: "annulée",
  interrompue: "interrompue",
};

/** Each count of a run, singular and plural. */
export const COUNT_LABELS: Record<string, [string, string]> = {
  lus: ["lu", "lus"],
  nouveaux: ["nouveau", "nouveaux"],
  modifies_a_la_source: ["modifié à la source", "modifiés à la source"],
  inchanges: ["inchangé", "inchangés"],
  crees: ["lieu créé", "lieux créés"],
  mis_a_jour: ["lieu mis à jour", "lieux mis à jour"],
  restaures: ["lieu rétabli", "lieux rétablis"],
  fusionnes: ["fusionné", "fusionnés"],
  a_examiner: ["à examiner", "à examiner"],
  doublons: ["doublon", "doublons"],
  en_quarantaine: ["en quarantaine", "en quarantaine"],
  retires: ["retiré", "retirés"],
  lieux_retires: ["lieu retiré", "lieux retirés"],
  hors_territoire: ["hors territoire", "hors territoire"],
  paires_comparees: ["paire comparée", "paires comparées"],
};
