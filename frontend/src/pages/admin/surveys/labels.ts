/** The surveys' vocabulary in the administration screens. */
export const QUESTIONNAIRE_STATUS: Record<
  string,
  { label: string; severity: "success" | "info" | "warning" | "new" }
> = {
  draft: { label: "brouillon", severity: "new" },
  published: { label: "publiée", severity: "success" },
  retired: { label: "retirée", severity: "warning" },
};

export const DESIGN_MODES: Record<string, string> = {
  mediator: "Rempli avec un médiateur",
  self: "Rempli par la personne seule",
  both: "Les deux",
};

export const CAMPAIGN_MODES: Record<string, string> = {
  mediator: "Avec un médiateur",
  public: "Lien public",
  both: "Médiateur et lien public",
};

export const PHASES: Record<string, string> = {
  pre: "Début d'accompagnement",
  post: "Fin d'accompagnement",
  follow_up: "Suivi à distance",
};

/** Roles that author questionnaires and campaigns and answer personal-data requests (the API refuses others). */
export const COORDINATING_ROLES = ["admin", "coordinator"];
