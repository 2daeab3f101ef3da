/**
 * The search screen's first request, asked by main.tsx before the app renders (the answer of index.html's
 * preload, for the default query): when it has arrived, the app's first render shows the results at once,
 * instead of rendering the page, then asking, then rendering it again (issue #14, docs/benchmarks.md).
 */
import { api, unwrap } from "../api/client";
import type { SearchResults } from "../api/types";
import { type ApiQuery, apiQuery, PAGE_SIZE, toQueryString } from "./placeSearch";

/** The search screen's request; for the default query, the very URL index.html preloads. */
export function searchPlaces(query: ApiQuery, signal?: AbortSignal): Promise<SearchResults> {
  return unwrap(
    api.GET("/api/directory/lieux", {
      // The URL holds the API's own parameter names (see lib/placeSearch): they go through as they are.
      params: { query: { ...query, facettes: true, size: PAGE_SIZE } as never },
      signal,
    }),
  );
}

let first: { key: string; answer: Promise<SearchResults>; data?: SearchResults } | null = null;

/**
 * Asks the search of the address's query now; resolves when its answer has arrived, or after `budgetMs`
 * (whichever comes first: a slow answer never holds the app back longer).
 */
export function startFirstSearch(params: URLSearchParams, budgetMs: number): Promise<void> {
  const query = apiQuery(params);
  const entry: NonNullable<typeof first> = { key: toQueryString(query), answer: searchPlaces(query) };
  first = entry;
  const settled = entry.answer.then(
    (data) => {
      entry.data = data;
    },
    () => undefined,
  );
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, budgetMs))]);
}

/**
 * The first search's answer for `key` if it has arrived, once: the screen's first render shows it. Called by
 * the first screen rendered: a first search for another query is forgotten.
 */
export function takeFirstSearchData(key: string): SearchResults | undefined {
  if (first && first.key !== key) first = null;
  if (first?.key !== key || first.data === undefined) return undefined;
  const { data } = first;
  first = null;
  return data;
}

/** The first search's answer for `key`, still on its way, once: the screen waits for it instead of asking again. */
export function takeFirstSearch(key: string): Promise<SearchResults> | undefined {
  if (first?.key !== key) return undefined;
  const { answer } = first;
  first = null;
  return answer;
}
