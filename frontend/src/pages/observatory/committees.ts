import type { components } from "../../api/schema";
import { formatDate } from "../../lib/format";

export type Meeting = components["schemas"]["ObservatoryMeetingOut"];

export const MEETING_KINDS: Record<Meeting["type"], string> = {
  comite_suivi: "Comité de suivi",
  comite_technique: "Comité technique",
  comite_partenaires: "Comité des partenaires de l'observatoire",
};

/** "Comité de suivi du 12 mars 2026": how a meeting is named in titles and links. */
export function meetingName(meeting: Pick<Meeting, "type" | "date">): string {
  return `${MEETING_KINDS[meeting.type]} du ${formatDate(meeting.date)}`;
}
