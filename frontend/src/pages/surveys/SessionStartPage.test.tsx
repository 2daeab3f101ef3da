import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import SessionStartPage from "./SessionStartPage";

const MEDIATOR = {
  kind: "user",
  subject: "u2",
  name: "Sam Durand",
  role: "mediator",
  scopes: ["surveys:write"],
};
const CAMPAIGN = { id: "c1", nom: "Autonomie 2026", structure: "France Services", mode: "mediator" };
const PUBLIC_ONLY = { id: "c2", nom: "Enquête citoyenne", structure: null, mode: "public" };
const routes = [
  { path: "/enquetes", element: <SessionStartPage /> },
  { path: "/enquetes/reponses/:id", element: <p>le questionnaire</p> },
];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("starting a session", () => {
  it("offers the campaigns a mediator runs, sends the code with the consent, and opens the questionnaire", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(MEDIATOR),
      "GET /api/surveys/campagnes": () =>
        json({ items: [CAMPAIGN, PUBLIC_ONLY], total: 2, page: 1, size: 100 }),
      "GET /api/surveys/reponses": () => json({ items: [], total: 0, page: 1, size: 50 }),
      "POST /api/surveys/seances": [
        () =>
          json(
            {
              title: "Consentement requis",
              status: 422,
              errors: [{ field: "consentement", reason: "requis la première fois" }],
            },
            422,
          ),
        () => json({ reprise: false, reponse: { id: "r1" } }),
      ],
    });
    renderAt("/enquetes", routes);
    const campaign = await screen.findByLabelText("Campagne");
    expect([...(campaign as HTMLSelectElement).options].map((option) => option.text)).toEqual([
      "Autonomie 2026 — France Services",
    ]);
    await userEvent.type(screen.getByLabelText(/Code de la personne/), "BEN-1");
    await userEvent.click(screen.getByRole("button", { name: "Commencer ou reprendre la séance" }));
    expect(await screen.findAllByText("requis la première fois")).not.toHaveLength(0);
    await userEvent.click(screen.getByLabelText("La personne est d'accord pour répondre"));
    await userEvent.click(screen.getByRole("button", { name: "Commencer ou reprendre la séance" }));
    expect(await screen.findByText("le questionnaire")).toBeInTheDocument();
    const posts = requests.filter((request) => request.method === "POST");
    expect(await posts[0].json()).toEqual({
      campagne_id: "c1",
      code_beneficiaire: "BEN-1",
      phase: null,
      consentement: null,
    });
    expect(await posts[1].json()).toMatchObject({
      consentement: { donne: true, finalite: "evaluation_autonomie" },
    });
  });
});
