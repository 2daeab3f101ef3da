/** A stand-in for the network in component tests: answers by "METHOD /path", and records every request. */
import { vi } from "vitest";

export type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type, ...headers } });
}

export function mockApi(routes: Record<string, Handler | Handler[]>) {
  const requests: Request[] = [];
  const calls: Record<string, number> = {};
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(input);
    requests.push(request.clone());
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    const handler = routes[key];
    if (!handler) throw new Error(`unexpected request ${key}`);
    const index = calls[key] ?? 0;
    calls[key] = index + 1;
    // A list of handlers answers successive calls in turn (the last one repeats).
    const current = Array.isArray(handler) ? handler[Math.min(index, handler.length - 1)] : handler;
    return current(request);
  });
  vi.stubGlobal("fetch", fetch);
  return { requests, fetch };
}
