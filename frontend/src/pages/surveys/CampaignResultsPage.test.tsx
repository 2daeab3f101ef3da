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
  campagne_id: "c1",
  seuil: 11,
  commencees: 4,
  terminees: 3,
  taux_achevement: 0.75,
  par_phase: [
    { phase: "pre", commencees: 3, terminees: 2 },
    { phase: "post", commencees: 1, terminees: 1 },
  ],
  dimensions: [
    {
      referentiel: "t",
      dimension: "mail",
      libelle: "Communiquer",
      phase: "pre",
      n: 2,
      moyenne: 37.5,
      repartition: { "1": 1, "3": 1 },
    },
    {
      referentiel: "t",
      dimension: "mail",
      libelle: "Communiquer",
      phase: "post",
      n: 1,
      moyenne: 75,
      repartition: { "4": 1 },
    },
    {
      referentiel: "t",
      dimension: "web",
      libelle: "Naviguer",
      phase: "pre",
      secret: true,
      n: null,
      moyenne: null,
      repartition: null,
    },
  ],
  progression: [
    {
      referentiel: "t",
      dimension: "mail",
      libelle: "Communiquer",
      paires: 1,
      moyenne_pre: 50,
      moyenne_post: 75,
      ecart_moyen: 25,
    },
    {
      referentiel: "t",
      dimension: "web",
      libelle: "Naviguer",
      secret: true,
      paires: null,
      moyenne_pre: null,
      moyenne_post: null,
      ecart_moyen: null,
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
      "GET /api/surveys/campagnes/c1": () => json({ id: "c1", nom: "Autonomie 2026" }),
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
