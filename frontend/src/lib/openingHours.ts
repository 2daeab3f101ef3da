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
  /** Exceptional closures, ISO dates, both ends included. */
  closures: Closure[];
}

export interface Closure {
  from: string;
  to: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const OSM_DATE = String.raw`(\d{4}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2})`;
const CLOSURE = new RegExp(`^${OSM_DATE}(?:-${OSM_DATE})? (?:off|closed)$`);

function isoDate(year: string, month: string, day: string): string {
  return `${year}-${String(MONTHS.indexOf(month) + 1).padStart(2, "0")}-${day}`;
}

export function osmDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${year} ${MONTHS[Number(month) - 1]} ${day}`;
}

function parseClosure(rule: string): Closure | null {
  const match = CLOSURE.exec(rule);
  if (!match) return null;
  const from = isoDate(match[1], match[2], match[3]);
  const to = match[4] ? isoDate(match[4], match[5], match[6]) : from;
  return { from, to };
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
  const closures: Closure[] = [];
  const rules = value
    .split(";")
    .map((rule) => rule.trim())
    .filter(Boolean);
  if (rules.length === 0) return null;
  for (const rule of rules) {
    const closure = parseClosure(rule);
    if (closure) {
      closures.push(closure);
      continue;
    }
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
  return { days, closedOnHolidays, closures };
}

const PARIS_WEEKDAY = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "short" });
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
// en-CA writes dates as YYYY-MM-DD.
const PARIS_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The day of the week in Savoie (Monday 0), whatever the device's time zone. */
export function parisWeekday(now: Date = new Date()): number {
  return WEEKDAY_INDEX[PARIS_WEEKDAY.format(now)];
}

/** Today's opening intervals in words ("9:00–12:00 et 14:00–17:00", "fermé"), or null when the rules say more. */
export function todayHours(horaires: string | null | undefined, now: Date = new Date()): string | null {
  const week = horaires ? parseOpeningHours(horaires) : null;
  if (!week) return null;
  const today = PARIS_DATE.format(now);
  if (week.closures.some((closure) => closure.from <= today && today <= closure.to))
    return "fermé exceptionnellement";
  const intervals = week.days[parisWeekday(now)];
  if (intervals.length === 0) return "fermé";
  if (intervals.length === 1 && intervals[0] === "00:00–24:00") return "ouvert toute la journée";
  return intervals.join(" et ");
}

/** What the opening-hours editor edits: a week of time slots, public holidays, exceptional closures. */
export interface HoursModel {
  /** Each day's slots, Monday first, as "HH:MM" pairs. */
  days: { start: string; end: string }[][];
  holidays: "closed" | "usual";
  closures: Closure[];
}

export function emptyHours(): HoursModel {
  return { days: DAYS.map(() => []), holidays: "closed", closures: [] };
}

/** The editor's model of a stored expression, or null when it says more than the editor can show. */
export function hoursModel(expression: string | null | undefined): HoursModel | null {
  if (!expression?.trim()) return emptyHours();
  const week = parseOpeningHours(expression);
  if (!week) return null;
  return {
    days: week.days.map((intervals) =>
      intervals.map((interval) => {
        const [start, end] = interval.split("–");
        // A time field cannot hold 24:00: midnight at the end of a slot is 00:00 there.
        return { start, end: end === "24:00" ? "00:00" : end };
      }),
    ),
    holidays: week.closedOnHolidays ? "closed" : "usual",
    closures: week.closures,
  };
}

/**
 * The model in the OpenStreetMap syntax the national standard stores: consecutive days with the same slots
 * grouped ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off; 2026 Dec 24-2026 Dec 26 off").
 * Empty when no day has a slot: hours unknown, not "always closed".
 */
export function toOsm(model: HoursModel): string {
  const slotsOf = (day: number) =>
    model.days[day]
      .filter((slot) => slot.start && slot.end)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((slot) => `${slot.start}-${slot.end === "00:00" ? "24:00" : slot.end}`)
      .join(",");
  // Days with the same slots share one rule, in the order of their first day: "Mo-We,Fr 09:00-12:00".
  const daysBySlots = new Map<string, number[]>();
  for (let day = 0; day < 7; day += 1) {
    const slots = slotsOf(day);
    if (slots) daysBySlots.set(slots, [...(daysBySlots.get(slots) ?? []), day]);
  }
  const rules = [...daysBySlots].map(([slots, days]) => `${daySelector(days)} ${slots}`);
  if (rules.length === 0) return "";
  if (
    rules.length === 1 &&
    rules[0] === "Mo-Su 00:00-24:00" &&
    model.closures.length === 0 &&
    model.holidays === "usual"
  ) {
    return "24/7";
  }
  if (model.holidays === "closed") rules.push("PH off");
  for (const closure of model.closures
    .filter((closure) => closure.from)
    .sort((a, b) => a.from.localeCompare(b.from))) {
    rules.push(
      closure.to && closure.to !== closure.from
        ? `${osmDate(closure.from)}-${osmDate(closure.to)} off`
        : `${osmDate(closure.from)} off`,
    );
  }
  return rules.join("; ");
}

/** Ascending day indices as an OSM selector: runs of three or more become ranges ("Mo-We,Fr"). */
function daySelector(days: number[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < days.length) {
    let last = index;
    while (last + 1 < days.length && days[last + 1] === days[last] + 1) last += 1;
    if (last - index >= 2) parts.push(`${DAYS[days[index]]}-${DAYS[days[last]]}`);
    else for (let position = index; position <= last; position += 1) parts.push(DAYS[days[position]]);
    index = last + 1;
  }
  return parts.join(",");
}

/** What is wrong with the model, in words, keyed by where to show it ("day-0-1", "closure-2"). */
export function hoursProblems(model: HoursModel): Record<string, string> {
  const problems: Record<string, string> = {};
  model.days.forEach((slots, day) => {
    const sorted = [...slots]
      .map((slot, index) => ({ ...slot, index }))
      .sort((a, b) => a.start.localeCompare(b.start));
    sorted.forEach((slot, position) => {
      const key = `day-${day}-${slot.index}`;
      if (!slot.start || !slot.end) problems[key] = "indiquez l'heure d'ouverture et l'heure de fermeture";
      else if (slot.end <= slot.start && slot.end !== "00:00")
        problems[key] = "la fermeture doit suivre l'ouverture";
      else if (position > 0 && slot.start < sorted[position - 1].end)
        problems[key] = "ce créneau chevauche le précédent";
    });
  });
  model.closures.forEach((closure, index) => {
    if (!closure.from) problems[`closure-${index}`] = "indiquez la date du premier jour fermé";
    else if (closure.to && closure.to < closure.from)
      problems[`closure-${index}`] = "la fin doit suivre le début";
  });
  return problems;
}
