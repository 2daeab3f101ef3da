/**
 * Reads the OpenStreetMap `opening_hours` strings of the national standard ("Mo-Fr 09:00-12:00,14:00-17:00;
 * PH off") into a French week table. The API computes whether a place is open; this only displays the rules.
 * Rules outside the common subset (months, week numbers, "sunrise"…) make it give up: the raw text is shown.
 */

export const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] as const;
export const DAY_NAMES = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];

export interface WeekHours {
  /** Opening intervals of each day, Monday first ("09:00–12:00"); empty when closed. */
  days: string[][];
  /** true: closed on public holidays; false: open on them as on other days; undefined: not said. */
  closedOnHolidays?: boolean;
}

const DAY_SELECTOR = /^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?$/;
const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

function expandDays(selector: string): number[] | null {
  const indices: number[] = [];
  for (const part of selector.split(",")) {
    const match = DAY_SELECTOR.exec(part);
    if (!match) return null;
    const start = DAYS.indexOf(match[1] as (typeof DAYS)[number]);
    const end = match[3] ? DAYS.indexOf(match[3] as (typeof DAYS)[number]) : start;
    // Sa-Mo wraps over the week's end.
    for (let index = start; ; index = (index + 1) % 7) {
      indices.push(index);
      if (index === end) break;
    }
  }
  return indices;
}

function parseIntervals(text: string): string[] | null {
  if (text === "off" || text === "closed") return [];
  const intervals = text.split(",").map((interval) => interval.trim());
  if (!intervals.every((interval) => INTERVAL.test(interval))) return null;
  return intervals.map((interval) => interval.replace("-", "–"));
}

export function parseOpeningHours(value: string): WeekHours | null {
  const days: string[][] = DAYS.map(() => []);
  let closedOnHolidays: boolean | undefined;
  const rules = value
    .split(";")
    .map((rule) => rule.trim())
    .filter(Boolean);
  if (rules.length === 0) return null;
  for (const rule of rules) {
    if (rule === "24/7") {
      days.forEach((_, index) => (days[index] = ["00:00–24:00"]));
      continue;
    }
    const [selector, ...rest] = rule.split(/\s+/);
    const timesText = rest.join("");
    if (selector === "PH") {
      if (timesText === "off" || timesText === "closed") closedOnHolidays = true;
      else return null; // special holiday hours: only the raw rule says them right
      continue;
    }
    const selected = expandDays(selector);
    const intervals = parseIntervals(timesText || "");
    if (!selected || !intervals) return null;
    // Later rules override earlier ones for the days they name, as in the OSM specification.
    for (const index of selected) days[index] = intervals;
  }
  return { days, closedOnHolidays };
}

const PARIS_WEEKDAY = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "short" });
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** The day of the week in Savoie (Monday 0), whatever the device's time zone. */
export function parisWeekday(now: Date = new Date()): number {
  return WEEKDAY_INDEX[PARIS_WEEKDAY.format(now)];
}

/** Today's opening intervals in words ("9:00–12:00 et 14:00–17:00", "fermé"), or null when the rules say more. */
export function todayHours(horaires: string | null | undefined, now: Date = new Date()): string | null {
  const week = horaires ? parseOpeningHours(horaires) : null;
  if (!week) return null;
  const intervals = week.days[parisWeekday(now)];
  if (intervals.length === 0) return "fermé";
  if (intervals.length === 1 && intervals[0] === "00:00–24:00") return "ouvert toute la journée";
  return intervals.join(" et ");
}
