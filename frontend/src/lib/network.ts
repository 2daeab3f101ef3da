/** The network's vocabulary (people, trainings, events) in words, and small helpers its screens share. */

export const EVENT_TYPES: Record<string, string> = {
  cafe_numerique: "Café numérique",
  atelier: "Atelier",
  semaine_numerique: "Semaine du numérique",
  nec: "NEC Savoie",
  forum: "Forum",
  autre: "Autre",
};

export const PERSON_ROLES: Record<string, string> = {
  conseiller_numerique: "Conseiller numérique",
  aidant: "Aidant numérique",
  agent_france_services: "Agent France Services",
  coordinateur: "Coordinateur",
  autre: "Autre",
};

export const PROGRAMMES: Record<string, string> = {
  conseiller_numerique: "Conseiller numérique",
  aidants_connect: "Aidants Connect",
  france_services: "France Services",
};

export const AUDIENCES: Record<string, string> = {
  aidants: "Aidants",
  secretaires_mairie: "Secrétaires de mairie",
  agents_partenaires: "Agents des partenaires",
  autre: "Autre public",
};

const dayFormat = new Intl.DateTimeFormat("fr-FR", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/Paris",
});
const timeFormat = new Intl.DateTimeFormat("fr-FR", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
});

function sameDay(left: Date, right: Date): boolean {
  return dayFormat.format(left) === dayFormat.format(right);
}

/** « mardi 16 mars 2027, 14:00 – 16:00 » (Savoie time), or both days when it spans several. */
export function eventWhen(start: string, end: string): string {
  const from = new Date(start);
  const to = new Date(end);
  if (sameDay(from, to))
    return `${dayFormat.format(from)}, ${timeFormat.format(from)} – ${timeFormat.format(to)}`;
  return `du ${dayFormat.format(from)}, ${timeFormat.format(from)}, au ${dayFormat.format(to)}, ${timeFormat.format(to)}`;
}

/** Where an event takes place, in one line. */
export function eventWhere(event: {
  lieu_nom: string | null;
  adresse: string | null;
  commune_nom: string | null;
  commune: string;
}): string {
  return [event.lieu_nom, event.adresse, event.commune_nom ?? event.commune].filter(Boolean).join(", ");
}

/** The iCalendar feed's address, whole or for one commune, on this site. */
export function calendarFeed(commune: string | null, origin: string = window.location.origin): string {
  return `${origin}/api/network/evenements.ics${commune ? `?commune=${encodeURIComponent(commune)}` : ""}`;
}
