/**
 * Long computations answered as jobs: `202 Accepted` with the job's address (Location) and its state; the
 * screen reads it again until it ends. A `200`/`201` answer is the result itself.
 */
import { readCookie, CSRF_COOKIE } from "../api/client";
import { ApiProblem, toProblem } from "../api/problem";

export interface Job {
  id?: string;
  statut: string;
  /** The share done, 0–1. */
  avancement?: number | null;
  message?: string | null;
  [key: string]: unknown;
}

export const RUNNING = new Set(["en_attente", "en_cours"]);

export type Started<T> = { kind: "result"; result: T } | { kind: "job"; job: Job; url: string };

async function body(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** The job's address under the service's prefix: the services give theirs relative to their own root. */
export function jobUrl(prefix: string, location: string | null, job: Job | undefined): string | undefined {
  if (location) {
    if (/^https?:/.test(location) || location.startsWith("/api/")) return location;
    return `${prefix}${location.startsWith("/") ? "" : "/"}${location}`;
  }
  return job?.id ? `${prefix}/calculs/taches/${job.id}` : undefined;
}

/** POSTs and tells a result from a job (the session's CSRF token echoed, as every write needs). */
export async function start<T>(prefix: string, path: string, payload?: unknown): Promise<Started<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = readCookie(CSRF_COOKIE);
  if (token) headers["X-CSRF-Token"] = token;
  if (payload !== undefined) headers["content-type"] = "application/json";
  const response = await globalThis.fetch(
    new Request(new URL(`${prefix}${path}`, window.location.origin), {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
    }),
  );
  const data = await body(response);
  if (!response.ok) throw new ApiProblem(toProblem(data, response.status));
  if (response.status === 202) {
    const job = (data ?? { statut: "en_attente" }) as Job;
    const url = jobUrl(prefix, response.headers.get("Location"), job);
    if (!url)
      throw new ApiProblem({
        title: "Calcul lancé sans adresse de suivi",
        status: 202,
        detail: "Rechargez la page plus tard pour voir son résultat.",
      });
    return { kind: "job", job, url };
  }
  return { kind: "result", result: data as T };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("arrêté", "AbortError"));
    });
  });

/** Reads the job until it stops running, telling each state read; gives the last one. */
export async function follow(
  url: string,
  onUpdate: (job: Job) => void,
  signal?: AbortSignal,
  intervalMs = 1000,
): Promise<Job> {
  for (;;) {
    const response = await globalThis.fetch(
      new Request(new URL(url, window.location.origin), {
        credentials: "same-origin",
        headers: { accept: "application/json" },
        signal,
      }),
    );
    const data = await body(response);
    if (!response.ok) throw new ApiProblem(toProblem(data, response.status));
    const job = data as Job;
    onUpdate(job);
    if (!RUNNING.has(job.statut)) return job;
    await sleep(intervalMs, signal);
  }
}

/** The share done, 0–1, when the job says it. */
export function progressOf(job: Job): number | undefined {
  return typeof job.avancement === "number" ? job.avancement : undefined;
}
