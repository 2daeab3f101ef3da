import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt, signIn, signOut } from "../../test/render";
import ResponsePage from "./ResponsePage";

const MEDIATOR = {
  kind: "user",
  subject: "u2",
  name: "Sam Durand",
  role: "mediator",
  scopes: ["surveys:write"],
};
const RESPONSE = {
  id: "r1",
  campagne_id: "c1",
  questionnaire_id: "q1",
  questionnaire_code: "toile",
  questionnaire_version: 1,
  repondant_id: "p1",
  phase: "pre",
  statut: "in_progress",
  source: "mediator",
  valeurs: { ordinateur: true },
  version: 3,
  commence_le: "2026-11-29T10:00:00Z",
  modifie_le: "2026-11-29T10:00:00Z",
  termine_le: null,
  scores: [],
};
const QUESTIONNAIRE = {
  id: "q1",
  definition: {
    code: "toile",
    title: { fr: "Toile des compétences" },
    questions: [
      { key: "ordinateur", type: "yes_no", label: { fr: "Avez-vous un ordinateur ?" }, required: true },
      {
        key: "usage",
        type: "scale",
        label: { fr: "Usage" },
        minimum: 1,
        maximum: 3,
        relevant: "${ordinateur} = 'yes'",
        required: true,
      },
    ],
  },
};
const routes = [
  { path: "/enquetes/reponses/:id", element: <ResponsePage /> },
  { path: "/enquetes/reponses/:id/toile", element: <p>la toile</p> },
];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("filling a session", () => {
  it("shows the API's per-question error, then completes with If-Match and opens the toile", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(MEDIATOR),
      "GET /api/surveys/reponses/r1": () => json(RESPONSE, 200, { ETag: '"3"' }),
      "GET /api/surveys/questionnaires/q1": () => json(QUESTIONNAIRE),
      "PATCH /api/surveys/reponses/r1": [
        () =>
          json(
            {
              title: "Réponses incomplètes",
              status: 422,
              errors: [{ field: "valeurs.usage", reason: "réponse requise" }],
            },
            422,
          ),
        () =>
          json(
            { ...RESPONSE, statut: "completed", valeurs: { ordinateur: true, usage: 2 }, version: 4 },
            200,
            { ETag: '"4"' },
          ),
      ],
    });
    renderAt("/enquetes/reponses/r1", routes);
    await userEvent.click(await screen.findByRole("button", { name: "Terminer et voir la toile" }));
    expect(await screen.findByText("Réponses incomplètes")).toBeInTheDocument();
    // The summary names the question by its label; the question carries the message too.
    expect(screen.getByText("Usage :")).toBeInTheDocument();
    expect(screen.getAllByText("réponse requise")).toHaveLength(2);
    await userEvent.click(screen.getByLabelText("2"));
    await userEvent.click(screen.getByRole("button", { name: "Terminer et voir la toile" }));
    expect(await screen.findByText("la toile")).toBeInTheDocument();
    const patches = requests.filter((request) => request.method === "PATCH");
    expect(patches[1].headers.get("if-match")).toBe('"3"');
    expect(await patches[1].json()).toEqual({ valeurs: { usage: 2 }, terminer: true });
  });

  it("saves for later, sending only the changed answers and clearing the hidden ones", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(MEDIATOR),
      "GET /api/surveys/reponses/r1": () =>
        json({ ...RESPONSE, valeurs: { ordinateur: true, usage: 3 } }, 200, { ETag: '"3"' }),
      "GET /api/surveys/questionnaires/q1": () => json(QUESTIONNAIRE),
      "PATCH /api/surveys/reponses/r1": () =>
        json({ ...RESPONSE, valeurs: { ordinateur: false }, version: 4 }, 200, { ETag: '"4"' }),
    });
    renderAt("/enquetes/reponses/r1", routes);
    await userEvent.click(await screen.findByLabelText("Non"));
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer pour reprendre plus tard" }));
    expect(await screen.findByText(/Réponses enregistrées/)).toBeInTheDocument();
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(await patch.json()).toEqual({ valeurs: { ordinateur: false, usage: null }, terminer: false });
  });
});
