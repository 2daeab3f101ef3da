import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../test/api";
import { communeOutlines } from "./PlacesMap";

afterEach(() => vi.unstubAllGlobals());

describe("the places map's base layer", () => {
  it("reads the followed department's commune outlines once, and retries after a failure", async () => {
    const outlines = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", id: "73065", geometry: null, properties: { code: "73065", nom: "Chambéry" } },
      ],
    };
    const { requests } = mockApi({
      "GET /api/observatory/territoires/contours": [
        () => json({ title: "Service momentanément indisponible", status: 503 }, 503),
        () => json(outlines),
      ],
    });
    // Without the observatory the map keeps a plain background.
    expect(await communeOutlines()).toBeNull();
    expect(await communeOutlines()).toEqual(outlines);
    expect(await communeOutlines()).toEqual(outlines);
    expect(requests).toHaveLength(2);
    expect(Object.fromEntries(new URL(requests[1].url).searchParams)).toEqual({
      niveau: "commune",
      dans: "departement:73",
      zoom: "9",
    });
  });
});
