/** The typed client of the platform's API (generated from its merged OpenAPI document: `npm run generate-api`). */
import createClient, { type Middleware } from "openapi-fetch";

import { ApiProblem, toProblem } from "./problem";
import type { paths } from "./schema";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CSRF_COOKIE = "fne_csrf";

export function readCookie(name: string, cookies: string = document.cookie): string | undefined {
  for (const part of cookies.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Echoes the login's CSRF cookie: the gateway refuses a session's state-changing calls without it. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
};

// `fetch` is looked up at each call (not captured once), so that tests can stand in for the network.
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "same-origin",
  fetch: (request) => globalThis.fetch(request),
});
api.use(csrfMiddleware);

interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or an ApiProblem carrying its RFC 9457 body. */
export async function unwrap<T>(call: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(toProblem(error, response.status));
  return data as T;
}

/** Like unwrap, with the response's ETag (needed for If-Match on the next write). */
export async function unwrapWithEtag<T>(call: Promise<CallResult<T>>): Promise<{ data: T; etag: string }> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(toProblem(error, response.status));
  return { data: data as T, etag: response.headers.get("ETag") ?? "" };
}
