import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { startFirstSearch } from "../lib/firstSearch";
import { json, mockApi } from "../test/api";
import { renderAt } from "../test/render";
import SearchPage from "./SearchPage";

afterEach(() => vi.unstubAllGlobals());

const LIST_FIELDS = ["typologie", "courriels", "site_web", "itinerance", "services", "frais_a_charge"];

const RESULTS = {
  total: 1,
  page: 1,
  size: 20,
  facets: {},
  items: [
    {
      ...Object.fromEntries(LIST_FIELDS.map((name) => [name, []])),
      id: "p1",
      status: "active",
      nom: "Mairie de Bassens",
      adresse: "Place de la Mairie",
      code_postal: "73000",
      commune: "Bassens",
      code_insee: "73031",
      latitude: 45.58,
      longitude: 5.94,
      telephone: null,
      horaires: null,
      distance_m: null,
      hours: { open_now: false, next_opening: null, next_closing: null },
    },
  ],
};

const searches = (requests: Request[]) =>
  requests.filter((request) => new URL(request.url).pathname === "/api/directory/lieux");

describe("the search screen's first results (asked before the app renders, issue #14)", () => {
  it("are shown by the first render when they have arrived, and not asked again", async () => {
    const { requests } = mockApi({ "GET /api/directory/lieux": () => json(RESULTS) });
    await startFirstSearch(new URLSearchParams(), 1000);
    renderAt("/", [{ path: "/", element: <SearchPage /> }]);
    // At once, without waiting for a second render.
    expect(screen.getByRole("link", { name: "Mairie de Bassens" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "1 lieu trouvé" })).toBeInTheDocument();
    expect(searches(requests)).toHaveLength(1);
    expect(new URL(searches(requests)[0].url).search).toBe("?facettes=true&size=20");
  });

  it("are awaited when still on their way, never asked twice", async () => {
    let answer: (response: Response) => void = () => undefined;
    const { requests } = mockApi({
      "GET /api/directory/lieux": () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    await startFirstSearch(new URLSearchParams(), 0);
    renderAt("/", [{ path: "/", element: <SearchPage /> }]);
    expect(screen.queryByRole("link", { name: "Mairie de Bassens" })).not.toBeInTheDocument();
    answer(json(RESULTS));
    expect(await screen.findByRole("link", { name: "Mairie de Bassens" })).toBeInTheDocument();
    expect(searches(requests)).toHaveLength(1);
  });

  it("are not used for another query: the screen asks its own", async () => {
    const { requests } = mockApi({ "GET /api/directory/lieux": () => json(RESULTS) });
    await startFirstSearch(new URLSearchParams(), 1000);
    renderAt("/?q=mairie", [{ path: "/", element: <SearchPage /> }]);
    expect(await screen.findByRole("link", { name: "Mairie de Bassens" })).toBeInTheDocument();
    expect(searches(requests).map((request) => new URL(request.url).searchParams.get("q"))).toEqual([
      null,
      "mairie",
    ]);
  });
});
