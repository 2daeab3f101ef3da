import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import RoadmapAdminPage from "./roadmap/RoadmapAdminPage";
import CampaignsAdminPage from "./surveys/CampaignsAdminPage";

const COORDINATOR = {
  kind: "user",
  subject: "u3",
  name: "Coordination",
  role: "coordinator",
  scopes: ["surveys:write", "surveys:read", "observatory:write"],
};
const DOWN = {
  type: "about:blank",
  code: "upstream-unavailable",
  title: "Service indisponible",
  status: 503,
  service: "surveys",
};

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("an administration screen during an outage", () => {
  it("names what is unavailable in French and loads again on « Réessayer »", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/questionnaires": () => json({ items: [], total: 0, page: 1, size: 200 }),
      "GET /api/surveys/campagnes": [
        () => json(DOWN, 503),
        () => json({ items: [], total: 0, page: 1, size: 200 }),
      ],
    });
    renderAt("/administration/campagnes", [
      { path: "/administration/campagnes", element: <CampaignsAdminPage /> },
    ]);
    expect(
      await screen.findByText("La liste des campagnes est momentanément indisponible"),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByText("Aucune campagne pour l'instant.")).toBeInTheDocument();
    expect(screen.queryByText(/momentanément indisponible/)).toBeNull();
    expect(requests.filter((request) => request.url.includes("/api/surveys/campagnes"))).toHaveLength(2);
  });

  it("says the connection is lost when the network fails, with the same retry", async () => {
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/observatory/feuille-de-route": [
        () => {
          throw new TypeError("Failed to fetch");
        },
        () => json(DOWN, 503),
      ],
    });
    renderAt("/administration/feuille-de-route", [
      { path: "/administration/feuille-de-route", element: <RoadmapAdminPage /> },
    ]);
    expect(await screen.findByText("Pas de connexion")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByText("La feuille de route est momentanément indisponible")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Réessayer" })).toBeInTheDocument();
  });
});
