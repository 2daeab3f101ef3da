import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, mockApi } from "../../test/api";
import { renderAt } from "../../test/render";
import PublicSurveyPage, { storedResume } from "./PublicSurveyPage";

const LINK = {
  nom: "Enquête citoyenne",
  structure: null,
  fin: null,
  questionnaire: {
    code: "ressenti",
    title: { fr: "Vous et le numérique" },
    questions: [
      { key: "confiance", type: "scale", label: { fr: "Confiance" }, minimum: 1, maximum: 3, required: true },
    ],
  },
};
const routes = [{ path: "/enquete/:token", element: <PublicSurveyPage /> }];
const ANONYMOUS = () => json({ title: "Connexion requise", status: 401 }, 401);

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe("the public link", () => {
  it("keeps the resume token on this phone and sends it back to continue", async () => {
    const { requests } = mockApi({
      "GET /api/auth/me": ANONYMOUS,
      "GET /api/surveys/public/tok": () => json(LINK),
      "POST /api/surveys/public/tok/reponses": () =>
        json(
          {
            id: "r9",
            statut: "in_progress",
            valeurs: { confiance: 2 },
            jeton_reprise: "reprise",
            scores: [],
          },
          201,
        ),
    });
    renderAt("/enquete/tok", routes);
    await userEvent.click(await screen.findByLabelText("J'accepte de répondre"));
    await userEvent.click(screen.getByLabelText("2"));
    await userEvent.click(screen.getByRole("button", { name: "Continuer plus tard" }));
    expect(await screen.findByText(/Réponses gardées/)).toBeInTheDocument();
    expect(storedResume("tok")).toEqual({ id: "r9", token: "reprise" });
    const body = await requests.find((request) => request.method === "POST")!.json();
    expect(body).toMatchObject({ valeurs: { confiance: 2 }, terminer: false, consentement: { donne: true } });
  });

  it("resumes an unfinished response, completes it and shows the scores", async () => {
    localStorage.setItem("fne-enquete-tok", JSON.stringify({ id: "r9", token: "reprise" }));
    const { requests } = mockApi({
      "GET /api/auth/me": ANONYMOUS,
      "GET /api/surveys/public/tok": () => json(LINK),
      "GET /api/surveys/public/tok/reponses/r9": () =>
        json({ id: "r9", statut: "in_progress", valeurs: { confiance: 2 }, scores: [] }),
      "PATCH /api/surveys/public/tok/reponses/r9": () =>
        json({
          id: "r9",
          statut: "completed",
          valeurs: { confiance: 3 },
          scores: [
            {
              referentiel: "f",
              referentiel_version: "1",
              dimension: "confiance",
              libelle: "Confiance",
              brut: 2,
              maximum: 2,
              pourcentage: 100,
              niveau: 3,
              niveau_libelle: "Élevé",
              notation_version: "1",
            },
          ],
        }),
    });
    renderAt("/enquete/tok", routes);
    expect(await screen.findByText(/Vous reprenez vos réponses/)).toBeInTheDocument();
    expect(screen.getByLabelText("2")).toBeChecked();
    await userEvent.click(screen.getByLabelText("3"));
    await userEvent.click(screen.getByRole("button", { name: "Envoyer mes réponses" }));
    expect(await screen.findByText("Merci, vos réponses sont envoyées")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Vos résultats par compétence" })).toHaveTextContent("100 %");
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(patch.headers.get("X-Resume-Token")).toBe("reprise");
    expect(storedResume("tok")).toBeNull();
  });
});
