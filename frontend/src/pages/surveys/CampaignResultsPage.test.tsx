import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import CampaignResultsPage from "./CampaignResultsPage";

const COORDINATOR = {
  kind: "user",
  subject: "u3",
  name: "Alex",
  role: "coordinator",
  scopes: ["surveys:read", "surveys:write"],
};
const RESULTS = {
  campaign_id: "c1",
  threshold: 11,
  started: 4,
  completed: 3,
  completion_rate: 0.75,
  by_phase: [
    { phase: "pre", started: 3, completed: 2 },
    { phase: "post", started: 1, completed: 1 },
  ],
  dimensions: [
    {
      framework: "t",
      dimension: "mail",
      label: "Communiquer",
      phase: "pre",
      n: 2,
      mean: 37.5,
      distribution: { "1": 1, "3": 1 },
    },
    {
      framework: "t",
      dimension: "mail",
      label: "Communiquer",
      phase: "post",
      n: 1,
      mean: 75,
      distribution: { "4": 1 },
    },
    {
      framework: "t",
      dimension: "web",
      label: "Naviguer",
      phase: "pre",
      suppressed: true,
      n: null,
      mean: null,
      distribution: null,
    },
  ],
  progress: [
    {
      framework: "t",
      dimension: "mail",
      label: "Communiquer",
      pairs: 1,
      mean_pre: 50,
      mean_post: 75,
      mean_delta: 25,
    },
    {
      framework: "t",
      dimension: "web",
      label: "Naviguer",
      suppressed: true,
      pairs: null,
      mean_pre: null,
      mean_post: null,
      mean_delta: null,
    },
  ],
};

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("a campaign's results", () => {
  it("shows counts, completion, distributions by level and paired progress as tables", async () => {
    mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/campagnes/c1": () => json({ id: "c1", name: "Autonomie 2026" }),
      "GET /api/surveys/campagnes/c1/resultats": () => json(RESULTS),
    });
    renderAt("/enquetes/campagnes/c1/resultats", [
      { path: "/enquetes/campagnes/:id/resultats", element: <CampaignResultsPage /> },
    ]);
    expect(
      await screen.findByRole("heading", { level: 1, name: "Résultats : Autonomie 2026" }),
    ).toBeInTheDocument();
    expect(screen.getByText(/75 % de complétion/)).toBeInTheDocument();
    const distribution = screen.getByRole("table", { name: /nombre de réponses par niveau/ });
    // Levels 1, 3 and 4 occur: one column each, zero where a phase has none.
    expect(
      within(distribution)
        .getAllByRole("columnheader")
        // The sort buttons' state (« ⇅, trier ») aside.
        .map((cell) => cell.textContent?.replace(/ [⇅▲▼].*$/, "")),
    ).toEqual(["Compétence", "Moment", "Réponses", "Moyenne", "Niveau 1", "Niveau 3", "Niveau 4"]);
    expect(within(distribution).getAllByRole("row")[1]).toHaveTextContent(
      "CommuniquerDébut d'accompagnement237,5110",
    );
    // A withheld cell says so, in every column.
    expect(within(distribution).getAllByRole("row")[3]).toHaveTextContent(
      "NaviguerDébut d'accompagnementsecretsecretsecretsecretsecret",
    );
    expect(screen.getByText(/moins de 11 personnes/)).toBeInTheDocument();
    const progress = screen.getByRole("table", { name: /Mêmes personnes/ });
    expect(within(progress).getAllByRole("row")[1]).toHaveTextContent("Communiquer15075+25 points");
    expect(within(progress).getAllByRole("row")[2]).toHaveTextContent("Naviguersecretsecretsecretsecret");
  });
});
