import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../../test/api";
import { renderAt, signIn, signOut } from "../../../test/render";
import QuestionnairePage from "./QuestionnairePage";

const COORDINATOR = {
  kind: "user",
  subject: "u3",
  name: "Coordination",
  role: "coordinator",
  scopes: ["surveys:write", "surveys:read"],
};
const DEFINITION = {
  code: "sentiment",
  title: { fr: "Sentiment numérique" },
  mode: "both",
  questions: [
    { key: "internet", type: "yes_no", label: { fr: "Avez-vous internet ?" }, required: true },
    {
      key: "aisance",
      type: "scale",
      label: { fr: "À l'aise en ligne" },
      minimum: 0,
      maximum: 4,
      relevant: "${internet} = 'yes'",
    },
  ],
};
const DRAFT = {
  id: "q2",
  code: "sentiment",
  version: 2,
  statut: "draft",
  titre: "Sentiment numérique",
  empreinte: null,
  cree_le: "2026-11-30T10:00:00Z",
  publie_le: null,
  retire_le: null,
  definition: DEFINITION,
};
const routes = [{ path: "/administration/questionnaires/:id", element: <QuestionnairePage /> }];

beforeEach(signIn);
afterEach(() => {
  signOut();
  vi.unstubAllGlobals();
});

describe("a questionnaire draft", () => {
  it("is previewed as the respondent sees it while it is written, then saved", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/questionnaires/q2": () => json(DRAFT),
      "GET /api/surveys/questionnaires": () => json({ items: [DRAFT], total: 1, page: 1, size: 200 }),
      "PUT /api/surveys/questionnaires/q2": () => json(DRAFT),
    });
    renderAt("/administration/questionnaires/q2", routes);
    const preview = await screen.findByRole("region", { name: "Sentiment numérique" });
    // Skip logic applies in the preview: the scale appears once « Oui » is answered.
    expect(within(preview).queryByText("À l'aise en ligne")).toBeNull();
    await userEvent.click(within(preview).getByLabelText("Oui"));
    expect(within(preview).getByText("À l'aise en ligne")).toBeInTheDocument();

    const label = screen.getByLabelText("Libellé (question 1)");
    await userEvent.clear(label);
    await userEvent.type(label, "Avez-vous internet chez vous ?");
    expect(within(preview).getByText("Avez-vous internet chez vous ?")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Libellé de la nouvelle question"), "Quel âge avez-vous ?");
    await userEvent.selectOptions(screen.getByLabelText("Type de la nouvelle question"), "integer");
    await userEvent.click(screen.getByRole("button", { name: "Ajouter la question" }));
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    expect(await screen.findByText("Brouillon enregistré.")).toBeInTheDocument();
    const body = await requests.find((request) => request.method === "PUT")!.json();
    expect(body.questions.map((question: { key: string }) => question.key)).toEqual([
      "internet",
      "aisance",
      "quel_age_avez_vous",
    ]);
    expect(body.questions[0].label.fr).toBe("Avez-vous internet chez vous ?");
  });

  it("names the API's errors by question, and publishes only after a confirmation", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": () => json(COORDINATOR),
      "GET /api/surveys/questionnaires/q2": () => json(DRAFT),
      "GET /api/surveys/questionnaires": () => json({ items: [DRAFT], total: 1, page: 1, size: 200 }),
      "POST /api/surveys/questionnaires/q2/publication": () =>
        json(
          {
            title: "Données invalides",
            status: 422,
            errors: [{ field: "questions.1.relevant", reason: "expression invalide : nom inconnu" }],
          },
          422,
        ),
    });
    renderAt("/administration/questionnaires/q2", routes);
    await userEvent.click(await screen.findByRole("button", { name: "Publier cette version" }));
    expect(requests.some((request) => request.method === "POST")).toBe(false);
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Publier" }));
    const alert = await screen.findByText(
      /Question 2 « À l'aise en ligne » — condition d'affichage : expression invalide/,
    );
    expect(alert).toBeInTheDocument();
  });

  it("is for coordinators: a mediator is told so", async () => {
    mockApi({ "GET /api/auth/me": () => json({ ...COORDINATOR, role: "mediator" }) });
    renderAt("/administration/questionnaires/q2", routes);
    expect(await screen.findByText("Accès réservé aux coordinateurs")).toBeInTheDocument();
  });
});
