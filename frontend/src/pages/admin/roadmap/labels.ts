/** The roadmap's vocabulary as the committee speaks it. */
import type { components } from "../../../api/schema";

export type ObjectiveStatus = components["schemas"]["ObservatoryObjectiveStatus"];
export type MilestoneStatus = components["schemas"]["ObservatoryMilestoneStatus"];
export type MeetingKind = components["schemas"]["ObservatoryMeetingKind"];

export const OBJECTIVE_STATUS: Record<ObjectiveStatus, string> = {
  non_demarre: "Non démarré",
  en_cours: "En cours",
  en_retard: "En retard",
  atteint: "Atteint",
  abandonne: "Abandonné",
};

export const MILESTONE_STATUS: Record<MilestoneStatus, string> = {
  a_venir: "À venir",
  atteint: "Atteint",
  reporte: "Reporté",
};

export const MEETING_KIND: Record<MeetingKind, string> = {
  comite_suivi: "Comité de suivi",
  comite_technique: "Comité technique",
  comite_partenaires: "Comité des partenaires de l'observatoire",
};

export const TREND: Record<string, string> = {
  hausse: "en hausse",
  baisse: "en baisse",
  stable: "stable",
  nouveau: "nouvelle valeur",
  sans_donnee: "sans donnée",
};
