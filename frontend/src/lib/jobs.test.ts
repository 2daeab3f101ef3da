import { afterEach, describe, expect, it, vi } from "vitest";

import { follow, jobUrl, progressOf, start } from "./jobs";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

afterEach(() => vi.unstubAllGlobals());

describe("observatory computations, as a result or as a job", () => {
  it("takes a 201 answer as the result itself", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(201, { id: "imp-1", titre: "Annuaire" })),
    );
    expect(await start("/api/observatory", "/calculs/annuaire")).toEqual({
      kind: "result",
      result: { id: "imp-1", titre: "Annuaire" },
    });
  });

  it("follows a 202 job at its Location, under the service's prefix, until it ends", async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(
        json(202, { id: "j1", statut: "en_attente" }, { Location: "/calculs/taches/j1" }),
      )
      .mockResolvedValueOnce(json(200, { id: "j1", statut: "en_cours", avancement: 0.25 }))
      .mockResolvedValueOnce(json(200, { id: "j1", statut: "reussie", avancement: 1 }));
    vi.stubGlobal("fetch", fetch);
    const started = await start("/api/observatory", "/calculs/enquetes", { referentiel: "pix" });
    expect(started).toMatchObject({ kind: "job", url: "/api/observatory/calculs/taches/j1" });
    const seen: number[] = [];
    const last = await follow(
      (started as { url: string }).url,
      (job) => seen.push(progressOf(job) ?? -1),
      undefined,
      1,
    );
    expect(last.statut).toBe("reussie");
    expect(seen).toEqual([0.25, 1]);
    const request = fetch.mock.calls[0][0] as Request;
    expect([request.method, new URL(request.url).pathname, await request.text()]).toEqual([
      "POST",
      "/api/observatory/calculs/enquetes",
      '{"referentiel":"pix"}',
    ]);
  });

  it("turns an error answer into the API's problem", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(502, { title: "Annuaire injoignable", status: 502 })),
    );
    await expect(start("/api/observatory", "/calculs/annuaire")).rejects.toMatchObject({
      problem: { title: "Annuaire injoignable" },
    });
  });

  it("builds the job address from an absolute Location or the job's id", () => {
    expect(jobUrl("/api/observatory", "/api/observatory/calculs/taches/7", undefined)).toBe(
      "/api/observatory/calculs/taches/7",
    );
    expect(jobUrl("/api/observatory", null, { id: "9", statut: "en_attente" })).toBe(
      "/api/observatory/calculs/taches/9",
    );
    expect(progressOf({ statut: "en_cours", avancement: 0.4 })).toBe(0.4);
    expect(progressOf({ statut: "en_attente" })).toBeUndefined();
  });
});
