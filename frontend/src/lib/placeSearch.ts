/**
 * The search screen's state lives in its URL (shareable, bookmarkable, back-button friendly) under the API's own
 * parameter names, so turning it into an API query is a filter, not a translation.
 */
import { FILTER_GROUPS } from "./vocabulary";

// Also in index.html: the home page preloads its first search with this size.
export const PAGE_SIZE = 20;
const MULTI = new Set([...FILTER_GROUPS.map((group) => group.name), "code_insee", "epci", "fraicheur"]);
const SINGLE = ["q", "ouvert", "lat", "lon", "rayon_km", "tri", "page"] as const;
/** Shown to the user only (the commune or "ma position" the coordinates stand for); never sent to the API. */
export const PLACE_LABEL = "pres";

export type ApiQuery = Record<string, string | string[]>;

export function apiQuery(params: URLSearchParams, overrides: ApiQuery = {}): ApiQuery {
  const query: ApiQuery = {};
  for (const name of SINGLE) {
    const value = params.get(name);
    if (value) query[name] = value;
  }
  for (const name of MULTI) {
    const values = params.getAll(name);
    if (values.length) query[name] = values;
  }
  return { ...query, ...overrides };
}

/** A query string for links (exports, the map's GeoJSON), repeated keys for lists as the API expects. */
export function toQueryString(query: ApiQuery): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  return search.toString();
}

export function currentPage(params: URLSearchParams): number {
  const page = Number(params.get("page") ?? "1");
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** A copy of the parameters with one change; any change of criteria goes back to the first page. */
export function withChange(
  params: URLSearchParams,
  change: (next: URLSearchParams) => void,
): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("page");
  change(next);
  return next;
}

export function toggleValue(params: URLSearchParams, name: string, value: string): URLSearchParams {
  return withChange(params, (next) => {
    const values = next.getAll(name);
    next.delete(name);
    const kept = values.includes(value) ? values.filter((item) => item !== value) : [...values, value];
    kept.forEach((item) => next.append(name, item));
  });
}

export function activeFilterCount(params: URLSearchParams): number {
  return FILTER_GROUPS.reduce((count, group) => count + params.getAll(group.name).length, 0);
}

export interface ActiveFilter {
  name: string;
  value: string;
  /** As the tag reads it: the value, or "Ouvert maintenant", "À 10 km au plus". */
  label: string;
}

/** The filters in force, one tag each: removing one is toggling its value off. */
export function activeFilters(params: URLSearchParams): ActiveFilter[] {
  const active: ActiveFilter[] = [];
  if (params.get("ouvert") === "true")
    active.push({ name: "ouvert", value: "true", label: "Ouvert maintenant" });
  const radius = params.get("rayon_km");
  if (radius && params.get(PLACE_LABEL))
    active.push({ name: "rayon_km", value: radius, label: `À ${radius} km au plus` });
  for (const group of FILTER_GROUPS) {
    for (const value of params.getAll(group.name)) active.push({ name: group.name, value, label: value });
  }
  return active;
}
