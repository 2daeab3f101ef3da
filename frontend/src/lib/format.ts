/** French formatting of what the API returns (UTC instants, E.164 phones, metres). */

const PARIS = "Europe/Paris";

const weekdayDate = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  weekday: "long",
  day: "numeric",
  month: "long",
});
const time = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, hour: "2-digit", minute: "2-digit" });
const day = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const longDate = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** "aujourd'hui à 18 h 00", "demain à 09 h 00", or "samedi 5 décembre à 10 h 00" further away. */
export function formatMoment(iso: string, now: Date = new Date()): string {
  const moment = new Date(iso);
  const hour = time.format(moment).replace(":", " h ");
  const today = day.format(now);
  const tomorrow = day.format(new Date(now.getTime() + 24 * 3600 * 1000));
  if (day.format(moment) === today) return `aujourd'hui à ${hour}`;
  if (day.format(moment) === tomorrow) return `demain à ${hour}`;
  return `${weekdayDate.format(moment)} à ${hour}`;
}

export function formatDate(iso: string): string {
  // A bare date (YYYY-MM-DD) is a calendar day, not an instant: read it at noon so no zone shifts it.
  return longDate.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "short", timeStyle: "short" }).format(
    new Date(iso),
  );
}

/** +33479600404 → 04 79 60 04 04; other numbers as they are. */
export function formatPhone(e164: string): string {
  const match = /^\+33(\d{9})$/.exec(e164);
  if (!match) return e164;
  return `0${match[1]}`.replace(/(\d\d)(?=\d)/g, "$1 ");
}

export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  return `${(metres / 1000).toLocaleString("fr-FR", { maximumFractionDigits: metres < 10000 ? 1 : 0 })} km`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("fr-FR")} ${count > 1 ? pluralForm : singular}`;
}

const DECIMAL = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** A figure the French way, one decimal at most: 12,5. */
export function formatNumber(value: number): string {
  return DECIMAL.format(value);
}
