import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../test/api";
import { api, readCookie, unwrap, unwrapWithEtag } from "./client";
import { ApiProblem } from "./problem";

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "fne_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("the API client", () => {
  it("echoes the CSRF cookie on state-changing calls only", async () => {
    document.cookie = "fne_csrf=jeton%20secret";
    const { requests } = mockApi({
      "GET /api/auth/me": () =>
        json({ kind: "user", subject: "u1", name: "Camille", role: "admin", scopes: [] }),
      "POST /api/auth/logout": () => new Response(null, { status: 204 }),
    });
    await unwrap(api.GET("/api/auth/me"));
    await unwrap(api.POST("/api/auth/logout"));
    expect(requests[0].headers.get("X-CSRF-Token")).toBeNull();
    expect(requests[1].headers.get("X-CSRF-Token")).toBe("jeton secret");
  });

  it("turns an error response into an ApiProblem carrying the body", async () => {
    mockApi({
      "GET /api/auth/users": () => json({ title: "Accès refusé", status: 403, code: "forbidden" }, 403),
    });
    const failure = await unwrap(api.GET("/api/auth/users")).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiProblem);
    expect((failure as ApiProblem).problem).toMatchObject({ title: "Accès refusé", code: "forbidden" });
  });

  it("returns the ETag with the data, for the next If-Match", async () => {
    mockApi({ "GET /api/directory/lieux/p1": () => json({ id: "p1" }, 200, { ETag: '"v3"' }) });
    const { data, etag } = await unwrapWithEtag(
      api.GET("/api/directory/lieux/{place_id}", { params: { path: { place_id: "p1" } } }),
    );
    expect(data.id).toBe("p1");
    expect(etag).toBe('"v3"');
  });

  it("reads cookies by exact name", () => {
    expect(readCookie("fne_csrf", "a=1; fne_csrf_old=2; fne_csrf=3")).toBe("3");
    expect(readCookie("absent", "a=1")).toBeUndefined();
  });
});
